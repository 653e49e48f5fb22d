"""Contact details and dates that identify a person, found by pattern: e-mail addresses, NHS numbers (with
their check digit), UK postcodes, dates of birth and UK phone numbers (checked with ``phonenumbers``).

The anonymiser (:mod:`.anonymise`) asks these for candidates; names and street addresses are found there.

>>> is_valid_nhs_number("943 476 5919")
True
>>> [m.group() for m in EMAIL_RE.finditer("write to rose.smith@example.com today")]
['rose.smith@example.com']
"""
from __future__ import annotations

import re

import phonenumbers

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)

EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,}(?![\w-])"
)

# Ten digits, together or grouped 3-3-4 with the same separator (space or dash).
NHS_RE = re.compile(r"(?<![\w+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?!\w)")

# UK postcode: outward code (area + district) then inward code (sector + unit).
# Letters that never appear in given positions are excluded, per Royal Mail. The NHS's
# pseudo-postcodes "ZZ99 3VZ" (no fixed abode, abroad, ...) break those rules but still
# say something about a person, so they are hidden too.
POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:GIR ?0AA|ZZ99 ?[0-9][A-Z]{2}|"
    r"(?:[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y]))"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)

DOB_RE = re.compile(
    r"(?<!\w)(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|birthday\s+is(?:\s+on)?)"
    r"(?!\w)\s*[:\-\u2013]?\s*(?:is\s+)?(?:the\s+)?"
    r"(?P<date>"
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTHS + r",?\s+\d{4}"
    r"|" + MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r")(?![\w/.\-]\d)(?!\w)",
    re.IGNORECASE,
)

# Cheap pre-filter: a run that could hold a phone number. Starts with +, ( or 0.
PHONE_CANDIDATE_RE = re.compile(r"(?<![\w+])(?:\+|\(\s?)?\d[\d \t().\-]*\d(?![\w])")
PHONE_GROUP_RE = re.compile(r"[+(]?\d[\d().\-]*\)?")

def is_valid_nhs_number(digits: str) -> bool:
    """True if ``digits`` is a ten-digit NHS number with a correct check digit.

    Spaces and dashes are ignored. The check digit is the modulus-11 check: the
    first nine digits are weighted 10 down to 2 and summed; 11 minus the
    remainder mod 11 is the check digit (11 counts as 0; 10 means invalid).
    """
    clean = re.sub(r"[ \-]", "", digits or "")
    if len(clean) != 10 or not clean.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(clean[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(clean[9])


def find_nhs_numbers(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in NHS_RE.finditer(text) if is_valid_nhs_number(m.group(1) + m.group(3) + m.group(4))]


def find_phones(text: str) -> list[tuple[int, int]]:
    """UK phone numbers, checked with ``phonenumbers`` (region GB).

    A cheap regex finds runs of digits and separators first; only runs with at
    least nine digits go to ``phonenumbers``. Within a run we try the longest
    stretch of whole digit groups that starts with 0, + or ( and is a possible
    UK number, so "07700 900123 3 days" still finds the phone number.
    """
    found: list[tuple[int, int]] = []
    for cand in PHONE_CANDIDATE_RE.finditer(text):
        if sum(c.isdigit() for c in cand.group()) < 9:
            continue
        groups = [(g.start() + cand.start(), g.end() + cand.start()) for g in PHONE_GROUP_RE.finditer(cand.group())]
        i = 0
        while i < len(groups):
            hit = None
            if text[groups[i][0]] in "+(0":
                for j in range(len(groups) - 1, i - 1, -1):
                    start, end = groups[i][0], groups[j][1]
                    if text[start] == "(" and text.count("(", start, end) > text.count(")", start, end):
                        start += 1  # an opening bracket around the whole number: "(07700 900123, ..."
                    if is_uk_phone(text[start:end]):
                        hit = ((start, end), j)
                        break
            if hit:
                found.append(hit[0])
                i = hit[1] + 1
            else:
                i += 1
    return found


def is_uk_phone(raw: str) -> bool:
    """Is ``raw`` a possible phone number, as written in the UK? (Asks ``phonenumbers``.)"""
    if raw.count("(") != raw.count(")"):
        return False
    digits = "".join(c for c in raw if c.isdigit())
    # Quick length check so hopeless stretches never reach the (slower) parser.
    if digits.startswith("0044") or (raw.startswith("+") and digits.startswith("44")):
        if not 11 <= len(digits.lstrip("0")) <= 13:  # 44 + 9 or 10 digits (+ a bracketed 0)
            return False
    elif digits.startswith("0") and not raw.startswith("+"):
        if not 10 <= len(digits) <= 11:
            return False
    elif len(digits) < 9:
        return False
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return False
    if number.country_code != 44 and not raw.startswith("+"):
        return False  # "00..." reference numbers are not read as foreign phones
    return len(str(number.national_number)) >= 9 and phonenumbers.is_possible_number(number)
