"""Suppression no query can undo: every endpoint × every filter on the demo, for shared tokens.

For a shared token of every service and a shared token limited to two services, each cycle of the demo is
asked through every endpoint that gives counts or lists (cycles, cards, themes, report, votes, root causes,
actions, golden thread) with every filter value (each kind, area and user group, and none, in every
combination). The true counts of people come straight from the database. The test fails when a count of
fewer than the limit (and more than none) can be had:

* **directly**: a shown count that is small, or a shown count that is not the true one;
* **by difference**: every shown count is a known value of one variable (a theme, a theme in an area, …);
  the sums that hold on the true numbers (a theme's people are its people in each area, and in each user
  group; a kind's people in the report are its people in each area) are solved over and over, a sum with
  one unknown left giving it away, until nothing new comes out; no small count may come out;
* **from list lengths**: a card is listed only when its whole group (kind or theme, area, user group) holds
  at least the limit; a list for a filter that covers a small group is empty; a list is exactly the sum of
  the lists of each value of one more filter (so no difference of lists counts anything hidden); a hidden
  theme lists no cards; a card's service is shown only to a token of that one service.

For the service-limited token, no theme, root cause, action or vote of a theme without a card from its
services appears, and every count is over its services only.

The shared web pages are checked the same way, for a signed-in Viewer beside the token of every service (a
page is about every service): each theme page and action page of the golden thread, "you said, we did" and
the report page's "last year" table. A theme's people there are the very number ``/themes`` gives (and so
go into the same sums), its listed cards are exactly ``/themes``' list (only cards of shown theme × area ×
user group cells, none for a hidden theme), and every quote in "you said, we did" is the wording of a card
``/themes`` lists for that theme. ``CASES`` holds the number of cases checked
(one request and every check on its answer); run with ``-s`` to see it printed.
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from urllib.parse import urlencode

import pytest

#: The number of cases checked in this run, all thresholds together (requests, each with all its checks).
CASES = 0
MIN_CASES = 500
KINDS = [None, "working", "not_working", "future", "important_now"]
CODE = re.compile(r"<strong>([A-Z]+-\d+)</strong>")
SAID = re.compile(r'<p class="govuk-body">(?:(\d+) (?:person|people)|Fewer than the privacy limit of people '
                  r"\(number hidden\)) said this\.</p>")


class Truth:
    """The real counts of one cycle within some services, straight from the database."""

    def __init__(self, cycle, services: set[str] | None):
        from goldenthread.reporting.data import pick_workshop
        from goldenthread.workshops.models import Cluster, Placement

        def in_scope(name):
            return services is None or (name or "").lower() in services

        self.card_people = defaultdict(set)  # (kind, area, group) -> people, over every card statement
        self.card_cell = {}  # card code -> (kind, area, group)
        self.people, self.reviews = set(), set()
        for st in cycle.card_statements().select_related("review__area", "review__user_group", "review__service"):
            code, kind, area, group, person = (st.card_code, st.kind, st.review.area.name,
                                               st.review.user_group.name, st.review.person_ref)
            if in_scope(st.review.service.name if st.review.service else ""):
                self.card_people[(kind, area.lower(), group.lower())].add(person)
                self.card_cell[code] = (kind, area.lower(), group.lower())
                self.people.add(person)
        self.reviews = {r for r, s in cycle.reviews.filter(consent_given=True).values_list("id", "service__name")
                        if in_scope(s)}
        self.workshop = pick_workshop(cycle)
        self.theme_people = defaultdict(set)  # (theme, area, group) -> people
        self.theme_card_cell = {}  # (theme, code) -> (area, group)
        self.theme_kind = {}
        if self.workshop is not None:
            for p in Placement.objects.filter(
                    board__workshop=self.workshop, board__is_main=True, cluster__name__gt="",
                    card__statement__review__consent_given=True).select_related(
                    "card__statement__review__area", "card__statement__review__user_group",
                    "card__statement__review__service"):
                review = p.card.statement.review
                cid, code, area, group, person = (p.cluster_id, p.card.statement.card_code, review.area.name,
                                                  review.user_group.name, review.person_ref)
                if in_scope(review.service.name if review.service else ""):
                    self.theme_people[(cid, area.lower(), group.lower())].add(person)
                    self.theme_card_cell[(cid, code)] = (area.lower(), group.lower())
            self.theme_kind = dict(Cluster.objects.filter(board__workshop=self.workshop, board__is_main=True,
                                                          name__gt="").values_list("id", "board__kind"))
        self.visible = {t for t, _a, _g in self.theme_people}

    def theme(self, t, area=None, group=None) -> int:
        return len(set().union(*(p for (tid, a, g), p in self.theme_people.items() if tid == t
                                 and (area is None or a == area) and (group is None or g == group))))

    def cards(self, kind=None, area=None, group=None) -> int:
        return len(set().union(*(p for (k, a, g), p in self.card_people.items() if (kind is None or k == kind)
                                 and (area is None or a == area) and (group is None or g == group))))

    def kind_in(self, kind, area=None, group=None) -> int:
        """People with a card of ``kind`` on any theme (the report's totals), within an area or user group."""
        return len(set().union(*(p for (t, a, g), p in self.theme_people.items() if self.theme_kind.get(t) == kind
                                 and (area is None or a == area) and (group is None or g == group))))


class Audit:
    """Everything one token was told about one cycle, and the checks on it."""

    def __init__(self, truth: Truth, threshold: int, label: str):
        self.truth, self.threshold, self.label = truth, threshold, label
        self.known: dict[tuple, int] = {}
        self.hidden: set[tuple] = set()
        self.values: dict[tuple, int] = {}

    def small(self, n: int) -> bool:
        return 0 < n < self.threshold

    def told(self, var: tuple, shown: int | None, true: int, where: str) -> None:
        self.values[var] = true
        if shown is None:
            self.hidden.add(var)
            return
        assert shown == true, f"{self.label} {where}: {var} shown as {shown}, truly {true}"
        assert not self.small(true), f"{self.label} {where}: small count {var} = {true} shown"
        self.known[var] = shown

    def undo_by_difference(self, sums: list[tuple[tuple, list[tuple]]]) -> None:
        """Solve every sum that holds on the true numbers until nothing new comes out; nothing small may."""
        sums = [(total, parts) for total, parts in sums if total in self.values and all(p in self.values for p in parts)
                and self.values[total] == sum(self.values[p] for p in parts)]
        known = dict(self.known)
        changed = True
        while changed:
            changed = False
            for total, parts in sums:
                unknown = [p for p in parts if p not in known]
                if total in known and len(unknown) == 1:
                    known[unknown[0]] = known[total] - sum(known[p] for p in parts if p in known)
                    changed = True
                elif total not in known and not unknown:
                    known[total] = sum(known[p] for p in parts)
                    changed = True
        undone = {v: known[v] for v in self.hidden if v in known and self.small(self.values[v])}
        assert not undone, f"{self.label}: hidden small counts worked out by difference: {undone}"


@pytest.fixture
def tokens(db, demo_data):
    from goldenthread.api.tokens import create_client
    from goldenthread.core.models import Service
    from goldenthread.reviews.models import Statement

    busiest = [name for name, _n in sorted(
        ((s.name, Statement.objects.filter(review__service=s).count()) for s in Service.objects.all()),
        key=lambda x: (-x[1], x[0]))[:2]]
    return {
        "shared": (create_client("audit shared", "Viewer", cycles=["all"], rate_limit=100_000)[1], None),
        "services": (create_client("audit services", "Provider manager", cycles=["all"], services=busiest,
                                   rate_limit=100_000)[1], {n.lower() for n in busiest}),
    }


@pytest.mark.parametrize("threshold", [5, 2])  # at 2 some of the demo's theme × area × group cells are shown
def test_no_endpoint_or_filter_gives_back_a_hidden_count_on_the_demo(client, tokens, settings, threshold,
                                                                     make_user):
    global CASES
    from django.urls import reverse

    from goldenthread.core import roles
    from goldenthread.core.models import Area, UserGroup
    from goldenthread.reporting.you_said import last_year, you_said_we_did
    from goldenthread.reviews.models import ProgrammeCycle
    from goldenthread.workshops.models import Action, Cluster

    settings.GOLDENTHREAD_SUPPRESS_BELOW = threshold
    client.force_login(make_user(roles.VIEWER, "audit viewer"))  # the shared web pages
    areas = [None] + sorted(Area.objects.values_list("name", flat=True))
    groups = [None] + sorted(UserGroup.objects.values_list("name", flat=True))
    cases = 0
    shown = defaultdict(int)  # what was not hidden, so the test is not passing on empty answers

    for (name, (token, services)), cycle in itertools.product(tokens.items(), ProgrammeCycle.objects.all()):
        base = f"/api/v1/cycles/{cycle.slug}"

        def get(path, **params):
            nonlocal cases
            cases += 1
            query = urlencode({k: v for k, v in params.items() if v is not None})
            response = client.get(f"{base}{path}?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
            assert response.status_code == 200, (path, params, response.content[:300])
            return response.json()

        truth = Truth(cycle, services)
        audit = Audit(truth, threshold, f"{name} {cycle.slug}")
        sums: list[tuple[tuple, list[tuple]]] = []

        # Cycles: the whole cycle's people and reviews, within the token's services.
        summary = get("")
        audit.told(("people",), summary["people"], len(truth.people), "cycle")
        audit.told(("reviews",), summary["reviews"], len(truth.reviews), "cycle")

        # Cards: every kind × area × user group.
        lengths = {}
        for kind, area, group in itertools.product(KINDS, areas, groups):
            page = get("/cards", kind=kind, area=area, user_group=group, limit=500)
            a, g = (area or "").lower() or None, (group or "").lower() or None
            lengths[(kind, a, g)] = page["count"]
            shown[f"{name} cards listed"] += page["count"]
            assert page["count"] == len(page["results"])
            if audit.small(truth.cards(kind, a, g)):
                assert page["results"] == [], f"{audit.label}: cards of a small group {kind, area, group} listed"
            for card in page["results"]:
                cell = truth.card_cell[card["code"]]
                assert cell == (card["kind"], card["area"].lower(), card["user_group"].lower())
                assert not audit.small(len(truth.card_people[cell])), f"{audit.label}: card of small cell {cell}"
                assert card["service"] == "" or (services and len(services) == 1)
        for kind, a, g in lengths:  # a list is the sum of its lists one filter further down
            for dim, values in ((0, KINDS[1:]), (1, {c[1] for c in truth.card_people}),
                                (2, {c[2] for c in truth.card_people})):
                key = (kind, a, g)
                if key[dim] is None:
                    parts = [lengths.get(key[:dim] + (v,) + key[dim + 1:], 0) for v in values]
                    assert lengths[key] == sum(parts), f"{audit.label}: card list {key} minus its parts is not 0"

        # Themes: every kind × area × user group; people, cards and the sums between them.
        theme_cards: dict[int, list[str]] = {}
        theme_texts: dict[int, set[str]] = {}
        shown_people: dict[int, int | None] = {}
        seen_themes = set()
        for kind, area, group in itertools.product(KINDS, areas, groups):
            a, g = (area or "").lower() or None, (group or "").lower() or None
            page = get("/themes", kind=kind, area=area, user_group=group, limit=500)
            assert page["count"] == len(page["results"])
            for theme in page["results"]:
                t = theme["id"]
                seen_themes.add(t)
                assert theme["statements"] is None, f"{audit.label}: a statement count in a shared answer"
                audit.told(("theme", t, a, g), theme["people"], truth.theme(t, a, g), f"themes {kind, area, group}")
                if theme["people"] is None:
                    assert theme["cards"] == [], f"{audit.label}: a hidden theme lists cards"
                for card in theme["cards"]:
                    cell = truth.theme_card_cell[(t, card["code"])]
                    assert cell == (card["area"].lower(), card["user_group"].lower())
                    assert (a or cell[0]) == cell[0] and (g or cell[1]) == cell[1]
                    assert not audit.small(truth.theme(t, *cell)), f"{audit.label}: theme card of small cell {cell}"
                lengths[("theme", t, a, g)] = len(theme["cards"])
                shown[f"{name} theme cards listed"] += len(theme["cards"])
                if kind is None and a is None and g is None:
                    theme_cards[t] = [c["code"] for c in theme["cards"]]
                    theme_texts[t] = {c["card_text"] for c in theme["cards"]}
                    shown_people[t] = theme["people"]
        areas_of = sorted({c[1] for c in truth.theme_people})
        groups_of = sorted({c[2] for c in truth.theme_people})
        for t in seen_themes:
            for g in [None, *groups_of]:
                parts = [("theme", t, a, g) for a in areas_of]
                sums.append((("theme", t, None, g), parts))
                assert lengths[("theme", t, None, g)] == sum(lengths.get(p, 0) for p in parts)
            for a in [None, *areas_of]:
                parts = [("theme", t, a, g) for g in groups_of]
                sums.append((("theme", t, a, None), parts))
                assert lengths[("theme", t, a, None)] == sum(lengths.get(p, 0) for p in parts)

        # Report: every kind filter; its theme counts are the same variables as /themes'.
        for kind in KINDS:
            report = get("/report", kind=kind)
            audit.told(("people",), report["people"], len(truth.people), "report")
            audit.told(("reviews",), report["reviews"], len(truth.reviews), "report")
            for k in report["kinds"]:
                audit.told(("kind", k["kind"]), k["people"], truth.kind_in(k["kind"]), "report kind")
                for theme in k["themes"]:
                    seen_themes.add(theme["id"])
                    audit.told(("theme", theme["id"], None, None), theme["people"], truth.theme(theme["id"]),
                               "report theme")
                    assert theme["statements"] is None
            for by, breakdowns in (("area", report["by_area"]), ("group", report["by_user_group"])):
                for b in breakdowns:
                    ids = [t["id"] for k in report["kinds"] if k["kind"] == b["kind"] for t in k["themes"]]
                    for col, group_name in enumerate(b["groups"]):
                        key = group_name.lower()
                        for tid, row in zip(ids, b["cells"]):
                            var = ("theme", tid, key, None) if by == "area" else ("theme", tid, None, key)
                            audit.told(var, row[col], truth.theme(tid, *var[2:]), f"report by {by}")
                        total = truth.kind_in(b["kind"], **({"area": key} if by == "area" else {"group": key}))
                        audit.told(("kind", b["kind"], by, key), b["totals"][col], total, f"report {by} totals")
                    sums.append((("kind", b["kind"]), [("kind", b["kind"], by, gn.lower()) for gn in b["groups"]]))
            for year in report["years"]:
                for value in (year["before"], year["now"]):
                    assert value is None or not audit.small(value), f"{audit.label}: small count in years"

        # Votes, root causes, actions and the golden thread: only themes the token may see.
        for kind in KINDS:
            for vote in get("/votes", kind=kind, limit=500)["results"]:
                seen_themes.add(vote["theme_id"])
        for cause in get("/root-causes", limit=500)["results"]:
            seen_themes.add(cause["theme_id"])
        for status in (None, "not_started", "underway", "done"):
            for action in get("/actions", status=status, limit=500)["results"]:
                seen_themes.update(action["themes"])
        for thread in get("/golden-thread", limit=500)["results"]:
            for theme in thread["themes"]:
                seen_themes.add(theme["id"])
                assert theme["people"] == shown_people.get(theme["id"]), "the thread and /themes disagree"
                assert set(theme["cards"]) <= set(theme_cards.get(theme["id"], [])), "thread lists a withheld card"
        if services is not None:
            assert seen_themes <= truth.visible, f"{audit.label}: themes with no card from its services"

        # The shared web pages (every service): the same numbers and card lists as /themes.
        if services is None and truth.workshop is not None:
            def page(name, *args):
                nonlocal cases
                cases += 1
                shown["web cases"] += 1
                response = client.get(reverse(name, args=args))
                assert response.status_code == 200, (name, args)
                return response.content.decode()

            themes = list(Cluster.objects.in_workshop(truth.workshop).themes())
            for theme in themes:
                html, t = page("reports:theme_thread", theme.pk), theme.pk
                [said] = SAID.findall(html)
                people = int(said) if said else None
                audit.told(("theme", t, None, None), people, truth.theme(t), "web theme page")
                assert people == shown_people.get(t), f"{audit.label}: the theme page and /themes disagree on {t}"
                codes = CODE.findall(html)
                assert codes == theme_cards.get(t, []), f"{audit.label}: theme page {t} lists other cards than /themes"
                for code in codes:
                    cell = truth.theme_card_cell[(t, code)]
                    assert not audit.small(truth.theme(t, *cell)), f"{audit.label}: web card of small cell {cell}"
                shown["web theme cards listed"] += len(codes)
            for action in Action.objects.filter(workshop=truth.workshop).prefetch_related("themes"):
                listed = [c for t in action.themes.all() for c in theme_cards.get(t.pk, [])]
                assert sorted(CODE.findall(page("reports:action_thread", action.pk))) == sorted(listed), \
                    f"{audit.label}: action page {action.pk} lists other cards than /themes"
            ids = {c.name: c.pk for c in themes}
            cases += 2
            shown["web cases"] += 2
            for entry in you_said_we_did(cycle):
                t = ids[entry.theme]
                audit.told(("theme", t, None, None), entry.people, truth.theme(t), "you said, we did")
                assert set(entry.said) <= theme_texts.get(t, set()), f"{audit.label}: you-said quotes a held card"
                shown["you-said quotes"] += len(entry.said)
            for row in last_year(cycle):
                for value in (row.before, row.now):
                    assert value is None or not audit.small(value), f"{audit.label}: small count in last year"

        audit.undo_by_difference(sums)
        shown[f"{name} counts shown"] += len(audit.known)
        shown[f"{name} counts hidden"] += len(audit.hidden)

    CASES += cases
    print(f"\nsuppression property test: {cases} cases checked; {dict(shown)}")
    assert cases >= MIN_CASES
    assert all(shown[f"{name} {what}"] for name in tokens for what in ("cards listed", "counts shown"))
