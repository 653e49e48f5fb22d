"""Invented demo workshops, so ``goldenthread demo`` shows the whole method and not just raw reviews.

* **ashdown-2025**: a finished workshop. Every card was called into clusters
  suggested by the theme engine, the themes were named (the engine's names, with
  a few tidied by hand), people voted, asked "why?", said what success would look
  like, agreed actions and a sharing plan.
* **ashdown-2026**: a workshop part-way through its card call, so the card-call
  page shows the engine's suggestions, with this year's main themes matched to
  last year's (the golden thread).

Everything is made through :mod:`goldenthread.workshops.services`, exactly as the
app would make it. Every name, reason and action here was written for this
project. Safe to run again: a workshop that already exists is left alone.
"""
from __future__ import annotations

import re

from goldenthread.workshops.models import Action, Cluster, Stage, Status, SuccessStatement, Workshop
from goldenthread.core import themes as suggest
from goldenthread.workshops import services as ops

NAME_2025 = "Ashdown workshop, March 2025"
NAME_2026 = "Ashdown workshop, March 2026"

#: Theme names tidied by hand where the engine's were clumsy: (kind, a word most of the cards use, name).
BETTER_NAMES = [
    ("not_working", "bus", "I can't get home at night"),
    ("not_working", "boring", "I am bored at weekends and at the centre"),
    ("not_working", "lonely", "I am lonely"),
    ("not_working", "carers", "My carers are rushed"),
    ("not_working", "new staff", "Staff keep changing"),
    ("not_working", "brackenridge", "I am scared my centre will close"),
    ("not_working", "went up", "Everything costs more"),
    ("not_working", "gp", "I can't get through to my doctor"),
    ("working", "know", "My staff know me well"),
    ("working", "bus", "I can get out and about now"),
    ("working", "kettle", "My morning carer is a joy"),
    ("working", "charity shop", "I like helping out"),
    ("working", "centre", "I enjoy my clubs and groups"),
    ("future", "job", "I want a job"),
    ("future", "stay", "I want a home that suits me"),
    ("future", "night", "I want to go out in the evenings"),
    ("future", "minibus", "I want trips out"),
    ("future", "married", "I want to get married"),
    ("future", "girlfriend", "I want a girlfriend or boyfriend"),
]

DELEGATES_2025 = [
    ("Dylan", "person"), ("Precious", "person"), ("Rhiannon", "person"),
    ("Margaret", "family"), ("Tomasz", "family"),
    ("Sunita", "provider"), ("Gareth", "provider"),
    ("Helen", "commissioner"), ("Olu", "commissioner"),
]
DELEGATES_2026 = [("Dylan", "person"), ("Bernie", "family"), ("Sunita", "provider"), ("Helen", "commissioner")]

#: The 5 whys on the night-time transport theme: (reason, [(why that happens, [deeper reasons])]).
WHYS = [
    ("The last bus from Kelsey Vale and Harford leaves before 9 in the evening", [
        ("The council cut the evening bus subsidy in 2023 to save money", [
            "Nobody who uses evening buses was asked before the cut"]),
        ("Too few people catch the late buses to pay for them", []),
    ]),
    ("Support staff finish at 8 so nobody can go out with people later", [
        ("Support hours are booked as daytime hours in most care plans", [
            "Care plans are written around the provider's rota, not the person's week"]),
    ]),
    ("Taxis are too dear and most will not take a wheelchair", []),
]

SUCCESS = [
    (SuccessStatement.Perspective.PEOPLE, "I can go to the disco or the bingo and get home safely, "
                                          "on a night I choose."),
    (SuccessStatement.Perspective.STAFF, "Rotas have evening hours so staff can go out with people "
                                         "and stay until they are home."),
    (SuccessStatement.Perspective.COMMISSIONERS, "Every area has a way home after 10pm that people can afford "
                                                 "and that takes wheelchairs."),
]


