"""What the API does, kept out of the views: scope checks, reviews in, results out.

Reviews in
    :func:`save_review_batch` hands the request body to the file import
    (``import_reviews``), so a review sent to the API is checked, anonymised
    and saved exactly as one in a JSON file: all or nothing, a retry adds
    nothing, and a known review ID with different details is refused. The
    import's problems ("Review 2, statement 1, column kind") come back with a
    JSON Pointer to the same place (``/reviews/1/statements/0/kind``).

Results out
    Every count of people goes through the report's own numbers
    (``build_report``) and, for tokens not allowed identifiable data, the same
    small-number suppression as the shared report. Statements are always the
    anonymised card wording unless the token may see identifiable data.
"""
from __future__ import annotations

import json
from collections import defaultdict

from django.db import OperationalError
from django.db.models import Count, Sum
from django.db.models.functions import Lower

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

def cycle_summary(client: ApiClient, cycle) -> dict:
    statements = cycle.card_statements()
    return {
        "slug": cycle.slug, "name": cycle.name, "year": cycle.year,
        "previous": cycle.previous.slug if cycle.previous else None,
        "purpose": cycle.purpose, "scope": cycle.scope,
        "reviews": hide(cycle.reviews.filter(consent_given=True).count(), client),
        "people": hide(statements.values("review__person_ref").distinct().count(), client),
    }


def _kind(value: str | None) -> str | None:
    if not value:
        return None
    if value in d.Kind.values:
        return value
    raise ApiProblem(400, f'"{value}" is not a kind. Use one of: {", ".join(d.Kind.values)}.', "bad-filter")


def cards(client: ApiClient, cycle, *, kind=None, area=None, user_group=None):
    """The cycle's cards (consented, finished reviews), filtered, in card order."""
    qs = (cycle.card_statements().select_related("review__area", "review__user_group", "review__service")
          .order_by("kind", "card_number"))
    if _kind(kind):
        qs = qs.filter(kind=kind)
    known_filter(area, user_group)
    if area:
        qs = qs.filter(review__area__name__iexact=area)
    if user_group:
        qs = qs.filter(review__user_group__name__iexact=user_group)
    services = client.service_names()
    if services is not None:
        qs = qs.filter(review__service__in=d.Service.objects.annotate(lower=Lower("name")).filter(lower__in=services))
    return qs


