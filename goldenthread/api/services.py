"""What the API does, kept out of the views: scope checks, reviews in, results out.

Reviews in
    :func:`save_review_batch` hands the request body to the file import
    (``import_reviews``), so a review sent to the API is checked, anonymised
    and saved exactly as one in a JSON file: all or nothing, a retry adds
    nothing, and a known review ID with different details is refused. The
    import's problems ("Review 2, statement 1, column kind") come back with a
    JSON Pointer to the same place (``/reviews/1/statements/0/kind``).

Results out
    Every answer is worked out within the token's services, and every count
    and list given to a token not allowed identifiable data follows one rule,
    stated in :mod:`goldenthread.reporting.disclosure`: the shared report's numbers
    and suppression, and cards only of groups of at least the limit, so no
    filter, difference or list length gives back a hidden count. Statements
    are always the anonymised card wording unless the token may see
    identifiable data.
"""
from __future__ import annotations

import json
from collections import defaultdict

from django.db import OperationalError
from django.db.models import Count, Sum

from goldenthread.api import domain as d
from goldenthread.api.models import ApiClient
from goldenthread.api.problems import ApiProblem, FieldError, import_pointer
from goldenthread.api.security import WRITE_LOCK


# --- Scope ---------------------------------------------------------------------------------------

def cycle_for(client: ApiClient, slug: str, *, write: bool = False):
    """The cycle if the client may use it (and write to it), else a 404 or 403 problem."""
    cycle = d.ProgrammeCycle.objects.filter(slug=slug).select_related("previous").first()
    if cycle is None or not client.may_use_cycle(cycle):
        # A cycle outside the token's scope is reported as not found, so tokens cannot probe for names.
        raise ApiProblem(404, f'There is no cycle "{slug}" that this token may use.', "not-found")
    if write and not client.may_write:
        raise ApiProblem(403, "This token may read but not send reviews. Ask an administrator for a token "
                              "that may write.", "forbidden")
    return cycle


def cycles_for(client: ApiClient):
    cycles = d.ProgrammeCycle.objects.select_related("previous").order_by("-year", "name", "id")
    ids = client.cycle_ids()
    return cycles if ids is None else cycles.filter(pk__in=ids)


def shared_for(client: ApiClient) -> bool:
    """True when answers to this client must hide small counts (it may not see identifiable data)."""
    return not client.may_see_identifiable


def hide(n: int | None, client: ApiClient) -> int | None:
    if n is None or not shared_for(client):
        return n
    return d.suppress_value(n, d.threshold_setting())


# --- Reviews in ----------------------------------------------------------------------------------

def _check_services(client: ApiClient, reviews: list[dict]) -> None:
    allowed = client.service_names()
    if allowed is None:
        return
    errors = []
    for i, review in enumerate(reviews):
        service = str(review.get("service") or "").strip()
        if service.lower() not in allowed:
            detail = (f'this token may only send reviews of {", ".join(sorted(allowed))}'
                      if service else "this token may only send reviews with a service it is allowed")
            errors.append(FieldError(detail, pointer=f"/reviews/{i}/service", row=f"Review {i + 1}", field="service"))
    if errors:
        raise ApiProblem(403, "Some reviews are for services this token may not send.", "forbidden-service", errors)