#: Engine names that read badly ("The minibus matters for my future"): offered only when nothing else fits.
CLUMSY = re.compile(r"^(the |i (enjoy|struggle with) the |i want more )|matters for my future|works for me$|"
                    r"is not working for me$", re.IGNORECASE)


def _fac(user) -> ops.Actor:
    """The facilitator, as the ops module sees them."""
    return ops.Actor(label=user.username if user else "facilitator", is_facilitator=True)


def _do(w: Workshop, actor: ops.Actor, op: str, **data) -> None:
    """One change through :func:`ops.run`, just like a click in the app."""
    ops.run(w.pk, actor, op, data)


def _engine_groups(w: Workshop, kind: str) -> dict:
    """The engine's clustering of one kind's cards: ``{card id: cluster number}``."""
    cards = list(w.cards.filter(kind=kind).select_related("statement"))
    labels = suggest.cluster_texts([c.statement.shown_text for c in cards])
    return {c.pk: label for c, label in zip(cards, labels)}


def _call_cards(w: Workshop, actor: ops.Actor, share: float = 1.0) -> None:
    """Call the cards in order (the first ``share`` of each kind), each joining the cluster the engine put it in."""
    for kind in ("working", "not_working", "future"):
        groups = _engine_groups(w, kind)
        made: dict[int, int] = {}
        cards = list(w.cards.filter(kind=kind))
        for card in cards[: round(len(cards) * share)]:
            label = groups[card.pk]
            _do(w, actor, "call_card", card=card.pk, cluster=made.get(label, "new"))
            if label not in made:
                made[label] = ops.main_board(w, kind).placements.get(card=card).cluster_id


def _texts(cluster: Cluster) -> list[str]:
    return [p.card.statement.shown_text for p in cluster.placements.select_related("card__statement")]


def _find(w: Workshop, kind: str, word: str, skip=()) -> Cluster | None:
    """The cluster on a main board where most cards use ``word`` (the bigger one on a tie), or None."""
    best, best_key = None, (0, 0)
    for cluster in ops.main_board(w, kind).clusters.exclude(pk__in=skip):
        texts = _texts(cluster)
        key = (sum(word in t.lower() for t in texts), len(texts))
        if key[0] and key > best_key:
            best, best_key = cluster, key
    return best


def _name_themes(w: Workshop, actor: ops.Actor, at_least: int = 1) -> None:
    """Name every cluster with ``at_least`` cards: a hand-tidied name where there is one, else the engine's."""
    named: dict[int, str] = {}
    for kind, word, name in BETTER_NAMES:
        cluster = _find(w, kind, word, skip=named)
        if cluster is not None and len(_texts(cluster)) >= at_least:
            named[cluster.pk] = name
    for kind in ("working", "not_working", "future"):
        used = {named[c.pk] for c in ops.main_board(w, kind).clusters.all() if c.pk in named}
        for cluster in ops.main_board(w, kind).clusters.all():
            texts = _texts(cluster)
            if cluster.pk in named or len(texts) < at_least:
                continue
            engine = [n for n in suggest.suggest_names(texts, kind=kind) if n not in used]
            options = [n for n in engine if not CLUMSY.search(n)] + sorted(texts, key=len) + engine
            named[cluster.pk] = options[0][:200]
            used.add(named[cluster.pk])
    for pk, name in named.items():
        _do(w, actor, "rename_cluster", cluster=pk, name=name)


def _biggest(w: Workshop, kind: str) -> list[Cluster]:
    """One kind's themes, most cards first."""
    return sorted(ops.main_board(w, kind).clusters.all(), key=lambda c: (-c.placements.count(), c.position))


