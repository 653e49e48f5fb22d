"""The review template as a FHIR R4 ``Questionnaire``, and ``QuestionnaireResponse`` → review.

Systems that speak FHIR can send a review without a custom mapping: fetch the
``Questionnaire`` (``GET /api/v1/fhir/Questionnaire/review-template``), fill
in a ``QuestionnaireResponse`` for it and post it to
``/api/v1/cycles/{slug}/fhir/QuestionnaireResponse``.

Each item of the questionnaire is one column of the review file
(``docs/import-format.md``); attendees and statements are repeating groups.
:func:`response_to_review` turns a response into a review in the JSON import
shape, checking FHIR's own rules on the way (the right ``resourceType``, a
finished ``status``, the right ``questionnaire``, known ``linkId``\\ s, one
answer of the right ``value[x]`` type, required items present) and remembering
where each value came from, so a problem the import finds later ("statement 2,
column kind") is reported at the FHIR item it came from
(``/item/12/item/0/answer/0/valueCoding``). :func:`review_to_response` goes the
other way, for senders and for the round-trip test.

Written by hand (no FHIR library): the mapping is small and fixed, and the
checks above are the parts of FHIR validation that matter for it.
"""
from __future__ import annotations

import datetime as dt
import re

from goldenthread.api.domain import MAX_TEXT_LENGTH, Kind, Perspective
from goldenthread.api.problems import ApiProblem, FieldError

QUESTIONNAIRE_ID = "review-template"
VERSION = "1"
KIND_SYSTEM = "tag:goldenthread,2026:fhir/statement-kind"
PERSPECTIVE_SYSTEM = "tag:goldenthread,2026:fhir/perspective"

# (linkId, import column, FHIR type, required, text)
REVIEW_ITEMS = [
    ("review-id", "review_id", "string", True, "Review ID in your own records"),
    ("person-id", "person_id", "string", True, "Pseudonymous person ID (the same every year; not a name or NHS number)"),
    ("person-name", "person_name", "string", False, "Person's name (only used to hide it in statements)"),
    ("review-date", "review_date", "date", True, "Date of the review"),
    ("facilitator", "facilitator", "string", False, "Who facilitated the review"),
    ("location", "location", "string", False, "Where the review took place"),
    ("area", "area", "string", True, "Area"),
    ("service", "service", "string", False, "Service or provider"),
    ("user-group", "user_group", "string", True, "User group"),
    ("consent", "consent", "boolean", True, "The person agreed their anonymised statements can be used this cycle"),
]
ATTENDEE_ITEMS = [
    ("attendee-name", "name", "string", True, "Name"),
    ("attendee-relationship", "relationship", "string", False, "Relationship to the person"),
]
STATEMENT_ITEMS = [
    ("statement-kind", "kind", "choice", True, "What kind of statement"),
    ("statement-perspective", "perspective", "choice", False, "Whose view"),
    ("statement-priority", "priority", "integer", False, "The person's 1st, 2nd or 3rd choice for this kind"),
    ("statement-text", "text", "text", True, "What was said, in the words used"),
]
VALUE_KEY = {"string": "valueString", "text": "valueString", "date": "valueDate", "boolean": "valueBoolean",
             "integer": "valueInteger", "choice": "valueCoding"}
CHOICES = {
    "statement-kind": (KIND_SYSTEM, [(k.value, k.label) for k in Kind]),
    "statement-perspective": (PERSPECTIVE_SYSTEM, [(p.value, p.label) for p in Perspective]),
}


def _item(link_id, fhir_type, required, text, repeats=False) -> dict:
    item = {"linkId": link_id, "text": text, "type": fhir_type, "required": required}
    if repeats:
        item["repeats"] = True
    if link_id in CHOICES:
        system, options = CHOICES[link_id]
        item["answerOption"] = [{"valueCoding": {"system": system, "code": code, "display": label}}
                                for code, label in options]
    if fhir_type == "string":
        item["maxLength"] = 200 if link_id not in ("review-id", "person-id") else 64
    if fhir_type == "text":
        item["maxLength"] = MAX_TEXT_LENGTH
    return item