def save_review_batch(client: ApiClient, cycle, reviews: list[dict], *, source_name: str = "api") -> dict:
    """Save reviews (import-format dicts) all or nothing; return what was created and what was already there."""
    _check_services(client, reviews)
    refs = [str(r.get("review_id") or "").strip() for r in reviews]
    body = json.dumps({"reviews": reviews}, ensure_ascii=False).encode("utf-8")
    try:
        with WRITE_LOCK:
            result = d.import_reviews(cycle, body, f"{source_name}-{client.prefix}.json", file_format="json")
    except OperationalError:  # the database stayed locked by another process; the transaction was rolled back
        raise ApiProblem(503, "The database is busy and nothing was saved. Send the same request again: a retry "
                              "never adds a review twice.", "busy", headers={"Retry-After": "1"}) from None
    except d.ReviewFileError as exc:
        errors = [FieldError(p.message, pointer=import_pointer(p.where, p.column, refs), row=p.where,
                             field=p.column or "") for p in exc.problems]
        conflict = all("already used in" in p.message for p in exc.problems)
        raise ApiProblem(409 if conflict else 422,
                         f"Nothing was saved: {len(errors)} problem{'s' if len(errors) != 1 else ''} to fix.",
                         "review-id-conflict" if conflict else "invalid-reviews", errors) from None
    rows = dict(d.Review.objects.filter(cycle=cycle, reference__in=refs).values_list("reference", "id"))
    created_ids = set(result.batch.reviews.values_list("id", flat=True)) if result.batch else set()
    written = [{"review_id": ref, "id": rows[ref], "status": "created" if rows[ref] in created_ids else "unchanged"}
               for ref in dict.fromkeys(refs) if ref in rows]
    return {"created": result.reviews_created, "unchanged": result.reviews_unchanged,
            "statements_created": result.statements_created, "reviews": written}


# --- Results out ---------------------------------------------------------------------------------
# What a shared token may be told, and how, is one rule: see goldenthread/reporting/disclosure.py.

def visible_themes(client: ApiClient, workshop) -> set[int] | None:
    """The theme (cluster) ids a service-limited token may see: those with a card from its services.
    None for a token of every service (it sees every theme)."""
    services = client.service_names()
    if services is None or workshop is None:
        return None
    return set(d.theme_people(workshop, services))


def disclosure(client: ApiClient, cycle, workshop, *, years: bool = False) -> d.Disclosure:
    """The one rule's answers for this token (``years``: with the report's comparison with last year)."""
    return d.Disclosure(cycle, workshop, shared=shared_for(client), services=client.service_names(),
                      made_by=f"API client {client.name}", years=years)


def cycle_summary(client: ApiClient, cycle) -> dict:
    statements = cycle.card_statements()
    reviews = cycle.reviews.filter(consent_given=True)
    services = client.service_names()
    if services is not None:
        statements = statements.filter(review__service__in=d.in_services(services))
        reviews = reviews.filter(service__in=d.in_services(services))
    return {
        "slug": cycle.slug, "name": cycle.name, "year": cycle.year,
        "previous": cycle.previous.slug if cycle.previous else None,
        "purpose": cycle.purpose, "scope": cycle.scope,
        "reviews": hide(reviews.count(), client),
        "people": hide(statements.values("review__person_ref").distinct().count(), client),
    }


def _kind(value: str | None) -> str | None:
    if not value:
        return None
    if value in d.Kind.values:
        return value
    raise ApiProblem(400, f'"{value}" is not a kind. Use one of: {", ".join(d.Kind.values)}.', "bad-filter")


def cards(client: ApiClient, cycle, *, kind=None, area=None, user_group=None):
    """The cycle's cards (consented, finished reviews) in the token's services, filtered, in card order (a
    queryset or a list), and whether any were withheld: for a shared token only cards of (kind, area, user group) cells of at least the
    limit are listed (goldenthread/reporting/disclosure.py)."""
    kind = _kind(kind)
    known_filter(area, user_group)
    scope = cycle.card_statements()
    services = client.service_names()
    if services is not None:
        scope = scope.filter(review__service__in=d.in_services(services))
    qs = scope.select_related("review__area", "review__user_group", "review__service").order_by("kind", "card_number")
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(review__area__name__iexact=area)
    if user_group:
        qs = qs.filter(review__user_group__name__iexact=user_group)
    cells = d.listable_cells(scope, shared=shared_for(client), threshold=d.threshold_setting())
    if cells is None:
        return qs, False  # the team's version: paged in SQL
    found = list(qs)
    listed = [s for s in found if (s.kind, s.review.area_id, s.review.user_group_id) in cells]
    return listed, len(listed) < len(found)


