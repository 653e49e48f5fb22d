"""The value parsers shared by the web form and file import."""
import datetime as dt

import pytest

from goldenthread.reviews.drafts import (
    InvalidValue,
    ReviewDraft,
    StatementDraft,
    check_review_date,
    parse_attendees,
    parse_consent,
    parse_date,
    parse_kind,
    parse_person_ref,
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


@pytest.mark.parametrize("value", ["P-0042", "ASH-2026-014", "Q1", "P1", "  P-0042 ", "P 0042", "12345",
                                   "943476591", "94347659190", "ward 7", "XANTHE-01"])
def test_a_pseudonymous_person_id_is_kept(value):
    assert parse_person_ref(value) == value.strip()


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "9434765910", " 943 476 5919 ",
                                   "9 4 3 4 7 6 5 9 1 9", "943\t476\t5919"])
def test_a_person_id_shaped_like_an_nhs_number_is_refused_whatever_the_check_digit(value):
    with pytest.raises(InvalidValue, match="looks like an NHS number. Use the council's pseudonymous ID "
                                           r"\(for example P-0042\), never an NHS number"):
        parse_person_ref(value)


@pytest.mark.parametrize("value", ["Xanthe Fhirwell", "Mary Ann Smith", "Orla O'Quill", "Bryn Tal-Morwen",
                                   "\u00c9lodie Varnasse", "Xanthe  Fhirwell"])
def test_a_person_id_shaped_like_a_name_is_refused(value):
    with pytest.raises(InvalidValue, match="looks like a name. Use the council's pseudonymous ID"):
        parse_person_ref(value)


def test_an_empty_person_id_is_refused():
    with pytest.raises(InvalidValue, match="is empty"):
        parse_person_ref("  ")


@pytest.mark.parametrize("value, message", [
    ("1890-03-12", "12/03/1890 is before 2000 \u2014 check the year"), ("0001-01-01", "01/01/0001 is before 2000"),
    ("31/12/1999", "before 2000"), (dt.date(1999, 12, 31), "before 2000"),
])
def test_a_review_date_before_2000_is_refused(value, message):
    with pytest.raises(InvalidValue, match=message):
        parse_date(value, today=dt.date(2026, 11, 1))


def test_the_review_date_bounds_are_1_january_2000_to_today():
    today = dt.date(2026, 11, 1)
    assert check_review_date(dt.date(2000, 1, 1), today=today) == dt.date(2000, 1, 1)
    assert check_review_date(today, today=today) == today
    with pytest.raises(InvalidValue, match="in the future"):
        check_review_date(today + dt.timedelta(days=1), today=today)
