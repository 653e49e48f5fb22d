"""GOV.UK Frontend as the project uses it: the built stylesheet (font and crown off), widgets that carry the
design system's classes, and the day/month/year date input for any date field."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string

import goldenthread
from goldenthread.core.forms import DateInput, form_errors

STATIC = Path(goldenthread.__file__).parent / "web" / "static" / "goldenthread"


class Plan(forms.Form):
    what = forms.CharField(label="What will be done")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    when = forms.DateField(label="By when", widget=DateInput(), help_text="For example, 27 3 2027",
                           error_messages={"invalid": "By when must be a real date"})


def test_the_built_stylesheet_is_gov_uk_frontend_without_its_typeface():
    css = STATIC / "app.css"
    if not css.exists():
        pytest.skip("app.css is built by `make install` (npm ci, npm run build)")
    text = css.read_text()
    assert ".govuk-error-summary" in text and ".govuk-date-input" in text and ".card--not_working" in text
    assert "GDS Transport" not in text and "@font-face" not in text


def test_the_page_header_has_the_service_name_and_no_crown(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'class="govuk-header"' in page and "Golden Thread</a>" in page
    assert "govuk-header__logotype" not in page and "<svg" not in page.split("</header>")[0]


def test_a_field_with_an_error_renders_as_a_gov_uk_form_group_with_its_message_linked():
    form = Plan({"kind": "a", "when_0": "1", "when_1": "1", "when_2": "2030"})
    assert not form.is_valid()
    html = render_to_string("_field.html", {"field": form["what"]})
    assert "govuk-form-group--error" in html and 'class="govuk-input"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_what_error"' in html
    assert '<p class="govuk-error-message" id="id_what_error">' in html


def test_radios_render_in_a_fieldset_with_a_legend():
    html = render_to_string("_field.html", {"field": Plan()["kind"]})
    assert '<fieldset class="govuk-fieldset"' in html and "govuk-fieldset__legend" in html
    assert html.count('class="govuk-radios__input"') == 2


def test_a_date_is_typed_as_day_month_and_year_and_read_back_as_a_date():
    form = Plan({"what": "Buses", "kind": "a", "when_0": "27", "when_1": "3", "when_2": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2027, 3, 27)
    html = render_to_string("_field.html", {"field": form["when"]})
    assert [label in html for label in (">Day<", ">Month<", ">Year<")] == [True, True, True]


def test_an_impossible_date_is_refused_and_the_summary_links_to_the_day_box():
    form = Plan({"what": "Buses", "kind": "a", "when_0": "31", "when_1": "2", "when_2": "2027"})
    assert not form.is_valid()
    assert form_errors(form) == [{"text": "By when must be a real date", "href": "#id_when_0"}]


def test_a_date_posted_as_one_iso_value_is_still_read():
    form = Plan({"what": "Buses", "kind": "a", "when": "2027-03-27"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2027, 3, 27)