def card_dict(client: ApiClient, s) -> dict:
    review = s.review
    services = client.service_names()
    # A shared token sees a card's service only when it is limited to that one service: otherwise the service
    # would split the card's (kind, area, user group) cell into smaller groups than the limit.
    show_service = client.may_see_identifiable or (services is not None and len(services) == 1)
    out = {
        "code": s.card_code, "kind": s.kind, "kind_label": d.Kind(s.kind).label, "perspective": s.perspective,
        "priority": s.priority, "card_text": s.shown_text, "area": review.area.name,
        "user_group": review.user_group.name,
        "service": review.service.name if review.service and show_service else "",
    }
    if client.may_see_identifiable:
        out.update(review_id=review.reference, person_id=review.person_ref, text=s.text)
    return out


def workshop_for(cycle, workshop_id: int | None):
    if workshop_id is not None:
        workshop = cycle.workshops.filter(pk=workshop_id).first()
        if workshop is None:
            raise ApiProblem(404, f"Cycle {cycle.slug} has no workshop {workshop_id}.", "not-found")
        return workshop
    return d.pick_workshop(cycle)


def known_filter(area: str | None, user_group: str | None) -> None:
    """An area or user group that is not on the council's lists is a 400 naming the parameter: a filter that
    matched nothing used to fall back to everything."""
    for field, value, model, plural in (("area", area, d.Area, "areas"),
                                        ("user_group", user_group, d.UserGroup, "user groups")):
        if value and not model.objects.filter(name__iexact=value).exists():
            raise ApiProblem(400, f'"{value[:60]}" is not one of the council\'s {plural}.', "bad-filter",
                             [FieldError("is not on the council's list", field=field)])


def themes(client: ApiClient, cycle, workshop, *, kind=None, area=None, user_group=None) -> list[dict]:
    """Named themes of the workshop's main boards that the token may see, with people, votes, root causes,
    actions and their anonymised cards, for the statements the filters (area, user group) and the token's
    services cover. Counts and cards follow the one rule of goldenthread/reporting/disclosure.py."""
    if workshop is None:
        return []
    kind = _kind(kind)
    known_filter(area, user_group)
    told = disclosure(client, cycle, workshop)
    clusters = (d.Cluster.objects.filter(board__workshop=workshop, board__is_main=True, name__gt="",
                                         pk__in=list(told.themes))
                .select_related("board").order_by("board__kind", "position", "id"))
    if kind:
        clusters = clusters.filter(board__kind=kind)
    clusters = list(clusters)
    ids = [c.id for c in clusters]
    votes = {v["cluster_id"]: v for v in d.Vote.objects.filter(cluster_id__in=ids).values("cluster_id")
             .annotate(dots=Sum("dots"), voters=Count("delegate", distinct=True))}
    actions = defaultdict(list)
    for cluster_id, action_id in d.Action.themes.through.objects.filter(cluster_id__in=ids).values_list(
            "cluster_id", "action_id").order_by("action_id"):
        actions[cluster_id].append(action_id)
    causes = defaultdict(list)
    for c in d.RootCause.objects.filter(cluster_id__in=ids).order_by("id"):
        causes[c.cluster_id].append(root_cause_dict(c))
    return [{
        "id": c.id, "name": c.name, "kind": c.board.kind, "kind_label": d.Kind(c.board.kind).label,
        "people": told.people(c.id, area, user_group), "statements": told.statements(c.id, area, user_group),
        "dots": (votes.get(c.id) or {}).get("dots") or 0, "voters": (votes.get(c.id) or {}).get("voters") or 0,
        "actions": actions[c.id], "root_causes": causes[c.id], "cards": told.cards(c.id, area, user_group),
    } for c in clusters]


def root_cause_dict(c) -> dict:
    return {"id": c.id, "theme_id": c.cluster_id, "parent_id": c.parent_id, "depth": c.depth, "text": c.text}


def root_causes(client: ApiClient, cycle, workshop, *, theme: int | None = None):
    """The "5 whys" answers of the workshop's themes (only of the themes a service-limited token may see)."""
    if workshop is None:
        return d.RootCause.objects.none()
    qs = d.RootCause.objects.filter(cluster__board__workshop=workshop).order_by("cluster_id", "id")
    visible = visible_themes(client, workshop)
    if visible is not None:
        qs = qs.filter(cluster_id__in=visible)
    return qs.filter(cluster_id=theme) if theme is not None else qs


