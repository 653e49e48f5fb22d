"""Issue 25, part 3: "You said, we did" says the right thing for each kind of theme, the same on the page and in
print. A future theme is a wish, not something that is working."""
from __future__ import annotations

from django.test import Client
from django.urls import reverse

from goldenthread.reporting.you_said import NO_ACTION_YET, easy_read_document, you_said_we_did
from tests.reporting.conftest import ALLOTMENT, HOME


def test_each_kind_of_theme_without_an_action_says_its_own_words_on_the_page_and_in_print(world, commissioner):
    entries = {e.theme: e for e in you_said_we_did(world["cycle"], shared=False)}
    assert entries[HOME].no_action_words == NO_ACTION_YET["future"]
    assert "keep it going" not in entries[HOME].no_action_words
    assert entries[ALLOTMENT].no_action_words == NO_ACTION_YET["working"]
    client = Client()
    client.force_login(commissioner)
    page = client.get(reverse("reports:you_said", args=[world["cycle"].slug])).content.decode()
    home = page[page.index(HOME):]
    assert NO_ACTION_YET["future"] in home.split("</section>")[0]
    # In print, a theme with no action is shown in full with its kind's words, or named in "other things".
    home = next(e for e in entries.values() if e.theme == HOME)
    home.kind = "future"
    printed = easy_read_document(world["cycle"], [home])
    text = repr(printed)
    assert "keep it going" not in text and ("Nothing has been agreed for it yet" in text or HOME in text)
