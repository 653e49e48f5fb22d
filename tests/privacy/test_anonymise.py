"""Tests for goldenthread.privacy.anonymise.

All names, numbers and addresses here are invented. Phone numbers are from
Ofcom's drama ranges (07700 900xxx, 01632 960xxx, 0113/0161 496 0xxx,
020 7946 0xxx); NHS numbers are made-up numbers with a valid check digit.
"""
from __future__ import annotations

import random
import time

import pytest

from goldenthread.privacy.anonymise import (
    COMMON_WORD_NAMES,
    PLACEHOLDERS,
    Anonymiser,
    Finding,
    anonymise,
    find_personal_data,
    is_valid_nhs_number,
)

NAMES = [
    "Margaret O'Neill",
    "Dev Patel",
    "Rose",
    "Will Jones",
    "Mary-Jane Smith",
    "Mr Tom Baker",
    "Sue (sister)",
    "June Brown",
    "Ann Lee",
    "Pat Hope",
    "Al Khan",
    "Don Mark",
]


@pytest.fixture(scope="module")
def anon() -> Anonymiser:
    return Anonymiser(NAMES)


def check(anon: Anonymiser, text: str, expected: str) -> None:
    assert anon(text) == expected
    assert anon(anon(text)) == expected  # idempotent


# --- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # full names and single parts
        ("Margaret O'Neill came to my review", "[name] came to my review"),
        ("Margaret helps me with forms", "[name] helps me with forms"),
        ("I talk to O'Neill about money", "I talk to [name] about money"),
        ("I like Margaret O\u2019Neill a lot", "I like [name] a lot"),
        ("Dev Patel and Margaret came", "[name] and [name] came"),
        ("Dev, Tom and Ann came round", "[name], [name] and [name] came round"),
        # lower case and capitals
        ("i see dev on tuesdays", "i see [name] on tuesdays"),
        ("margaret o'neill rang me", "[name] rang me"),
        ("MARGARET is my friend", "[name] is my friend"),
        # possessives
        ("Rose's dog is lovely", "[name]'s dog is lovely"),
        ("Dev\u2019s car broke down", "[name]\u2019s car broke down"),
        ("I borrowed Jones' ladder", "I borrowed [name]' ladder"),
        ("Margaret O'Neill's garden", "[name]'s garden"),
        # hyphenated names: whole and each half
        ("Mary-Jane and I cook", "[name] and I cook"),
        ("Mary and Jane visit", "[name] and [name] visit"),
        ("Mary Jane Smith phoned", "[name] phoned"),
        ("mary-jane smith phoned", "[name] phoned"),
        # titles are swallowed, adjacent parts collapse
        ("Mrs O'Neill is kind", "[name] is kind"),
        ("Mr Tom Baker drives me", "[name] drives me"),
        ("Mr. Baker drives me", "[name] drives me"),
        ("Dr Patel listens to me", "[name] listens to me"),
        ("Ms Smith came", "[name] came"),
        ("Tom Baker and Dev Patel", "[name] and [name]"),
        # notes in brackets on the record are not names
        ("Sue takes me shopping", "[name] takes me shopping"),
        # a name at the end of a sentence or inside brackets/quotes
        ("I go out with Dev.", "I go out with [name]."),
        ('She said "Dev is late" again', 'She said "[name] is late" again'),
        ("My carer (Ann) is great", "My carer ([name]) is great"),
    ],
)
def test_names_replaced(anon, text, expected):
    check(anon, text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Annual planning meeting went well",  # Ann
        "the pattern of my week",  # Pat
        "I also like football",  # Al
        "Devon is nice in summer",  # Dev
        "we had a tombola at the fair",  # Tom
        "Roseanne runs the cafe",  # Rose
        "my sister helps me",  # "(sister)" on the record is a note, not a name
        "I miss the old group",  # miss is not a title here
        "The Leeds group",  # Lee inside Leeds
        "Marysville and Janes Road",  # parts inside longer words
    ],
)
def test_names_inside_other_words_untouched(anon, text):
    check(anon, text, text)