def votes(client: ApiClient, workshop, *, kind=None) -> list[dict]:
    """Dots per theme (delegates' votes; these are not people from reviews, so never hidden), for the themes
    the token may see."""
    if workshop is None:
        return []
    rows = (d.Vote.objects.filter(cluster__board__workshop=workshop, cluster__board__is_main=True)
            .values("cluster_id", "cluster__name", "cluster__board__kind", "delegate__group")
            .annotate(dots=Sum("dots"), voters=Count("delegate", distinct=True)).order_by("cluster_id"))
    if _kind(kind):
        rows = rows.filter(cluster__board__kind=kind)
    visible = visible_themes(client, workshop)
    if visible is not None:
        rows = rows.filter(cluster_id__in=visible)
    out: dict[int, dict] = {}
    for r in rows:
        v = out.setdefault(r["cluster_id"], {"theme_id": r["cluster_id"], "theme": r["cluster__name"],
                                             "kind": r["cluster__board__kind"], "dots": 0, "voters": 0,
                                             "by_group": {}})
        v["dots"] += r["dots"] or 0
        v["voters"] += r["voters"]
        v["by_group"][r["delegate__group"]] = v["by_group"].get(r["delegate__group"], 0) + (r["dots"] or 0)
    return sorted(out.values(), key=lambda v: (-v["dots"], v["theme_id"]))


def actions(client: ApiClient, workshop, *, status=None) -> list:
    """The workshop's actions (for a service-limited token, those that answer a theme it may see), each with
    ``visible`` set to the theme ids the token may see (None: all)."""
    if workshop is None:
        return []
    qs = workshop.actions.prefetch_related("themes", "root_causes").order_by("id")
    if status:
        valid = [s for s, _ in d.Action._meta.get_field("status").choices]
        if status not in valid:
            raise ApiProblem(400, f'"{status}" is not a status. Use one of: {", ".join(valid)}.', "bad-filter")
        qs = qs.filter(status=status)
    visible = visible_themes(client, workshop)
    found = []
    for a in qs:
        a.visible = visible
        if visible is None or any(t.id in visible for t in a.themes.all()):
            found.append(a)
    return found


def _sees(action, theme_id: int) -> bool:
    visible = getattr(action, "visible", None)
    return visible is None or theme_id in visible


def action_dict(a) -> dict:
    return {"id": a.id, "text": a.text, "stakeholder": a.get_stakeholder_display(), "owner": a.owner,
            "measure": a.measure, "due": a.due, "status": a.status, "status_label": a.get_status_display(),
            "themes": sorted(t.id for t in a.themes.all() if _sees(a, t.id)),
            "root_causes": sorted(r.id for r in a.root_causes.all() if _sees(a, r.cluster_id))}


def _chain(cause) -> list[str]:
    chain = []
    while cause is not None:
        chain.append(cause.text)
        cause = cause.parent
    return chain[::-1]


def golden_thread(client: ApiClient, cycle, workshop) -> list[dict]:
    """From each action back to its themes (people and cards as in ``themes``: the one rule) and root causes."""
    shared = shared_for(client)
    told = disclosure(client, cycle, workshop)
    from goldenthread.outcomes.models import ThemeOutcome

    codes = defaultdict(list)
    for cluster_id, code in (ThemeOutcome.objects.confirmed().filter(cluster__board__workshop=workshop)
                             .order_by("outcome__position", "outcome__code").values_list("cluster_id", "outcome__code")):
        codes[cluster_id].append(code)
    out = []
    for action in actions(client, workshop):
        clusters = [c for c in action.themes.select_related("board__workshop").order_by("id")
                    if c.id in told.themes]
        action_codes = sorted({code for c in action.themes.all() for code in codes[c.id]})
        out.append({
            "action_id": action.id, "action": action.text, "status": action.get_status_display(),
            "due": action.due,
            "themes": [{"id": c.id, "name": c.name, "kind": c.board.kind, "people": told.people(c.id),
                        "cards": [card["code"] for card in told.cards(c.id)],
                        "next_year": d.next_year(c, shared=shared, counts=False).status,
                        "outcomes": codes[c.id]} for c in clusters],
            "root_causes": [_chain(r) for r in action.root_causes.select_related("parent").order_by("id")
                            if _sees(action, r.cluster_id)],
            "outcomes": action_codes,
        })
    return out


