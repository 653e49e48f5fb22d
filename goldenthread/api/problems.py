"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal from the API is one JSON object with ``type``, ``title``,
``status`` and ``detail``; refusals of a request body add ``errors``, one per
problem, each naming where it is:

* ``pointer``: a JSON Pointer (RFC 6901) into the body sent, e.g.
  ``/reviews/0/statements/1/kind``;
* ``row``: the same place in words, as the file import says it
  ("Review 1, statement 2");
* ``field``: the column name of the import format (or the FHIR ``linkId``);
* ``detail``: what is wrong, written for the person who will fix it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
#: Problem types are tag URIs (RFC 4151): stable names, explained in docs/api.md.
TYPE_BASE = "tag:goldenthread,2026:problem/"

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    411: "Length required",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "The request body has problems",
    429: "Too many requests",
    503: "Busy: try again",
}


@dataclass
class FieldError:
    detail: str
    pointer: str = ""
    row: str = ""
    field: str = ""

    def as_dict(self) -> dict:
        out = {"detail": self.detail}
        for key in ("pointer", "row", "field"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass
class ApiProblem(Exception):
    """Raise anywhere in the API to answer with a problem document."""

    status: int
    detail: str
    kind: str = ""  # the last part of the type URI, e.g. "invalid-reviews"
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        body = {
            "type": TYPE_BASE + self.kind if self.kind else "about:blank",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
        }
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        return body


def problem_response(problem: ApiProblem) -> HttpResponse:
    response = HttpResponse(json.dumps(problem.as_dict(), ensure_ascii=False), status=problem.status,
                            content_type=PROBLEM_CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


_STATEMENT = re.compile(r"^Review (\d+), statement (\d+)$")
_REVIEW = re.compile(r"^Review (\d+)$")
_REVIEW_REF = re.compile(r'^Review "(.*)"$')


def import_pointer(where: str, column: str | None, refs: list[str] | None = None) -> str:
    """The JSON Pointer for a place the JSON import names ("Review 2, statement 1", column "kind")."""
    refs = refs or []
    match = _STATEMENT.match(where)
    if match:
        base = f"/reviews/{int(match[1]) - 1}"
        review_columns = {"review_id", "person_id", "person_name", "review_date", "facilitator", "attendees",
                          "location", "area", "service", "user_group", "consent"}
        if column in review_columns:
            return f"{base}/{column}"
        base += f"/statements/{int(match[2]) - 1}"
        return f"{base}/{column}" if column else base
    match = _REVIEW.match(where)
    if match:
        base = f"/reviews/{int(match[1]) - 1}"
        return f"{base}/{column}" if column else base
    match = _REVIEW_REF.match(where)
    if match and match[1] in refs:
        base = f"/reviews/{refs.index(match[1])}"
        return f"{base}/{column}" if column else base
    return ""