# --- names that are also ordinary words ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Will takes me swimming", "[name] takes me swimming"),
        ("On Fridays Will takes me swimming", "On Fridays [name] takes me swimming"),
        ("I go out with Rose", "I go out with [name]"),
        ("Rose helps me get dressed", "[name] helps me get dressed"),
        ("Mark's car is red", "[name]'s car is red"),
        ("I see June on Tuesdays", "I see [name] on Tuesdays"),
        ("June's daughter visits", "[name]'s daughter visits"),
        ("June Brown visits", "[name] visits"),
        ("Mrs Hope phoned me", "[name] phoned me"),
        ("Hope helps me on Mondays", "[name] helps me on Mondays"),
        ("will jones came", "[name] came"),
        ("I sat with Pat", "I sat with [name]"),
        ("Pat's hat", "[name]'s hat"),
        ("Don drives the minibus", "[name] drives the minibus"),
        ("- Will takes me out", "- [name] takes me out"),
    ],
)
def test_common_word_names_replaced_as_names(anon, text, expected):
    check(anon, text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "I will go to the club",
        "Will I get a bus pass?",
        "Will you help me?",
        "Will there be a ramp?",
        "We sat in the rose garden",
        "I hope so",
        "Hope you are well",
        "mark my words",
        "Mark my words, it works",
        "in May I moved house",
        "on 3 June 2025 we met",
        "June 2024 was a hard month",
        "I will pat the dog",
        "since June things are better",
        "WILL THEY COME",
        "Don't worry about me",
        "I don't mind",
        "I feel hope now",
        "please don't sue me",
    ],
)
def test_common_word_names_left_alone_as_words(anon, text):
    check(anon, text, text)


def test_common_word_list_is_lower_case_and_covers_the_usual_suspects():
    assert all(w == w.lower() for w in COMMON_WORD_NAMES)
    for word in ("will", "rose", "mark", "hope", "may", "june", "april", "bill", "pat", "sue", "don", "art"):
        assert word in COMMON_WORD_NAMES


def test_month_name_may_as_a_person():
    may = Anonymiser(["May Evans"])
    assert may("May's son visits") == "[name]'s son visits"
    assert may("I go to lunch with May") == "I go to lunch with [name]"
    assert may("in May I moved") == "in May I moved"
    assert may("May I come too?") == "May I come too?"
    assert may("last May was hard") == "last May was hard"
    assert may("by 12 May it was fine") == "by 12 May it was fine"
    assert may("I may go") == "I may go"


# --- phone numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "(01632) 960 001",
        "01632 960001",
        "01632960001",
        "0161 496 0000",
        "0113 496 0123",
        "020 7946 0123",
    ],
)
def test_phone_numbers_replaced(anon, phone):
    check(anon, f"My number is {phone}, ring after 10.", "My number is [phone], ring after 10.")


@pytest.mark.parametrize(
    "text",
    [
        "I go 3 days a week",
        "It costs £20 a session",
        "I get 10 hours of support",
        "My order number is 123456789012",
        "Reference 07700900123456 on the letter",  # too long to be a phone number
        "Invoice 4000 1234 5678 9010",
        "1234567890 is on my bus pass",  # 10 digits, bad NHS check digit, no leading 0
        "I was there from 9 till 5 on 12/03/2025",
    ],
)
def test_numbers_that_are_not_phones_left_alone(anon, text):
    check(anon, text, text)


def test_phone_followed_by_other_numbers(anon):
    check(anon, "Call 07700 900123 3 days a week", "Call [phone] 3 days a week")
    check(anon, "07700 900123 07700 900456", "[phone] [phone]")


# --- e-mail -------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["rose.smith@example.com", "Dev_P+care@mail.example.co.uk", "a1@example.org"],
)
def test_emails_replaced(anon, email):
    check(anon, f"Email me at {email}.", "Email me at [email].")


@pytest.mark.parametrize(
    "text",
    ["Meet me @ the club", "email me on a@b please", "I like e-mail better than letters"],
)
def test_not_emails_left_alone(anon, text):
    check(anon, text, text)


# --- NHS numbers ----------------------------------------------------------------


@pytest.mark.parametrize("number", ["943 476 5919", "943-476-5919", "9434765919", "401 023 2137", "4505577104"])
def test_valid_nhs_numbers_replaced(anon, number):
    check(anon, f"NHS no {number} on file", "NHS no [NHS number] on file")