def report(client: ApiClient, cycle, workshop, *, kind=None) -> dict:
    """The shared report's numbers (the team's for identifiable tokens), over the token's services."""
    shared = shared_for(client)
    data = disclosure(client, cycle, workshop, years=True).report
    kind = _kind(kind)

    def breakdown(b):
        return {"kind": b.kind, "by": b.by, "groups": b.groups, "themes": b.themes, "cells": b.cells,
                "totals": b.totals}

    return {
        "cycle": cycle.slug, "workshop": workshop.pk if workshop else None, "shared": shared,
        "threshold": data.threshold, "privacy_note": data.privacy_note, "reviews": hide(data.reviews, client),
        "people": hide(data.people, client),
        "kinds": [{"kind": k.kind, "label": k.label, "people": k.people, "themes": [
            {"id": t.id, "name": t.name, "people": t.people, "statements": None if shared else t.statements,
             "dots": t.dots, "voters": t.voters, "actions": t.actions} for t in k.themes]}
            for k in data.kinds if not kind or k.kind == kind],
        "by_area": [breakdown(b) for b in data.by_area if not kind or b.kind == kind],
        "by_user_group": [breakdown(b) for b in data.by_group if not kind or b.kind == kind],
        "years": [{"theme": y.theme, "kind": y.kind, "previous_name": y.previous_name, "before": y.before,
                   "now": y.now, "change": y.change} for y in data.years if not kind or y.kind == kind],
        "gone": data.gone,
        "year_on": [{"previous_theme": r.theme, "kind": r.kind, "earlier_workshop": r.earlier_workshop,
                     "compared_with": r.later_workshop, "verdict": r.verdict, "theme": r.later_theme or None,
                     "before": r.before, "now": r.now, "sentence": r.sentence,
                     "actions": [{"text": a.text, "owner": a.owner, "status": a.status, "note": a.note}
                                 for a in r.actions]}
                    for r in data.year_on if not kind or r.kind == kind],
    }


# --- Outcomes ------------------------------------------------------------------------------------
# The council's outcome framework and its own measures: figures it already publishes, not what people said.
# Which themes speak to an outcome is given as theme ids; counts of people come only from the theme endpoints.

def _may_keep_outcomes(client: ApiClient) -> None:
    if not (client.can_write and d.role_can(client.role, "add_measure")):
        raise ApiProblem(403, "This token may not send outcome data. Ask an administrator for a token that may "
                              "write, with a role that runs cycles.", "forbidden")


def _outcome_problem(exc, key: str) -> ApiProblem:
    errors = []
    for p in exc.problems:
        number = p.where.rsplit(" ", 1)[-1]
        pointer = f"/{key}/{int(number) - 1}" if number.isdigit() and p.where != "File" else ""
        if pointer and p.column:
            pointer += f"/{p.column}"
        errors.append(FieldError(p.message, pointer=pointer, row=p.where, field=p.column or ""))
    return ApiProblem(422, f"Nothing was saved: {len(errors)} problem{'s' if len(errors) != 1 else ''} to fix.",
                      f"invalid-{key}", errors)


def save_outcomes(client: ApiClient, rows: list[dict]) -> dict:
    from goldenthread.outcomes import services as outcomes

    _may_keep_outcomes(client)
    if client.cycle_ids() is not None:
        raise ApiProblem(403, "The outcome framework is the whole council's: only a token for every cycle may "
                              "change it.", "forbidden")
    return import_rows(outcomes.import_outcomes, outcomes.table_of(rows, "Outcome"), outcomes.OutcomeFileError,
                       "outcomes")


