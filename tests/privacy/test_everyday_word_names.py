"""Issue 22, part 5: names that are everyday words at the start of a sentence, and short forms
of the record's own names ("Will" for William). All names and sentences are invented."""
from __future__ import annotations

import pytest

from goldenthread.privacy.anonymise import Anonymiser
from goldenthread.privacy.names import short_forms

RECORD = ["Derek Ashworth", "Bernadette Quinn (advocate)"]


def _hidden_or_flagged(anon: Anonymiser, text: str, word: str) -> bool:
    result = anon.anonymise(text)
    return word not in result.text or any(u.text == word for u in result.uncertain)


@pytest.mark.parametrize("text, word", [
    ("Mark is good but the others rush", "Mark"),
    ("Pat helps me", "Pat"),
    ("June at the day centre helps me", "June"),
    ("Will came round", "Will"),
    ("Ray is teaching me to cook.", "Ray"),
])
def test_an_everyday_word_name_that_starts_a_sentence_is_hidden_or_flagged(text, word):
    assert _hidden_or_flagged(Anonymiser(RECORD), text, word)


@pytest.mark.parametrize("text, word", [
    ("Pat helps me", "Pat"),
    ("June at the day centre helps me", "June"),
    ("Will came round", "Will"),
])
def test_an_everyday_word_name_followed_by_a_name_verb_is_hidden(text, word):
    assert word not in Anonymiser(RECORD)(text)


def test_an_everyday_word_name_with_no_evidence_is_left_on_the_card_but_flagged():
    result = Anonymiser(RECORD).anonymise("Mark is good but the others rush")
    assert result.text == "Mark is good but the others rush"
    assert [(u.text, u.replaced) for u in result.uncertain] == [("Mark", False)]


@pytest.mark.parametrize("text", [
    "Will you help me find a job?",
    "May I have more time outside?",
    "Mark the date on my calendar please.",
    "Hope you are all well.",
    "In June I go to the seaside.",
    "Grace is said before tea.",
])
def test_a_sentence_that_starts_with_the_everyday_word_is_not_changed(text):
    assert Anonymiser(RECORD)(text) == text


@pytest.mark.parametrize("record, text, expected", [
    (["William Hartley"], "Will came round and we had tea.", "[name] came round and we had tea."),
    (["Elizabeth Moreno"], "Liz rang me last night.", "[name] rang me last night."),
    (["Robert Okafor"], "I go fishing with Bob on Saturdays.", "I go fishing with [name] on Saturdays."),
    (["Elizabeth Moreno"], "Lizzie takes me to the market.", "[name] takes me to the market."),
    (["Patricia Dunmore"], "Trish does my hair every week.", "[name] does my hair every week."),
])
def test_a_short_form_of_a_name_on_the_record_is_hidden(record, text, expected):
    assert Anonymiser(record, find_unlisted=False)(text) == expected


@pytest.mark.parametrize("record, text", [
    (["William Hartley"], "Will you help me get a bus pass?"),
    (["William Hartley"], "I will go to college."),
    (["Dorothy Fenwick"], "I have a dolly from when I was small."),
])
def test_a_short_form_used_as_an_everyday_word_is_left_alone(record, text):
    assert Anonymiser(record, find_unlisted=False)(text) == text


def test_short_forms_come_from_the_nicknames_list():
    assert {"will", "bill"} <= short_forms("William")
    assert {"liz", "beth"} <= short_forms("Elizabeth")
    assert {"bob", "rob"} <= short_forms("Robert")
    assert short_forms("Zxqwv") == frozenset()