@pytest.mark.parametrize(
    "text",
    [
        "NHS no 943 476 5918 on file",  # wrong check digit
        "NHS no 9434765910 on file",  # wrong check digit
        "NHS no 3040119800 on file",  # check digit would be 10: never valid
        "Ticket 94347659191 on file",  # eleven digits
    ],
)
def test_invalid_nhs_numbers_left_alone(anon, text):
    check(anon, text, text)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("3040119800", False),
        ("943476591", False),
        ("94347659199", False),
        ("abcdefghij", False),
        ("", False),
    ],
)
def test_is_valid_nhs_number(digits, valid):
    assert is_valid_nhs_number(digits) is valid


def test_nhs_number_wins_over_phone():
    # 0700900128 is a possible UK phone number AND has a valid NHS check digit.
    findings = find_personal_data("number 0700900128 here")
    assert [f.kind for f in findings] == ["nhs_number"]


# --- postcodes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    ["GL1 2AB", "gl1 2ab", "GL12AB", "sw1a1aa", "SW1A 1AA", "M1 1AE", "EC1A 1BB", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX",
     "ZZ99 3VZ", "zz993cz"],
)
def test_postcodes_replaced(anon, postcode):
    check(anon, f"I live near {postcode}, by the shop", "I live near [postcode], by the shop")


@pytest.mark.parametrize(
    "text",
    [
        "I live off the A12 near town",
        "The A12 road is busy",
        "We take the M6 motorway",
        "The GL1 area is nice",  # outward code only
        "Room B12 on the ground floor",
        "I had COVID19 last year",
    ],
)
def test_not_postcodes_left_alone(anon, text):
    check(anon, text, text)


# --- dates of birth ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB 12/03/1954", "DOB [date of birth]"),
        ("DOB: 12/03/1954.", "DOB: [date of birth]."),
        ("dob 12-3-54", "dob [date of birth]"),
        ("D.O.B. 12.03.1954", "D.O.B. [date of birth]"),
        ("D.O.B: 12 March 1954", "D.O.B: [date of birth]"),
        ("date of birth 12 March 1954", "date of birth [date of birth]"),
        ("Date of birth: 1954-03-12", "Date of birth: [date of birth]"),
        ("I was born on 12 March 1954 in Leeds", "I was born on [date of birth] in Leeds"),
        ("I was born 12th of March 1954", "I was born [date of birth]"),
        ("born on the 12th March 1954", "born on the [date of birth]"),
        ("I was born March 12th 1954", "I was born [date of birth]"),
        ("born on March 12th, 1954", "born on [date of birth]"),
        ("my birthday is 12.03.1954", "my birthday is [date of birth]"),
        ("born 3 Sept 1949", "born [date of birth]"),
    ],
)
def test_dates_of_birth_replaced(anon, text, expected):
    check(anon, text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "my review on 12/03/2025 went well",
        "I started on 12 March 2025",
        "Next visit March 12th 2025",
        "I was born in Leeds",
        "the centre closed on 1.4.24",
    ],
)
def test_ordinary_dates_left_alone(anon, text):
    check(anon, text, text)


# --- addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live at 12 Mill Lane now", "I live at [address] now"),
        ("I live at 12 mill lane now", "I live at [address] now"),
        ("I moved to Flat 3, 12 Mill Lane last year", "I moved to [address] last year"),
        ("flat 3 12 mill lane", "[address]"),
        ("42 Acacia Avenue is my home", "[address] is my home"),
        ("7a Station Rd, by the park", "[address], by the park"),
        ("221 Baker Street", "[address]"),
        ("3 Church View", "[address]"),
        ("15 Long Meadow Close", "[address]"),
        ("9 Kings Court", "[address]"),
        ("10 High St. is the shop", "[address] is the shop"),
        ("2 Rose Terrace", "[address]"),  # a listed name inside an address is the address
    ],
)
def test_addresses_replaced(anon, text, expected):
    check(anon, text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "I go 3 days a week",
        "I live on Top Road",
        "I walked 2 miles up the hill",
        "3 times a week I walk",
        "I have 2 dogs to walk",
        "We won 3 in a row",
        "I pay £2 car park fees",
        "the A12 road is busy",
        "I go 2 days to court",
    ],
)
def test_not_addresses_left_alone(anon, text):
    check(anon, text, text)