def save_measures(client: ApiClient, rows: list[dict]) -> dict:
    from goldenthread.outcomes import services as outcomes

    _may_keep_outcomes(client)
    allowed = client.cycle_ids()
    if allowed is not None:
        slugs = {s.casefold() for s in d.ProgrammeCycle.objects.filter(pk__in=allowed).values_list("slug", flat=True)}
        outside = [FieldError("is not a cycle this token may use", pointer=f"/measures/{i}/cycle",
                              row=f"Measure {i + 1}", field="cycle")
                   for i, row in enumerate(rows) if str(row.get("cycle", "")).strip().casefold() not in slugs]
        if outside:
            raise ApiProblem(422, f"Nothing was saved: {len(outside)} problem{'s' if len(outside) != 1 else ''} "
                                  "to fix.", "invalid-measures", outside[:200])
    rows = [{**row, "value": str(row["value"])} for row in rows]
    return import_rows(outcomes.import_measures, outcomes.table_of(rows, "Measure"), outcomes.OutcomeFileError,
                       "measures")


def confirmed_theme_ids(client: ApiClient, links, target: str) -> dict[int, list[int]]:
    """Target id -> ids of the themes a person confirmed for it (``links``: a ThemeLink model's rows), in the
    cycles this token may use."""
    links = links.confirmed().order_by("cluster_id")
    allowed = client.cycle_ids()
    if allowed is not None:
        links = links.filter(cluster__board__workshop__cycle__in=allowed)
    themes = defaultdict(list)
    for target_id, cluster_id in links.values_list(f"{target}_id", "cluster_id"):
        themes[target_id].append(cluster_id)
    return themes


def import_rows(do_import, table, error: type[Exception], key: str) -> dict:
    """JSON rows imported all or nothing by an app's importer; its problems become one 422 with pointers."""
    try:
        summary = do_import(table)
    except error as exc:
        raise _outcome_problem(exc, key) from None
    return {"created": summary.created, "updated": summary.updated}


def outcome_list(client: ApiClient):
    from goldenthread.outcomes.models import OutcomeArea, ThemeOutcome

    themes = confirmed_theme_ids(client, ThemeOutcome.objects, "outcome")
    return [{"code": o.code, "statement": o.statement, "description": o.description, "themes": themes[o.pk]}
            for o in OutcomeArea.objects.all()]


def measure_list(client: ApiClient, outcome: str | None, cycle: str | None):
    from goldenthread.outcomes.models import Measure

    found = Measure.objects.select_related("outcome", "cycle", "area", "user_group").order_by("pk")
    allowed = client.cycle_ids()
    if allowed is not None:
        found = found.filter(cycle__in=allowed)
    if outcome:
        from goldenthread.outcomes.models import OutcomeArea

        if not OutcomeArea.objects.filter(code__iexact=outcome).exists():
            raise ApiProblem(400, f'"{outcome[:60]}" is not the code of an outcome area.', "bad-filter")
        found = found.filter(outcome__code__iexact=outcome)
    if cycle:
        found = found.filter(cycle=cycle_for(client, cycle.lower()))
    return found


def measure_dict(m) -> dict:
    return {"outcome": m.outcome.code, "name": m.name, "kind": m.kind, "unit": m.unit, "value": float(m.value),
            "period": m.period, "cycle": m.cycle.slug, "area": m.area.name if m.area else "",
            "user_group": m.user_group.name if m.user_group else ""}


# --- Market --------------------------------------------------------------------------------------
# The market directory is the council's own list of what is present: no one's words. The gap table counts
# people as the shared report does (small counts hidden unless the token may see identifiable data).

def _may_keep_market(client: ApiClient) -> None:
    if not (client.can_write and d.role_can(client.role, "add_provision")):
        raise ApiProblem(403, "This token may not send the market directory. Ask an administrator for a token that "
                              "may write, with a role that runs cycles.", "forbidden")
    if client.cycle_ids() is not None:
        raise ApiProblem(403, "The market directory is the whole council's: only a token for every cycle may "
                              "change it.", "forbidden")