def card_dict(client: ApiClient, s) -> dict:
    review = s.review
    out = {
        "code": s.card_code, "kind": s.kind, "kind_label": d.Kind(s.kind).label, "perspective": s.perspective,
        "priority": s.priority, "card_text": s.shown_text, "area": review.area.name,
        "user_group": review.user_group.name, "service": review.service.name if review.service else "",
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
    """Named themes of the workshop's main boards, with people, votes, root causes, actions and their
    anonymised cards, for the statements the filters (area, user group) and the token's services cover.

    One rule for shared answers (tokens that may not see identifiable data), the shared report's: people are
    counted within the filters and suppressed kind by kind (small counts and the secondary cells that would
    give them away), and a theme whose count is hidden shows neither its cards nor a statement count, so no
    filter, difference or list length gives back a hidden number.
    """
    if workshop is None:
        return []
    kind = _kind(kind)
    known_filter(area, user_group)
    clusters = (d.Cluster.objects.filter(board__workshop=workshop, board__is_main=True, name__gt="")
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
    placements = (d.Placement.objects.filter(cluster_id__in=ids, board__is_main=True)
                  .select_related("card__statement__review__area", "card__statement__review__user_group",
                                  "card__statement__review__service").order_by("card__order"))
    if area:
        placements = placements.filter(card__statement__review__area__name__iexact=area)
    if user_group:
        placements = placements.filter(card__statement__review__user_group__name__iexact=user_group)
    services = client.service_names()
    if services is not None:
        placements = placements.filter(card__statement__review__service__in=d.Service.objects.annotate(
            lower=Lower("name")).filter(lower__in=services))
    theme_cards, statement_counts, people = defaultdict(list), defaultdict(int), defaultdict(set)
    for p in placements:
        s = p.card.statement
        statement_counts[p.cluster_id] += 1
        people[p.cluster_id].add(s.review.person_ref)
        theme_cards[p.cluster_id].append({"code": s.card_code, "card_text": s.shown_text,
                                          "area": s.review.area.name, "user_group": s.review.user_group.name})
    shown: dict[int, int | None] = {}
    by_kind = defaultdict(list)
    for c in clusters:
        by_kind[c.board.kind].append(c)
    for kind_clusters in by_kind.values():
        counts = [len(people[c.id]) for c in kind_clusters]
        hidden = d.suppress_series(counts, d.threshold_setting()) if shared_for(client) else counts
        shown.update({c.id: n for c, n in zip(kind_clusters, hidden)})
    out = []
    for c in clusters:
        hide_all = shown[c.id] is None
        out.append({
            "id": c.id, "name": c.name, "kind": c.board.kind, "kind_label": d.Kind(c.board.kind).label,
            "people": shown[c.id], "statements": None if hide_all else statement_counts[c.id],
            "dots": (votes.get(c.id) or {}).get("dots") or 0, "voters": (votes.get(c.id) or {}).get("voters") or 0,
            "actions": actions[c.id], "root_causes": causes[c.id], "cards": [] if hide_all else theme_cards[c.id],
        })
    return out


def root_cause_dict(c) -> dict:
    return {"id": c.id, "theme_id": c.cluster_id, "parent_id": c.parent_id, "depth": c.depth, "text": c.text}


def root_causes(cycle, workshop, *, theme: int | None = None):
    if workshop is None:
        return d.RootCause.objects.none()
    qs = d.RootCause.objects.filter(cluster__board__workshop=workshop).order_by("cluster_id", "id")
    return qs.filter(cluster_id=theme) if theme is not None else qs


def votes(workshop, *, kind=None) -> list[dict]:
    """Dots per theme (delegates' votes; these are not people from reviews, so never hidden)."""
    if workshop is None:
        return []
    rows = (d.Vote.objects.filter(cluster__board__workshop=workshop, cluster__board__is_main=True)
            .values("cluster_id", "cluster__name", "cluster__board__kind", "delegate__group")
            .annotate(dots=Sum("dots"), voters=Count("delegate", distinct=True)).order_by("cluster_id"))
    if _kind(kind):
        rows = rows.filter(cluster__board__kind=kind)
    out: dict[int, dict] = {}
    for r in rows:
        v = out.setdefault(r["cluster_id"], {"theme_id": r["cluster_id"], "theme": r["cluster__name"],
                                             "kind": r["cluster__board__kind"], "dots": 0, "voters": 0,
                                             "by_group": {}})
        v["dots"] += r["dots"] or 0
        v["voters"] += r["voters"]
        v["by_group"][r["delegate__group"]] = v["by_group"].get(r["delegate__group"], 0) + (r["dots"] or 0)
    return sorted(out.values(), key=lambda v: (-v["dots"], v["theme_id"]))


def actions(workshop, *, status=None):
    if workshop is None:
        return d.Action.objects.none()
    qs = workshop.actions.prefetch_related("themes", "root_causes").order_by("id")
    if status:
        valid = [s for s, _ in d.Action._meta.get_field("status").choices]
        if status not in valid:
            raise ApiProblem(400, f'"{status}" is not a status. Use one of: {", ".join(valid)}.', "bad-filter")
        qs = qs.filter(status=status)
    return qs


def action_dict(a) -> dict:
    return {"id": a.id, "text": a.text, "stakeholder": a.get_stakeholder_display(), "owner": a.owner,
            "measure": a.measure, "due": a.due, "status": a.status, "status_label": a.get_status_display(),
            "themes": sorted(t.id for t in a.themes.all()), "root_causes": sorted(r.id for r in a.root_causes.all())}


def thread_dict(client: ApiClient, action) -> dict:
    shared = shared_for(client)
    thread = d.action_thread(action, shared=shared)
    clusters = {c.id: c for c in action.themes.select_related("board__workshop")}
    return {
        "action_id": thread.id, "action": thread.text, "status": thread.status, "due": thread.due,
        "themes": [{"id": t.id, "name": t.name, "kind": t.kind, "people": t.people,
                    "cards": [c.code for c in t.cards],
                    "next_year": d.next_year(clusters[t.id], shared=shared).status} for t in thread.themes],
        "root_causes": thread.root_causes,
    }


def report(client: ApiClient, cycle, workshop, *, kind=None) -> dict:
    shared = shared_for(client)
    data = d.build_report(cycle, workshop, shared=shared, made_by=f"API client {client.name}")
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
    }