# --- everything together ------------------------------------------------------------------


def test_many_findings_in_one_statement(anon):
    text = (
        "Rose (07700 900123, rose.w@example.com) lives at 12 Mill Lane, GL1 2AB. "
        "DOB 12/03/1954, NHS 943 476 5919. Mr Tom Baker visits 3 days a week."
    )
    expected = (
        "[name] ([phone], [email]) lives at [address], [postcode]. "
        "DOB [date of birth], NHS [NHS number]. [name] visits 3 days a week."
    )
    check(anon, text, expected)


def test_findings_offsets_and_order(anon):
    text = "Ring Dev on 07700 900123 or dev@example.com, 12 Mill Lane GL1 2AB"
    findings = anon.findings(text)
    assert [f.kind for f in findings] == ["name", "phone", "email", "address", "postcode"]
    for f in findings:
        assert isinstance(f, Finding)
        assert text[f.start:f.end] == f.text
    assert [f.text for f in findings] == ["Dev", "07700 900123", "dev@example.com", "12 Mill Lane", "GL1 2AB"]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))


def test_findings_for_collapsed_name_covers_title_and_parts(anon):
    text = "Yesterday Mrs Margaret O'Neill's son came"
    (finding,) = anon.findings(text)
    assert finding == Finding("name", 10, 30, "Mrs Margaret O'Neill")


@pytest.mark.parametrize(
    "text",
    [
        "[name] said [phone] and [email] at [address], [postcode]",
        "DOB [date of birth], NHS [NHS number]",
        "[name]'s carer",
    ],
)
def test_placeholders_are_never_matched_again(text):
    tricky = Anonymiser(["Name Address", "Phone Email", "Birth Date"])
    assert tricky(text) == text


def test_idempotent_on_a_realistic_statement(anon):
    text = "Will's mum, Mrs Hope, rang 0161 496 0000 about Flat 2, 8 Oak Grove, M1 1AE."
    once = anon(text)
    assert once == "[name]'s mum, [name], rang [phone] about [address], [postcode]."
    assert anon(once) == once


def test_module_functions_match_the_class(anon):
    text = "Dev rang 07700 900123 from 12 Mill Lane"
    assert anonymise(text, NAMES) == anon(text)
    assert find_personal_data(text, NAMES) == anon.findings(text)
    assert anonymise(text, "Dev Patel") == "[name] rang [phone] from [address]"


def test_no_names_and_empty_text():
    assert anonymise("") == ""
    assert find_personal_data("") == []
    assert Anonymiser(find_unlisted=False)("Rose rang 07700 900123") == "Rose rang [phone]"
    assert Anonymiser()("nothing to see") == "nothing to see"
    assert Anonymiser(["", "  ", "(sister)"])("my sister rang") == "my sister rang"


def test_placeholders_cover_every_kind():
    assert set(PLACEHOLDERS) == {"name", "phone", "email", "nhs_number", "postcode", "date_of_birth", "address"}


# --- speed ---------------------------------------------------------------------------------


def test_ten_thousand_statements_are_quick(anon):
    rng = random.Random(7)
    samples = [
        "I like going to the day centre 3 days a week and Rose helps me get the bus there.",
        "Will takes me swimming on Tuesdays and I will keep going if the pool stays open.",
        "My phone is 07700 900123 and my review on 12/03/2025 went well, thank you all.",
        "I want more time with my friends at 12 Mill Lane and less time waiting for carers.",
        "Margaret O'Neill says I should ask about the £20 for the club, DOB 12/03/1954.",
        "Staff at the home are kind but there are not enough of them at night, I feel lonely.",
    ]
    statements = [rng.choice(samples) for _ in range(10_000)]
    anon("warm up")  # the first call loads the name lists
    started = time.process_time()  # CPU time: steady on a shared, busy machine
    for s in statements:
        anon(s)
    elapsed = time.process_time() - started
    # About 1.3 s of CPU (0.7 s without the name recogniser); the bound only catches big regressions.
    assert elapsed < 10, f"10,000 statements took {elapsed:.2f}s"
