"""Reviews as plain data, checked but not yet saved.

Both ways in (the web form and file import) turn what they receive into
:class:`ReviewDraft` objects using the parsers here, so a value means the same
thing whichever way it arrived. :func:`goldenthread.reviews.saving.save_reviews`
then writes drafts to the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from goldenthread.core.models import MAX_PRIORITY, Kind, Perspective
from goldenthread.privacy.normalise import strip_invisible


class InvalidValue(ValueError):
    """A single value that cannot be used; the message is written for the person who typed it."""


_KIND_WORDS = {
    "working": Kind.WORKING,
    "what is working": Kind.WORKING,
    "works": Kind.WORKING,
    "not working": Kind.NOT_WORKING,
    "what is not working": Kind.NOT_WORKING,
    "notworking": Kind.NOT_WORKING,
    "future": Kind.FUTURE,
    "important for the future": Kind.FUTURE,
    "important in the future": Kind.FUTURE,
    "important now": Kind.IMPORTANT_NOW,
    "important to the person now": Kind.IMPORTANT_NOW,
    "important to me now": Kind.IMPORTANT_NOW,
}
_PERSPECTIVE_WORDS = {
    "person": Perspective.PERSON,
    "the person": Perspective.PERSON,
    "self": Perspective.PERSON,
    "me": Perspective.PERSON,
    "family": Perspective.FAMILY,
    "carer": Perspective.FAMILY,
    "family or carer": Perspective.FAMILY,
    "family carer": Perspective.FAMILY,
    "family and friends": Perspective.FAMILY,
    "staff": Perspective.STAFF,
    "support staff": Perspective.STAFF,
    "professional": Perspective.PROFESSIONAL,
    "professionals": Perspective.PROFESSIONAL,
    "other professional": Perspective.PROFESSIONAL,
    "other professionals": Perspective.PROFESSIONAL,
}
_YES = {"yes", "y", "true", "1", "agreed", "given"}
_NO = {"no", "n", "false", "0", "refused", "not given"}


def _words(value: str) -> str:
    return re.sub(r"[\s_\-]+", " ", value.strip().lower())


def parse_kind(value) -> str:
    text = _words(str(value or ""))
    if not text:
        raise InvalidValue("is empty. Use working, not working, future or important now")
    if text in _KIND_WORDS:
        return _KIND_WORDS[text]
    raise InvalidValue(f'"{value}" is not a kind of statement. Use working, not working, future or important now')


def parse_perspective(value) -> str:
    text = _words(str(value or ""))
    if not text:
        return Perspective.PERSON
    if text in _PERSPECTIVE_WORDS:
        return _PERSPECTIVE_WORDS[text]
    raise InvalidValue(f'"{value}" is not a perspective. Use person, family, staff or professional')


def parse_priority(value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        number = int(float(text))
        if 1 <= number <= MAX_PRIORITY:
            return number
    raise InvalidValue(f'"{value}" is not a priority. Use 1, 2 or 3, or leave it empty')


def parse_consent(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _words(str(value if value is not None else ""))
    if text in _YES:
        return True
    if text in _NO:
        return False
    if not text:
        raise InvalidValue("is empty. Say yes or no")
    raise InvalidValue(f'"{value}" is not yes or no')


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")


def parse_date(value, *, today: dt.date | None = None) -> dt.date:
    """Read a review date: ISO (2026-03-14), UK day-first (14/03/2026) or an Excel date cell."""
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        text = str(value or "").strip()
        if not text:
            raise InvalidValue("is empty. Give the date of the review, for example 2026-03-14")
        # Spreadsheets sometimes add a midnight time to a date.
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        for fmt in _DATE_FORMATS:
            try:
                date = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise InvalidValue(f'"{value}" is not a date. Use the form 2026-03-14 or 14/03/2026')
    return check_review_date(date, today=today)


#: The earliest review date taken; an earlier one is almost always a mistyped year.
EARLIEST_REVIEW_DATE = dt.date(2000, 1, 1)


def check_review_date(date: dt.date, *, today: dt.date | None = None) -> dt.date:
    """The bounds every way a review comes in uses: from 1 January 2000 to today."""
    if date < EARLIEST_REVIEW_DATE:
        raise InvalidValue(f"{date.day:02d}/{date.month:02d}/{date.year:04d} is before 2000 \u2014 check the year")
    if date > (today or dt.date.today()):
        raise InvalidValue(f"{date:%d/%m/%Y} is in the future")
    return date


def check_in_cycle(date: dt.date, year: int) -> dt.date:
    """A cycle uses the reviews held in its year and the year before it (reviews are yearly): the same rule for the
    review form, the file import and the API."""
    if not year - 1 <= date.year <= year:
        raise InvalidValue(f"{date:%d/%m/%Y} is not in {year - 1} or {year}, the years the {year} cycle uses "
                           "— check the year")
    return date


_NHS_NUMBER_SHAPE = re.compile(r"[0-9]{10}")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")
_PSEUDONYMOUS = "Use the council's pseudonymous ID (for example P-0042)"


def parse_person_ref(value) -> str:
    """Read a person ID, refusing values shaped like an NHS number or a name.

    The ID must be the council's pseudonymous one: ten digits (with or without
    spaces or dashes, whatever the check digit) look like an NHS number, and two
    or more capitalised words of letters look like a person's name.
    """
    text = strip_invisible(str(value if value is not None else "")).strip()
    if not text:
        raise InvalidValue("is empty")
    if _NHS_NUMBER_SHAPE.fullmatch(re.sub(r"[\s\-]", "", text)):
        raise InvalidValue(f"this looks like an NHS number. {_PSEUDONYMOUS}, never an NHS number")
    words = text.split()
    if len(words) >= 2 and all(_NAME_WORD.fullmatch(w) and w[0].isupper() for w in words):
        raise InvalidValue(f"this looks like a name. {_PSEUDONYMOUS}, never the person's name")
    return text


_ATTENDEE = re.compile(r"^(?P<name>[^()]*?)\s*(?:\((?P<relationship>[^()]*)\))?\s*$")


def parse_attendees(value) -> list[tuple[str, str]]:
    """Read "Jean Hart (sister); Priya Kaur (review facilitator)" or a JSON list into (name, relationship) pairs."""
    if value is None:
        return []
    items: list
    if isinstance(value, list):
        items = value
    else:
        items = [part for part in re.split(r"[;\n]", str(value)) if part.strip()]
    people = []
    for item in items:
        if isinstance(item, dict):
            name = str(item.get("name") or "").strip()
            relationship = str(item.get("relationship") or "").strip()
        else:
            match = _ATTENDEE.match(str(item).strip())
            if not match:
                raise InvalidValue(f'could not read "{item}". Write each person as Name (relationship), separated by ;')
            name, relationship = match["name"].strip(), (match["relationship"] or "").strip()
        if not name:
            raise InvalidValue(f'"{item}" has no name. Write each person as Name (relationship), separated by ;')
        people.append((name, relationship))
    return people


@dataclass
class StatementDraft:
    kind: str
    text: str
    perspective: str = Perspective.PERSON
    priority: int | None = None


@dataclass
class ReviewDraft:
    reference: str
    person_ref: str
    review_date: dt.date
    area: str
    user_group: str
    consent: bool
    person_name: str = ""
    facilitator: str = ""
    location: str = ""
    service: str = ""
    attendees: list[tuple[str, str]] = field(default_factory=list)
    statements: list[StatementDraft] = field(default_factory=list)

    def fingerprint(self) -> str:
        """A hash of the whole review, so re-importing the same review is recognised."""
        data = [
            self.reference, self.person_ref, self.review_date.isoformat(), self.area, self.user_group,
            self.consent, self.person_name, self.facilitator, self.location, self.service,
            [list(a) for a in self.attendees],
            [[str(s.kind), str(s.perspective), s.priority, s.text] for s in self.statements],
        ]
        blob = json.dumps(data, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def priority_problems(self) -> list[str]:
        """Problems with the person's top choices: each of 1, 2, 3 at most once per kind."""
        problems = []
        seen: dict[tuple[str, int], int] = {}
        for statement in self.statements:
            if statement.priority is None:
                continue
            key = (statement.kind, statement.priority)
            seen[key] = seen.get(key, 0) + 1
        for (kind, priority), count in sorted(seen.items()):
            if count > 1:
                problems.append(
                    f'priority {priority} is given to {count} "{Kind(kind).label.lower()}" statements; '
                    "each of 1, 2 and 3 can be used once per kind"
                )
        return problems
