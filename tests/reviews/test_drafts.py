"""The value parsers shared by the web form and file import."""
import datetime as dt

import pytest

from goldenthread.reviews.drafts import (
    InvalidValue,
    ReviewDraft,
    StatementDraft,
    parse_attendees,
    parse_consent,
    parse_date,
    parse_kind,
    parse_perspective,
    parse_priority,
)


@pytest.mark.parametrize("value, expected", [
    ("working", "working"), ("Working", "working"), ("not working", "not_working"),
    ("Not_Working", "not_working"), ("not-working", "not_working"), ("future", "future"),
    ("Important for the future", "future"), ("important now", "important_now"),
])
def test_kinds_are_read_in_the_words_people_use(value, expected):
    assert parse_kind(value) == expected


@pytest.mark.parametrize("value", ["", "workng", "good", "3"])
def test_unknown_kinds_are_refused_with_the_allowed_words(value):
    with pytest.raises(InvalidValue, match="working, not working, future or important now"):
        parse_kind(value)


def test_perspective_defaults_to_the_person_and_refuses_unknown_words():
    assert parse_perspective("") == "person"
    assert parse_perspective("Family or carer") == "family"
    assert parse_perspective("other professionals") == "professional"
    with pytest.raises(InvalidValue, match="not a perspective"):
        parse_perspective("neighbour")


@pytest.mark.parametrize("value, expected", [("", None), (None, None), ("1", 1), (2, 2), (3.0, 3), ("2.0", 2)])
def test_priorities(value, expected):
    assert parse_priority(value) == expected


@pytest.mark.parametrize("value", ["0", "4", "first", "1.5", -1])
def test_bad_priorities(value):
    with pytest.raises(InvalidValue, match="Use 1, 2 or 3"):
        parse_priority(value)


@pytest.mark.parametrize("value, expected", [("yes", True), ("Y", True), (True, True), ("no", False), ("0", False)])
def test_consent(value, expected):
    assert parse_consent(value) is expected


def test_consent_must_be_said():
    with pytest.raises(InvalidValue, match="empty"):
        parse_consent("")
    with pytest.raises(InvalidValue, match="not yes or no"):
        parse_consent("maybe")


@pytest.mark.parametrize("value", ["2026-03-14", "14/03/2026", "14-03-2026", "14.03.2026", "14 March 2026",
                                   "2026-03-14 00:00:00", dt.datetime(2026, 3, 14, 0, 0), dt.date(2026, 3, 14)])
def test_dates_in_uk_and_iso_forms(value):
    assert parse_date(value, today=dt.date(2026, 11, 1)) == dt.date(2026, 3, 14)


@pytest.mark.parametrize("value, message", [
    ("", "empty"), ("31/02/2026", "not a date"), ("03/14/2026", "not a date"), ("next week", "not a date"),
    ("2027-01-01", "in the future"),
])
def test_bad_dates(value, message):
    with pytest.raises(InvalidValue, match=message):
        parse_date(value, today=dt.date(2026, 11, 1))


def test_attendees_from_text_and_from_json():
    assert parse_attendees("Jean Hart (sister); Priya Kaur (review facilitator);Tom") == [
        ("Jean Hart", "sister"), ("Priya Kaur", "review facilitator"), ("Tom", "")]
    assert parse_attendees([{"name": "Jean", "relationship": "sister"}, "Tom (friend)"]) == [
        ("Jean", "sister"), ("Tom", "friend")]
    with pytest.raises(InvalidValue, match="has no name"):
        parse_attendees("(sister)")


def test_fingerprint_changes_with_any_statement_and_not_otherwise():
    def draft(text):
        return ReviewDraft(reference="R1", person_ref="P1", review_date=dt.date(2026, 1, 2), area="A",
                           user_group="G", consent=True, statements=[StatementDraft("working", text)])

    assert draft("x").fingerprint() == draft("x").fingerprint()
    assert draft("x").fingerprint() != draft("y").fingerprint()


def test_each_priority_once_per_kind():
    review = ReviewDraft(reference="R1", person_ref="P1", review_date=dt.date(2026, 1, 2), area="A",
                         user_group="G", consent=True, statements=[
                             StatementDraft("working", "a", priority=1), StatementDraft("working", "b", priority=1),
                             StatementDraft("not_working", "c", priority=1)])
    assert review.priority_problems() == [
        'priority 1 is given to 2 "working" statements; each of 1, 2 and 3 can be used once per kind']
