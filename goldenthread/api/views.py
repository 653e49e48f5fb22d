"""The ``/api/v1/`` endpoints: thin views over :mod:`goldenthread.api.services`.

Built with django-ninja, which makes the OpenAPI 3.1 schema
(``/api/v1/openapi.json``) from the pydantic models in
:mod:`goldenthread.api.schemas`, and serves a Swagger UI page
(``/api/v1/docs``) from its own packaged files, so the page needs nothing from
another site. Every answer that is not a success is an RFC 9457 problem
document; every list is paged (``limit``, ``offset``) and carries an ``ETag``
(send it back as ``If-None-Match`` to get ``304 Not Modified``).
"""
from __future__ import annotations

import hashlib
from typing import Annotated, Literal, Optional

from django.http import Http404, HttpResponse
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from pydantic import BaseModel, ConfigDict, Field

from goldenthread.api import fhir, schemas, services
from goldenthread.api.problems import PROBLEM_CONTENT_TYPE, ApiProblem, FieldError, problem_response
from goldenthread.api.schemas import (
    ActionPage,
    CardPage,
    CycleOut,
    CyclePage,
    MeasureBatchIn,
    MeasurePage,
    OutcomeBatchIn,
    OutcomePage,
    OutcomeWriteResult,
    Problem,
    ReportOut,
    ReviewBatchIn,
    RootCausePage,
    TenderOut,
    TenderPage,
    ThemePage,
    ThreadPage,
    VotePage,
    WriteResult,
)
from goldenthread.api.security import TokenAuth

JSON_TYPES = ("application/json", "application/fhir+json")


class GoldenThreadApi(NinjaAPI):
    """NinjaAPI whose schema says what the API really sends: problem+json errors, 304s, Retry-After."""

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in Problem.model_json_schema(ref_template="#/components/schemas/{model}").pop(
                "$defs", {}).items():
            components.setdefault(name, definition)
        components["Problem"] = {k: v for k, v in Problem.model_json_schema(
            ref_template="#/components/schemas/{model}").items() if k != "$defs"}
        for path in schema["paths"].values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    code = int(code)
                    if code >= 400:
                        response["content"] = {PROBLEM_CONTENT_TYPE: {
                            "schema": {"$ref": "#/components/schemas/Problem"}}}
                    if code in (429, 503):
                        response["headers"] = {"Retry-After": {
                            "description": "Seconds until the token may call again", "schema": {"type": "integer"}}}
                    if code == 304:
                        response.pop("content", None)
                        response["description"] = "Not modified: the ETag sent in If-None-Match still matches"
                    if code in (200, 304) and operation.get("operationId", "").startswith(("list_", "get_")):
                        response.setdefault("headers", {})["ETag"] = {
                            "description": "Send it back as If-None-Match", "schema": {"type": "string"}}
                    if code == 200 and operation.get("operationId") == "get_questionnaire":
                        response["content"] = {"application/fhir+json": response["content"]["application/json"]}
                body = operation.get("requestBody", {}).get("content", {})
                if "application/json" in body and operation.get("operationId") == "create_questionnaire_response":
                    body["application/fhir+json"] = body["application/json"]
        return schema