def save_service_types(client: ApiClient, rows: list[dict]) -> dict:
    from goldenthread.market import services as market

    _may_keep_market(client)
    return import_rows(market.import_service_types, market.table_of(rows, "Service type"), market.MarketFileError,
                       "service_types")


def save_provisions(client: ApiClient, rows: list[dict]) -> dict:
    from goldenthread.market import services as market

    _may_keep_market(client)
    rows = [{**row, "areas": "; ".join(row["areas"]), "user_groups": "; ".join(row["user_groups"]),
             "capacity": "" if row["capacity"] is None else str(row["capacity"])} for row in rows]
    return import_rows(market.import_provisions, market.table_of(rows, "Provision"), market.MarketFileError,
                       "provisions")


def service_type_list(client: ApiClient):
    from goldenthread.market.models import ServiceType, ThemeServiceType

    themes = confirmed_theme_ids(client, ThemeServiceType.objects, "service_type")
    return [{"name": t.name, "description": t.description, "themes": themes[t.pk]} for t in ServiceType.objects.all()]


def provision_list(client: ApiClient):
    from goldenthread.market.models import Provision

    return (Provision.objects.select_related("service_type").prefetch_related("areas", "user_groups")
            .order_by("service_type__name", "name", "pk"))


def provision_dict(p) -> dict:
    return {"name": p.name, "kind": p.kind, "service_type": p.service_type.name, "organisation": p.organisation,
            "areas": [a.name for a in p.areas.all()], "user_groups": [g.name for g in p.user_groups.all()],
            "capacity": p.capacity, "capacity_unit": p.capacity_unit}


def market_gaps(client: ApiClient, cycle) -> dict:
    """The gap table of a cycle, over the token's services; small counts hidden for a shared token."""
    from goldenthread.reporting.market import market_view

    shared = shared_for(client)
    view = market_view(cycle, shared=shared, made_by="API", services=client.service_names(), quotes=False)
    return {"cycle": cycle.slug, "workshop": view.workshop.pk if view.workshop else None, "shared": shared,
            "suppress_below": view.threshold if shared else 0,
            "results": [{"service_type": g.service_type, "area": g.area, "user_group": g.user_group,
                         "people": g.people, "provisions": g.provisions, "capacity": g.capacity,
                         "capacity_unknown": g.capacity_unknown, "nothing_offered": g.nothing_offered,
                         "outstrips_capacity": g.outstrips} for t in view.types for g in t.gaps.gaps]}


# --- Tenders -------------------------------------------------------------------------------------

def tender_list(client: ApiClient):
    from goldenthread.tenders.models import Tender

    return (Tender.objects.select_related("service_type", "area", "user_group")
            .prefetch_related("themes__board__workshop").order_by("pk"))


def tender_dict(client: ApiClient, tender) -> dict:
    """One tender with its criteria and its bids' combined scores: no bidder and no panel member is named."""
    from goldenthread.tenders.services import combine

    allowed = client.cycle_ids()
    themes = {c.pk for c in tender.themes.all() if allowed is None or c.board.workshop.cycle_id in allowed}
    combined = combine(tender)
    return {
        "id": tender.pk, "name": tender.name, "service_type": tender.service_type.name, "area": tender.area.name,
        "user_group": tender.user_group.name if tender.user_group_id else "", "status": tender.status,
        "themes": sorted(themes), "success": list(tender.success.values_list("text", flat=True)),
        "criteria": [{"id": c.pk, "text": c.text, "theme": c.theme_id if c.theme_id in themes else None,
                      "weight": c.weight} for c in combined.criteria],
        "panel_size": len(combined.members),
        "bids": [{"label": r.bid.label, "weighted": None if r.weighted is None else round(r.weighted, 3),
                  "chosen": tender.chosen_bid_id == r.bid.pk,
                  "criteria": [{"criterion": c.criterion.pk, "scores": c.scores,
                                "mean": None if c.mean is None else round(c.mean, 3)} for c in r.criteria]}
                 for r in combined.bids],
        "decision": tender.decision if tender.status == "decided" else "",
    }