def _add_whys(w: Workshop, actor: ops.Actor, theme: Cluster, tree, parent=None) -> list[int]:
    """Add a 5 whys tree under ``theme``; return the ids of the deepest reasons (the root causes)."""
    roots = []
    for item in tree:
        text, under = (item, []) if isinstance(item, str) else item
        _do(w, actor, "add_cause", cluster=theme.pk, text=text, parent=parent)
        cause = theme.root_causes.latest("id")
        roots += _add_whys(w, actor, theme, under, cause.pk) if under else [cause.pk]
    return roots


def _workshop_2025(cycle, user) -> Workshop:
    """The finished 2025 workshop: card call, named themes, votes, 5 whys, success, actions and sharing plan."""
    actor = _fac(user)
    w = ops.create_workshop(cycle, NAME_2025, Workshop.Cards.TOP1, user)
    for name, group in DELEGATES_2025:
        _do(w, actor, "add_delegate", name=name, group=group)
    _do(w, actor, "set_stage", stage=Stage.CARD_CALL)
    _call_cards(w, actor)
    _do(w, actor, "set_stage", stage=Stage.NAMING)
    _name_themes(w, actor)

    liked = _find(w, "working", "know") or _biggest(w, "working")[0]
    _do(w, actor, "set_notes", cluster=liked.pk,
        what_works="Staff who stay long enough to learn how each person likes things done. Keyworkers matched "
                   "to people by interests.",
        stories="Will learnt that loud noises upset someone he supports, so he waits and goes at their pace.")

    _do(w, actor, "set_stage", stage=Stage.ANALYSIS)
    ranked = _biggest(w, "not_working")
    night = _find(w, "not_working", "bus") or ranked[0]
    others = [c for c in ranked if c.pk != night.pk][:3]
    delegates = list(w.delegates.all())
    for i, person in enumerate(delegates):
        _do(w, actor, "vote", cluster=night.pk, dots=2, delegate=person.pk)
        _do(w, actor, "vote", cluster=others[i % len(others)].pk, dots=2, delegate=person.pk)
        _do(w, actor, "vote", cluster=others[(i + 1) % len(others)].pk, dots=1, delegate=person.pk)
    _do(w, actor, "reveal_votes", revealed=True)

    roots = _add_whys(w, actor, night, WHYS)
    for perspective, text in SUCCESS:
        _do(w, actor, "add_success", cluster=night.pk, perspective=perspective, text=text)
    _do(w, actor, "add_success", cluster=others[0].pk, perspective=SuccessStatement.Perspective.PEOPLE,
        text="There is something I like to do every weekend, with people I like.")

    _do(w, actor, "set_stage", stage=Stage.ACTIONS)
    S = Action.Stakeholder
    actions = [
        (S.COMMISSIONERS, "Fund an evening bus link between Kelsey Vale, Northbrook and Harford, three nights a week",
         [night], roots[:1], "Helen, transport commissioning lead",
         "At least 40 people use the evening link each month by December", "2025-09-30", Status.DONE),
        (S.PROVIDERS, "Offer evening support hours on every rota, so people can go out after 8 and be helped home",
         [night], roots[2:3], "Sunita, Larkhill Supported Living manager",
         "Half the people we support have had a night out with staff by the autumn review", "2025-10-31",
         Status.UNDERWAY),
        (S.COMMUNITY, "Set up a Friday 'night out buddies' scheme with the self-advocacy group",
         [night, others[0]], [], "Ashdown self-advocacy group",
         "Ten pairs of buddies going out together at least once a month", "2025-11-30", Status.UNDERWAY),
        (S.PROVIDERS, "Keep the same small team for each person and tell people before a new worker comes",
         [_find(w, "not_working", "new staff") or others[-1]], [],
         "Gareth, Ashdown Home Care manager", "Fewer than one new worker a month for each person", "2025-12-31",
         Status.NOT_STARTED),
    ]
    for stakeholder, text, themes, causes, owner, measure, due, _status in actions:
        _do(w, actor, "add_action", stakeholder=stakeholder, text=text, themes=[t.pk for t in themes],
            owner=owner, measure=measure, due=due, root_causes=causes)
    for action, spec in zip(w.actions.order_by("id"), actions):
        if spec[-1] != Status.NOT_STARTED:
            _do(w, actor, "set_action_status", action=action.pk, status=spec[-1])

    _do(w, actor, "set_stage", stage=Stage.SHARING)
    shares = [
        ("Everyone who came to a review", "What we heard, the themes and what will change", "An easy-read letter "
         "with pictures, posted and read out at the self-advocacy group", "2025-05-31", True),
        ("Provider managers", "The actions for providers and the evening rota change", "Provider forum meeting",
         "2025-04-30", False),
        ("Ashdown councillors", "The full report and the evening bus proposal", "Report to the adult social care "
         "committee", "2025-06-30", False),
    ]
    for audience, what, how, due, easy in shares:
        _do(w, actor, "add_share", audience=audience, what=what, how=how, due=due, easy_read=easy)
    _do(w, actor, "set_share_status", item=w.sharing.order_by("id").first().pk, status=Status.DONE)
    return w