def questionnaire(canonical_url: str) -> dict:
    """The review template as a FHIR R4 Questionnaire resource."""
    items = [_item(link, t, req, text) for link, _c, t, req, text in REVIEW_ITEMS]
    items.insert(5, {**_item("attendee", "group", False, "Who came to the review", repeats=True),
                     "item": [_item(link, t, req, text) for link, _c, t, req, text in ATTENDEE_ITEMS]})
    items.append({**_item("statement", "group", True, "One thing said at the review", repeats=True),
                  "item": [_item(link, t, req, text) for link, _c, t, req, text in STATEMENT_ITEMS]})
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": canonical_url,
        "version": VERSION,
        "name": "GoldenThreadReviewTemplate",
        "title": "Person-centred review: what is working, not working and important for the future",
        "status": "active",
        "subjectType": ["Patient"],
        "description": ("The Golden Thread review template. Each answered response becomes one review and its "
                        "statements, exactly as one review in the JSON import."),
        "item": items,
    }


def _refers_to_template(value) -> bool:
    if not isinstance(value, str):
        return False
    url = value.split("|", 1)[0].rstrip("/")
    return url.endswith(f"Questionnaire/{QUESTIONNAIRE_ID}")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Reader:
    """Walks a QuestionnaireResponse, collecting values, problems and where each value came from."""

    def __init__(self):
        self.errors: list[FieldError] = []
        self.where: dict[str, tuple[str, str]] = {}  # import pointer -> (FHIR pointer, linkId)

    def fail(self, pointer, link_id, detail):
        self.errors.append(FieldError(detail, pointer=pointer, row=link_id or "QuestionnaireResponse",
                                      field=link_id or ""))

    def answer(self, item: dict, pointer: str, link_id: str, fhir_type: str):
        answers = item.get("answer")
        if answers is None or answers == []:
            return None
        if not isinstance(answers, list) or len(answers) != 1 or not isinstance(answers[0], dict):
            self.fail(f"{pointer}/answer", link_id, "must have exactly one answer")
            return None
        key = VALUE_KEY[fhir_type]
        answer = answers[0]
        other = [k for k in answer if k.startswith("value") and k != key]
        if key not in answer:
            self.fail(f"{pointer}/answer/0", link_id,
                      f"the answer must be a {key}" + (f", not {other[0]}" if other else ""))
            return None
        value, at = answer[key], f"{pointer}/answer/0/{key}"
        if fhir_type in ("string", "text"):
            if not isinstance(value, str):
                self.fail(at, link_id, "must be a string")
                return None
        elif fhir_type == "date":
            if not isinstance(value, str) or not _DATE.match(value):
                self.fail(at, link_id, "must be a full date, for example 2026-03-14")
                return None
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                self.fail(at, link_id, f'"{value}" is not a real date')
                return None
        elif fhir_type == "boolean":
            if not isinstance(value, bool):
                self.fail(at, link_id, "must be true or false")
                return None
        elif fhir_type == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(at, link_id, "must be a whole number")
                return None
        elif fhir_type == "choice":
            system, options = CHOICES[link_id]
            codes = [code for code, _ in options]
            if not isinstance(value, dict) or not isinstance(value.get("code"), str):
                self.fail(at, link_id, "must be a Coding with a code")
                return None
            if value.get("system", system) != system:
                self.fail(f"{at}/system", link_id, f"must be {system}")
                return None
            if value["code"] not in codes:
                self.fail(f"{at}/code", link_id, f'"{value["code"]}" is not one of {", ".join(codes)}')
                return None
            value = value["code"]
        return value, at

    def group(self, items, pointer: str, spec, target_prefix: str) -> dict:
        """Read the items of one level (the response, an attendee, a statement) into import columns."""
        out: dict = {}
        known = {link: (column, t, req) for link, column, t, req, _text in spec}
        seen: set[str] = set()
        if not isinstance(items, list):
            self.fail(f"{pointer}/item", None, "must be a list of items")
            return out
        for i, item in enumerate(items):
            at = f"{pointer}/item/{i}"
            if not isinstance(item, dict) or not isinstance(item.get("linkId"), str):
                self.fail(at, None, "must be an item with a linkId")
                continue
            link_id = item["linkId"]
            if link_id not in known:
                if not (target_prefix == "/reviews/0" and link_id in ("attendee", "statement")):
                    self.fail(f"{at}/linkId", link_id, f'"{link_id}" is not an item of the review template')
                continue
            if link_id in seen:
                self.fail(f"{at}/linkId", link_id, "is given more than once; it does not repeat")
                continue
            seen.add(link_id)
            column, fhir_type, _req = known[link_id]
            found = self.answer(item, at, link_id, fhir_type)
            if found is not None:
                out[column] = found[0]
                self.where[f"{target_prefix}/{column}"] = (found[1], link_id)
            else:
                self.where.setdefault(f"{target_prefix}/{column}", (at, link_id))
        for link_id, (column, _t, required) in known.items():
            if required and column not in out and not any(e.field == link_id for e in self.errors):
                self.fail(f"{pointer}/item", link_id, f'the required item "{link_id}" has no answer')
        return out