api = GoldenThreadApi(
    title="Golden Thread API",
    version="1",
    description=(
        "Reviews in (the JSON import shape, or a FHIR R4 QuestionnaireResponse) and results out (cycles, "
        "anonymised cards, themes, votes, root causes, actions, the golden thread and the report numbers). "
        "Every call needs a token made by an administrator: `Authorization: Bearer gt_…`. Counts of people "
        "are hidden below the small-number threshold unless the token may see identifiable data. "
        "Guide with examples: docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api_v1",
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    openapi_url="/openapi.json",
    docs_url="/docs",
)


# --- Errors as problem details -------------------------------------------------------------------

@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem_response(exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(ApiProblem(401, "Send a valid, unrevoked API token as 'Authorization: Bearer gt_…'.",
                                       "unauthenticated", headers={"WWW-Authenticate": "Bearer"}))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(ApiProblem(404, "Not found.", "not-found"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    detail = "The request body is not valid JSON." if exc.status_code == 400 else str(exc)
    return problem_response(ApiProblem(exc.status_code, detail, "bad-request" if exc.status_code == 400 else ""))


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    errors, in_body = [], False
    for e in exc.errors:
        loc = list(e.get("loc", ()))
        source = loc.pop(0) if loc else ""
        if source == "body":
            in_body = True
            if loc and loc[0] == "payload":
                loc.pop(0)
            loc = [p for p in loc if isinstance(p, int) or p in _field_names()]
            pointer = "".join(f"/{p}" for p in loc)
            names = [p for p in loc if isinstance(p, str)]
            errors.append(FieldError(e.get("msg", "is not valid"), pointer=pointer or "/",
                                     row=_row(loc), field=names[-1] if names else ""))
        else:
            errors.append(FieldError(e.get("msg", "is not valid"), field=str(loc[-1]) if loc else str(source)))
    if in_body:
        return problem_response(ApiProblem(422, "Nothing was saved: the request body does not have the "
                                                "documented shape.", "invalid-body", errors))
    return problem_response(ApiProblem(400, "A parameter of the request is not valid.", "bad-parameter", errors))


def _field_names() -> set[str]:
    """Field names of the request bodies; pydantic also puts union branch names ("str") in locations."""
    from goldenthread.api import schemas

    models = [schemas.ReviewBatchIn, schemas.ReviewIn, schemas.StatementIn, schemas.AttendeeIn,
              schemas.OutcomeBatchIn, schemas.OutcomeIn, schemas.MeasureBatchIn, schemas.MeasureIn,
              schemas.ServiceTypeBatchIn, schemas.ServiceTypeIn, schemas.ProvisionBatchIn, schemas.ProvisionIn,
              QuestionnaireResponseIn, ResponseItem, Answer, Coding]
    return {name for model in models for name in model.model_fields}


def _row(loc) -> str:
    """The import's way of naming a place ("Review 1, statement 2") from a pydantic location."""
    if len(loc) >= 4 and loc[0] == "reviews" and loc[2] == "statements" and isinstance(loc[3], int):
        return f"Review {loc[1] + 1}, statement {loc[3] + 1}"
    if len(loc) >= 2 and loc[0] == "reviews" and isinstance(loc[1], int):
        return f"Review {loc[1] + 1}"
    if len(loc) >= 2 and loc[0] in ("outcomes", "measures", "service_types", "provisions") and isinstance(loc[1], int):
        return f"{loc[0][:-1].replace('_', ' ').capitalize()} {loc[1] + 1}"
    return ""


# --- Helpers -------------------------------------------------------------------------------------

def _batch_write(request, save, rows: list[dict]) -> HttpResponse:
    """A batch of the council's own rows (outcomes, measures, the market directory), saved all or nothing:
    201 when any was added, else 200."""
    known_params(request)
    _check_json(request)
    result = save(_client(request), rows)
    return respond(request, OutcomeWriteResult, result, status=201 if result["created"] else 200)


def _check_json(request) -> None:
    content_type = (request.content_type or "").lower()
    if content_type not in JSON_TYPES:
        raise ApiProblem(415, f'Send the body as application/json, not "{content_type or "nothing"}".',
                         "unsupported-media-type")


PAGING = ("limit", "offset")
FILTERS = ("kind", "area", "user_group")


def known_params(request, *groups) -> None:
    """Refuse query parameters the endpoint does not know: a mistyped filter must not return everything."""
    allowed = {name for group in groups for name in ((group,) if isinstance(group, str) else group)}
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise ApiProblem(400, f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)[:200]}. "
                              f"This endpoint takes: {', '.join(sorted(allowed)) or 'none'}.", "bad-parameter",
                         [FieldError("is not a parameter of this endpoint", field=name[:60]) for name in unknown[:20]])


def respond(request, model: type[BaseModel], data, status: int = 200) -> HttpResponse:
    """A JSON answer checked against its schema, with an ETag; 304 when If-None-Match still matches."""
    body = model.model_validate(data).model_dump_json().encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    sent = request.headers.get("If-None-Match", "")
    if status == 200 and sent and (sent.strip() == "*" or etag in [t.strip().removeprefix("W/")
                                                                   for t in sent.split(",")]):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, status=status, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


#: A database key in a query parameter: a positive 64-bit integer, so 99999999999999999999 is a 400 naming the
#: parameter rather than an overflow in the database driver.
Key = Annotated[int, Field(ge=1, le=2**63 - 1)]


def page(qs_or_list, limit: int, offset: int, to_dict) -> dict:
    if isinstance(qs_or_list, list):
        count, chunk = len(qs_or_list), qs_or_list[offset:offset + limit]
    else:
        count, chunk = qs_or_list.count(), list(qs_or_list[offset:offset + limit])
    return {"count": count, "limit": limit, "offset": offset,
            "next_offset": offset + limit if offset + limit < count else None,
            "results": [to_dict(x) for x in chunk]}


class Paging(BaseModel):
    limit: int = Field(50, ge=1, le=500, description="How many results a page")
    offset: int = Field(0, ge=0, le=10_000_000, description="How many results to skip")


class Filters(BaseModel):
    kind: Optional[Literal["working", "not_working", "future", "important_now"]] = None
    area: Optional[str] = Field(None, max_length=120, description="Area name (any case)")
    user_group: Optional[str] = Field(None, max_length=120, description="User group name (any case)")


SLUG = r"^[-a-zA-Z0-9_]+$"
READ_ERRORS = {400: Problem, 401: Problem, 404: Problem, 429: Problem}
WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 411: Problem,
                413: Problem, 415: Problem, 422: Problem, 429: Problem, 503: Problem}


def _client(request):
    return request.auth


# --- Cycles --------------------------------------------------------------------------------------

@api.get("/cycles", response={200: CyclePage, 304: None, **READ_ERRORS}, tags=["cycles"])
def list_cycles(request, paging: Query[Paging]):
    """The cycles this token may use, newest first."""
    known_params(request, PAGING)
    client = _client(request)
    return respond(request, CyclePage, page(services.cycles_for(client), paging.limit, paging.offset,
                                            lambda c: services.cycle_summary(client, c)))


@api.get("/cycles/{slug}", response={200: CycleOut, 304: None, **READ_ERRORS}, tags=["cycles"])
def get_cycle(request, slug: str):
    """One cycle: its name, year, last year's cycle and how many reviews and people it holds."""
    known_params(request)
    client = _client(request)
    return respond(request, CycleOut, services.cycle_summary(client, services.cycle_for(client, slug)))


# --- Reviews in ----------------------------------------------------------------------------------

@api.post("/cycles/{slug}/reviews", response={200: WriteResult, 201: WriteResult, **WRITE_ERRORS}, tags=["reviews"])
def create_reviews(request, slug: str, payload: ReviewBatchIn):
    """Send reviews with their statements, in the shape of the JSON import (docs/import-format.md).

    All or nothing: if any review has a problem, nothing is saved and every problem is listed with
    a JSON Pointer. A retry adds nothing (the same review ID and content is "unchanged"); a known
    review ID with different details is refused (409). 201 when something was created, else 200.
    """
    known_params(request)
    _check_json(request)
    client = _client(request)
    cycle = services.cycle_for(client, slug, write=True)
    result = services.save_review_batch(client, cycle, payload.model_dump()["reviews"])
    request.api_note = f"{result['created']} reviews created, {result['unchanged']} unchanged"
    return respond(request, WriteResult, result, status=201 if result["created"] else 200)


# --- Outcomes ------------------------------------------------------------------------------------

@api.get("/outcomes", response={200: OutcomePage, 304: None, **READ_ERRORS}, tags=["outcomes"])
def list_outcomes(request, paging: Query[Paging]):
    """The council's outcome areas, each with the themes a person confirmed as speaking to it."""
    known_params(request, PAGING)
    return respond(request, OutcomePage, page(services.outcome_list(_client(request)), paging.limit, paging.offset,
                                              lambda o: o))


@api.get("/tenders", response={200: TenderPage, 304: None, **READ_ERRORS}, tags=["tenders"])
def list_tenders(request, paging: Query[Paging]):
    """Tenders people help decide: their themes, "what success looks like", the criteria and each bid's scores
    from the people's panel, combined openly. No bidder and no panel member is named."""
    known_params(request, PAGING)
    client = _client(request)
    return respond(request, TenderPage, page(services.tender_list(client), paging.limit, paging.offset,
                                             lambda t: services.tender_dict(client, t)))


@api.get("/tenders/{tender_id}", response={200: TenderOut, 304: None, **READ_ERRORS}, tags=["tenders"])
def get_tender(request, tender_id: int):
    """One tender, as in the list."""
    known_params(request)
    client = _client(request)
    tender = services.tender_list(client).filter(pk=tender_id).first() if 0 < tender_id < 2**63 else None
    if tender is None:
        raise Http404
    return respond(request, TenderOut, services.tender_dict(client, tender))


@api.post("/outcomes", response={200: OutcomeWriteResult, 201: OutcomeWriteResult, **WRITE_ERRORS},
          tags=["outcomes"])
def create_outcomes(request, payload: OutcomeBatchIn):
    """Send the outcome framework, all or nothing: known codes are updated, new ones added, none removed."""
    return _batch_write(request, services.save_outcomes, payload.model_dump()["outcomes"])


class MeasureFilters(BaseModel):
    outcome: Optional[str] = Field(None, max_length=20, description="An outcome area's code")
    cycle: Optional[str] = Field(None, max_length=80, description="A cycle's short name")


@api.get("/measures", response={200: MeasurePage, 304: None, **READ_ERRORS}, tags=["outcomes"])
def list_measures(request, paging: Query[Paging], filters: Query[MeasureFilters]):
    """The council's activity and results measures, in the cycles this token may use."""
    known_params(request, PAGING, ("outcome", "cycle"))
    found = services.measure_list(_client(request), filters.outcome, filters.cycle)
    return respond(request, MeasurePage, page(found, paging.limit, paging.offset, services.measure_dict))


@api.post("/measures", response={200: OutcomeWriteResult, 201: OutcomeWriteResult, **WRITE_ERRORS},
          tags=["outcomes"])
def create_measures(request, payload: MeasureBatchIn):
    """Send activity and results measures, all or nothing, each problem named with a JSON Pointer."""
    return _batch_write(request, services.save_measures, payload.model_dump()["measures"])


# --- Market --------------------------------------------------------------------------------------

@api.get("/service-types", response={200: schemas.ServiceTypePage, 304: None, **READ_ERRORS}, tags=["market"])
def list_service_types(request, paging: Query[Paging]):
    """The kinds of support in the market directory, each with the future themes confirmed as asking for it."""
    known_params(request, PAGING)
    return respond(request, schemas.ServiceTypePage, page(services.service_type_list(_client(request)), paging.limit,
                                                          paging.offset, lambda t: t))


@api.post("/service-types", response={200: OutcomeWriteResult, 201: OutcomeWriteResult, **WRITE_ERRORS},
          tags=["market"])
def create_service_types(request, payload: schemas.ServiceTypeBatchIn):
    """Send service types, all or nothing: a name already held gets the new description, the rest are added."""
    return _batch_write(request, services.save_service_types, payload.model_dump()["service_types"])


@api.get("/provisions", response={200: schemas.ProvisionPage, 304: None, **READ_ERRORS}, tags=["market"])
def list_provisions(request, paging: Query[Paging]):
    """What is present: services, providers' offers and community resources, by type, area and user group."""
    known_params(request, PAGING)
    return respond(request, schemas.ProvisionPage, page(services.provision_list(_client(request)), paging.limit,
                                                        paging.offset, services.provision_dict))


@api.post("/provisions", response={200: OutcomeWriteResult, 201: OutcomeWriteResult, **WRITE_ERRORS},
          tags=["market"])
def create_provisions(request, payload: schemas.ProvisionBatchIn):
    """Send provisions, all or nothing, each problem named with a JSON Pointer; areas and user groups must be on
    the council's lists."""
    return _batch_write(request, services.save_provisions, payload.model_dump()["provisions"])


@api.get("/cycles/{slug}/market-gaps", response={200: schemas.MarketGapsOut, 304: None, **READ_ERRORS},
         tags=["market"])
def get_market_gaps(request, slug: str):
    """The market view's gap table: people who want each kind of support (from confirmed links of future themes)
    against what is present, for the whole council, each area, each user group and each area and user group.
    Small counts are hidden (``null``) unless the token may see identifiable data."""
    known_params(request)
    client = _client(request)
    return respond(request, schemas.MarketGapsOut, services.market_gaps(client, services.cycle_for(client, slug)))


class Coding(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    system: Optional[str] = None
    code: str
    display: Optional[str] = None


class Answer(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    valueString: Optional[str] = Field(None, max_length=5000)
    valueDate: Optional[str] = Field(None, max_length=10)
    valueBoolean: Optional[bool] = None
    valueInteger: Optional[int] = None
    valueCoding: Optional[Coding] = None


class ResponseItem(BaseModel):
    model_config = ConfigDict(strict=True, extra="allow")
    linkId: str = Field(max_length=64)
    text: Optional[str] = None
    answer: Optional[list[Answer]] = Field(None, max_length=1)
    item: Optional[list[ResponseItem]] = Field(None, max_length=20)


class QuestionnaireResponseIn(BaseModel):
    """A FHIR R4 QuestionnaireResponse for Questionnaire/review-template (other FHIR elements are allowed)."""

    model_config = ConfigDict(strict=True, extra="allow")
    resourceType: Literal["QuestionnaireResponse"]
    status: str = Field(max_length=20, examples=["completed"])
    questionnaire: str = Field(max_length=300)
    item: list[ResponseItem] = Field(max_length=400)


@api.get("/fhir/Questionnaire/review-template", response={200: dict, 304: None, **READ_ERRORS}, tags=["fhir"])
def get_questionnaire(request):
    """The review template as a FHIR R4 Questionnaire."""
    known_params(request)
    return respond_fhir(request, fhir.questionnaire(_canonical(request)))


def _canonical(request) -> str:
    return request.build_absolute_uri("/api/v1/fhir/Questionnaire/" + fhir.QUESTIONNAIRE_ID)


class _AnyJson(BaseModel):
    model_config = ConfigDict(extra="allow")


def respond_fhir(request, resource: dict) -> HttpResponse:
    response = respond(request, _AnyJson, resource)
    if response.status_code == 200:
        response["Content-Type"] = "application/fhir+json"
    return response


@api.post("/cycles/{slug}/fhir/QuestionnaireResponse", response={200: WriteResult, 201: WriteResult, **WRITE_ERRORS},
          tags=["fhir"])
def create_questionnaire_response(request, slug: str, payload: QuestionnaireResponseIn):
    """Send one review as a FHIR R4 QuestionnaireResponse to the review template.

    It is mapped onto the same review as the JSON import and saved the same way (all or nothing,
    idempotent by review ID and content). Problems point into the FHIR resource (``/item/3/answer/0/valueDate``).
    """
    known_params(request)
    _check_json(request)
    client = _client(request)
    cycle = services.cycle_for(client, slug, write=True)
    review, where = fhir.response_to_review(payload.model_dump(exclude_none=True))
    try:
        result = services.save_review_batch(client, cycle, [review], source_name="fhir")
    except ApiProblem as problem:
        for error in problem.errors:
            found = where.get(error.pointer) or where.get(error.pointer.rsplit("/", 1)[0])
            error.pointer, error.field = (found[0], found[1]) if found else ("/item", error.field)
            error.row = "QuestionnaireResponse"
        raise
    request.api_note = f"FHIR: {result['created']} reviews created, {result['unchanged']} unchanged"
    return respond(request, WriteResult, result, status=201 if result["created"] else 200)


# --- Results out ---------------------------------------------------------------------------------

@api.get("/cycles/{slug}/cards", response={200: CardPage, 304: None, **READ_ERRORS}, tags=["results"])
def list_cards(request, slug: str, paging: Query[Paging], filters: Query[Filters]):
    """Anonymised cards (statements from consented, finished reviews), in card order.

    Tokens allowed identifiable data also get the words as recorded and the review and person IDs. Other
    tokens get only the cards of groups (kind, area, user group) of at least the small-number limit;
    ``withheld`` says when cards were left out.
    """
    known_params(request, PAGING, FILTERS)
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    found, withheld = services.cards(client, cycle, kind=filters.kind, area=filters.area,
                                     user_group=filters.user_group)
    body = page(found, paging.limit, paging.offset, lambda s: services.card_dict(client, s))
    return respond(request, CardPage, {**body, "withheld": withheld})


@api.get("/cycles/{slug}/themes", response={200: ThemePage, 304: None, **READ_ERRORS}, tags=["results"])
def list_themes(request, slug: str, paging: Query[Paging], filters: Query[Filters], workshop: Optional[Key] = None):
    """Named themes of the cycle's workshop (the latest with named themes, or ``workshop``), with people
    (suppressed when shared), votes, root causes, actions and their anonymised cards."""
    known_params(request, PAGING, FILTERS, "workshop")
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    found = services.themes(client, cycle, services.workshop_for(cycle, workshop), kind=filters.kind,
                            area=filters.area, user_group=filters.user_group)
    return respond(request, ThemePage, page(found, paging.limit, paging.offset, lambda t: t))


@api.get("/cycles/{slug}/votes", response={200: VotePage, 304: None, **READ_ERRORS}, tags=["results"])
def list_votes(request, slug: str, paging: Query[Paging], workshop: Optional[Key] = None,
               kind: Optional[Literal["working", "not_working", "future", "important_now"]] = None):
    """Delegates' dots per theme, most first, with the dots from each delegate group."""
    known_params(request, PAGING, "workshop", "kind")
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    found = services.votes(client, services.workshop_for(cycle, workshop), kind=kind)
    return respond(request, VotePage, page(found, paging.limit, paging.offset, lambda v: v))


@api.get("/cycles/{slug}/root-causes", response={200: RootCausePage, 304: None, **READ_ERRORS}, tags=["results"])
def list_root_causes(request, slug: str, paging: Query[Paging], workshop: Optional[Key] = None,
                     theme: Optional[Key] = None):
    """Every answer in the themes' "5 whys" trees; ``parent_id`` links a "why?" to the one it answers."""
    known_params(request, PAGING, "workshop", "theme")
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    qs = services.root_causes(client, cycle, services.workshop_for(cycle, workshop), theme=theme)
    return respond(request, RootCausePage, page(qs, paging.limit, paging.offset, services.root_cause_dict))


@api.get("/cycles/{slug}/actions", response={200: ActionPage, 304: None, **READ_ERRORS}, tags=["results"])
def list_actions(request, slug: str, paging: Query[Paging], workshop: Optional[Key] = None,
                 status: Optional[Literal["not_started", "underway", "done"]] = None):
    """Actions agreed at the workshop, with their status and the themes and root causes they answer."""
    known_params(request, PAGING, "workshop", "status")
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    qs = services.actions(client, services.workshop_for(cycle, workshop), status=status)
    return respond(request, ActionPage, page(qs, paging.limit, paging.offset, services.action_dict))


@api.get("/cycles/{slug}/golden-thread", response={200: ThreadPage, 304: None, **READ_ERRORS}, tags=["results"])
def list_golden_thread(request, slug: str, paging: Query[Paging], workshop: Optional[Key] = None):
    """From each action back to its themes (with their cards and what happened next year) and root causes."""
    known_params(request, PAGING, "workshop")
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    found = services.golden_thread(client, cycle, services.workshop_for(cycle, workshop))
    return respond(request, ThreadPage, page(found, paging.limit, paging.offset, lambda t: t))


@api.get("/cycles/{slug}/report", response={200: ReportOut, 304: None, **READ_ERRORS}, tags=["results"])
def get_report(request, slug: str, workshop: Optional[Key] = None,
               kind: Optional[Literal["working", "not_working", "future", "important_now"]] = None):
    """The report's numbers, counted in people: themes per kind, by area, by user group and across years.

    Exactly the numbers of the shared report (small counts hidden, ``null``) unless the token may see
    identifiable data, when they are the workshop team's version.
    """
    known_params(request, "workshop", "kind")
    client = _client(request)
    cycle = services.cycle_for(client, slug)
    return respond(request, ReportOut, services.report(client, cycle, services.workshop_for(cycle, workshop),
                                                       kind=kind))


ResponseItem.model_rebuild()