#: Themes that are obviously the same in both years: (kind, word in the 2026 theme, word in the 2025 theme).
SAME_THEMES = [
    ("not_working", "lonely", "lonely"),
    ("working", "know", "know"),
    ("future", "job", "job"),
    ("future", "stay", "stay"),
    ("not_working", "hospital", "doctors"),
]


def _workshop_2026(cycle, user, before: Workshop | None) -> Workshop:
    """The 2026 workshop, half-way through the card call, with its main themes matched to 2025's."""
    from django.utils import timezone

    from goldenthread.reporting.matching import similarity
    from goldenthread.reporting.models import ThemeMatch

    actor = _fac(user)
    w = ops.create_workshop(cycle, NAME_2026, Workshop.Cards.TOP1, user)
    for name, group in DELEGATES_2026:
        _do(w, actor, "add_delegate", name=name, group=group)
    _do(w, actor, "set_stage", stage=Stage.CARD_CALL)
    _call_cards(w, actor, share=0.5)
    _name_themes(w, actor, at_least=2)
    if before is None:
        return w
    done = set()
    for kind, now_word, then_word in SAME_THEMES:
        now, then = _find(w, kind, now_word, skip=done), _find(before, kind, then_word)
        if now is None or then is None or not now.name or not then.name:
            continue
        done.add(now.pk)
        score = similarity([now.name], [then.name])[0][0]
        ThemeMatch.objects.get_or_create(previous_cluster=then, cluster=now, defaults={
            "score": round(score, 3), "status": ThemeMatch.Status.CONFIRMED, "confirmed_by": user,
            "confirmed_at": timezone.now()})
    return w


def load_demo_workshops(facilitator_user) -> list[str]:
    """Create the two demo workshops if they are not there yet; return lines for the demo log."""
    from goldenthread.reviews.models import ProgrammeCycle

    lines = []
    c2025 = ProgrammeCycle.objects.filter(slug="ashdown-2025").first()
    c2026 = ProgrammeCycle.objects.filter(slug="ashdown-2026").first()
    w2025 = c2025 and c2025.workshops.filter(name=NAME_2025).first()
    if c2025 and w2025 is None:
        w2025 = _workshop_2025(c2025, facilitator_user)
        themes = Cluster.objects.filter(board__workshop=w2025, board__is_main=True, name__gt="").count()
        lines.append(f"{NAME_2025}: {w2025.cards.count()} cards in {themes} themes, "
                     f"{w2025.actions.count()} actions and a sharing plan.")
    if c2026 and not c2026.workshops.filter(name=NAME_2026).exists():
        w2026 = _workshop_2026(c2026, facilitator_user, w2025 or None)
        called = w2026.decisions.filter(undone=False).count()
        lines.append(f"{NAME_2026}: card call under way ({called} of {w2026.cards.count()} cards called), "
                     "themes matched to 2025.")
    return lines
