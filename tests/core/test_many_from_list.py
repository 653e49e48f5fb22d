"""A many-choice field answers an id no database row can have as "not on the list", never a server error."""
from __future__ import annotations

import pytest
from django import forms

from goldenthread.core.forms import ManyFromList, plain_english_errors
from goldenthread.core.models import Area


class AreasForm(forms.Form):
    areas = ManyFromList(queryset=Area.objects.order_by("name"), label="Areas it serves")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_english_errors(self)


@pytest.mark.parametrize("sent", ["9223372036854775808", "-9223372036854775809", "1" + "0" * 40])
def test_an_id_past_the_largest_the_database_holds_is_not_on_the_list(council_lists, sent):
    form = AreasForm({"areas": [sent]})
    assert not form.is_valid()
    assert form.errors["areas"] == ["Select areas it serves from the list"]


def test_ids_on_the_list_are_chosen_and_words_are_refused_as_before(council_lists):
    north = council_lists["areas"]["Northbrook"]
    form = AreasForm({"areas": [str(north.pk)]})
    assert form.is_valid() and list(form.cleaned_data["areas"]) == [north]
    assert AreasForm({"areas": ["north"]}).errors["areas"] == ["Select areas it serves from the list"]
    assert not AreasForm({"areas": [str(2**63 - 1)]}).is_valid()   # the largest id: an ordinary "not found"