def response_to_review(resource) -> tuple[dict, dict[str, tuple[str, str]]]:
    """A QuestionnaireResponse (parsed JSON) → (review in the JSON import shape, where each value came from).

    Raises :class:`ApiProblem` (422) listing every problem found, each with its JSON Pointer.
    """
    reader = _Reader()
    if not isinstance(resource, dict):
        raise ApiProblem(422, "The body must be a FHIR QuestionnaireResponse resource.", "invalid-fhir")
    if resource.get("resourceType") != "QuestionnaireResponse":
        reader.fail("/resourceType", None, 'must be "QuestionnaireResponse"')
    if resource.get("status") not in ("completed", "amended"):
        reader.fail("/status", None, 'must be "completed" (or "amended"): only finished reviews can be saved')
    if not _refers_to_template(resource.get("questionnaire")):
        reader.fail("/questionnaire", None, f"must be the canonical URL of Questionnaire/{QUESTIONNAIRE_ID}")
    items = resource.get("item", [])
    review = reader.group(items, "", REVIEW_ITEMS, "/reviews/0")
    attendees, statements = [], []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        at = f"/item/{i}"
        if item.get("linkId") == "attendee":
            attendees.append(reader.group(item.get("item", []), at, ATTENDEE_ITEMS,
                                          f"/reviews/0/attendees/{len(attendees)}"))
        elif item.get("linkId") == "statement":
            n = len(statements)
            statements.append(reader.group(item.get("item", []), at, STATEMENT_ITEMS,
                                           f"/reviews/0/statements/{n}"))
            reader.where.setdefault(f"/reviews/0/statements/{n}", (at, "statement"))
    if not statements:
        reader.fail("/item", "statement", "a review needs at least one statement item")
    if reader.errors:
        raise ApiProblem(422, f"Nothing was saved: {len(reader.errors)} problem"
                              f"{'s' if len(reader.errors) != 1 else ''} in the QuestionnaireResponse.",
                         "invalid-fhir", reader.errors)
    review["attendees"] = [{"name": a.get("name", ""), "relationship": a.get("relationship", "")}
                           for a in attendees]
    review["statements"] = statements
    return review, reader.where


def review_to_response(review: dict, canonical_url: str) -> dict:
    """A review in the JSON import shape → a completed QuestionnaireResponse for the review template."""

    def leaf(link_id, fhir_type, value):
        if value is None or value == "":
            return None
        if fhir_type == "choice":
            system, options = CHOICES[link_id]
            code = str(value).strip().lower().replace(" ", "_").replace("-", "_")
            labels = dict(options)
            value = {"system": system, "code": code, **({"display": labels[code]} if code in labels else {})}
        elif fhir_type == "integer":
            value = int(value)
        elif fhir_type == "boolean" and not isinstance(value, bool):
            value = str(value).strip().lower() in ("yes", "y", "true", "1", "agreed", "given")
        return {"linkId": link_id, "answer": [{VALUE_KEY[fhir_type]: value}]}

    items = [x for x in (leaf(link, t, review.get(col)) for link, col, t, _r, _x in REVIEW_ITEMS) if x]
    attendees = review.get("attendees") or []
    if isinstance(attendees, str):
        attendees = [part for part in attendees.split(";") if part.strip()]
    for attendee in attendees:
        if isinstance(attendee, str):
            name, _, rest = attendee.partition("(")
            attendee = {"name": name.strip(), "relationship": rest.rstrip(")").strip()}
        sub = [x for x in (leaf(link, t, attendee.get(col)) for link, col, t, _r, _x in ATTENDEE_ITEMS) if x]
        items.append({"linkId": "attendee", "item": sub})
    for statement in review.get("statements") or []:
        sub = [x for x in (leaf(link, t, statement.get(col)) for link, col, t, _r, _x in STATEMENT_ITEMS) if x]
        items.append({"linkId": "statement", "item": sub})
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": canonical_url, "item": items}
