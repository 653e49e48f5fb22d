"""How the workshop pages name things in words.

A cluster is called by its name; until it has one, by its stable label and the first words of its first card
("Cluster C, not named yet: “the bus…”": people remember "the one about the bus"). The label is given when
the cluster is made and never changes; positions change when clusters are reordered, so a position number
is only used for the card call's keys (1 to 9), shown next to each cluster wherever the keys apply.
"""
from __future__ import annotations

from django import template
from django.utils.text import Truncator

register = template.Library()

#: How many words of the first card name an unnamed cluster.
FIRST_WORDS = 7


def cluster_title(cluster) -> str:
    """The words a person sees for a cluster: its name, else “the first words of its first card…”."""
    if cluster.name:
        return cluster.name
    first = next(iter(cluster.placements.all()), None)
    if first is None:
        return f"{cluster.tag}, empty"
    words = Truncator(first.card.statement.shown_text).words(FIRST_WORDS, truncate="…")
    return f"{cluster.tag}, not named yet: “{words}”"


register.filter("cluster_title", cluster_title)


@register.filter
def alike(score) -> str:
    """A similarity percentage in words, for the card call's suggestions."""
    score = int(score)
    if score >= 60:
        return "very like the cards already there"
    if score >= 35:
        return "quite like the cards already there"
    return "a little like the cards already there"


def _cluster_words(cluster, quotes: str, unnamed: str) -> str:
    """A cluster by its name, else by its first card's first words, in ``quotes`` (open and close)."""
    if cluster.name:
        return f"{quotes[0]}{cluster.name}{quotes[1]}"
    first = next(iter(cluster.placements.all()), None)
    if first is None:
        return "an empty cluster"
    words = Truncator(first.card.statement.shown_text).words(FIRST_WORDS, truncate="…")
    return f"{unnamed} {quotes[0]}{words}{quotes[1]}"


@register.filter
def cluster_ref(cluster) -> str:
    """A cluster in the middle of a sentence: “its name”, or the cards that start “…”."""
    return _cluster_words(cluster, "“”", "the cards that start")


def cluster_quote(cluster) -> str:
    """A cluster in a reason: ‘its name’, or the cluster that starts ‘the first words…’."""
    return _cluster_words(cluster, "‘’", "the cluster that starts")


def likely_words(score: float) -> str:
    """A probability (0..1) in words only: "likely". What delegates' phones say (no engine numbers)."""
    percent = round(float(score) * 100)
    if percent >= 80:
        return "very likely"
    if percent >= 60:
        return "likely"
    if percent >= 40:
        return "fairly likely"
    return "not very likely"


def likelihood(score: float) -> str:
    """A probability (0..1) in words, with its percentage: "likely (72%)". For the facilitator only."""
    return f"{likely_words(score)} ({round(float(score) * 100)}%)"


register.filter("likelihood", likelihood)


#: The card call's number keys: the first nine clusters on the wall, in the wall's order.
KEYS = 9


def suggestion_words(suggestion, clusters, numbers: bool = True) -> dict:
    """The learnt ranking for one card, in words, for the card-call page and the websocket.

    ``clusters`` is the wall in its order, so each row's ``key`` is the cluster's number on the wall (its key,
    1 to 9, in the card call and its number on the projector; ``None`` past 9). ``rows``: each suggested
    cluster with its reason ("Like 4 cards in ‘I feel lonely’"), how likely the room is to put the card
    there, and the card there it is most like; ``new``: the reason for starting a new cluster when that is
    the headline (else empty); ``last_year``: last year's themes the card is like that are not on the wall yet
    (each with its reason, "Like last year's theme ‘I feel lonely’"), and ``last_year_first`` the reason when
    starting the first of them again is the headline (else empty). With ``numbers`` false (delegates' phones) how likely is in words only and
    nothing carries the engine's percentages: the room decides, not the machine.
    """
    by_id = {c.pk: c for c in clusters}
    keys = {c.pk: i for i, c in enumerate(clusters, start=1) if i <= KEYS}
    say = likelihood if numbers else likely_words
    rows = []
    for fit in suggestion.ranked:
        cluster = by_id.get(fit.cluster)
        if cluster is None:
            continue
        cards = f"{fit.size} card{'' if fit.size == 1 else 's'}"
        row = {"cluster": cluster, "key": keys.get(cluster.pk), "likely": say(fit.score),
               "reason": f"Like {cards} in {cluster_quote(cluster)}", "like": fit.like[0] if fit.like else ""}
        if numbers:
            row["percent"] = round(fit.score * 100)
        rows.append(row)
    again = []
    for fit in getattr(suggestion, "last_year", ()):
        row = {"theme": fit.theme, "name": fit.name, "likely": say(fit.score),
               "reason": f"Like last year's theme ‘{fit.name}’", "like": fit.like[0] if fit.like else ""}
        if numbers:
            row["percent"] = round(fit.score * 100)
        again.append(row)
    first = ""
    if getattr(suggestion, "last_year_first", False) and again:
        first = (f"Start last year's theme ‘{again[0]['name']}’ again: {again[0]['likely']}. This card is like "
                 "last year's cards in that theme, and the room has no cluster for it yet.")
    new = ""
    if suggestion.new_cluster:
        if not rows:
            new = "Start a new cluster: there is no cluster on the wall this card is like yet."
        else:
            new = (f"Start a new cluster: {say(suggestion.new_score)}. This card is not close enough to "
                   f"any cluster on the wall; the nearest is {cluster_quote(rows[0]['cluster'])}"
                   + (f" ({rows[0]['percent']}%)." if numbers else "."))
    learnt = ""
    if suggestion.learnt:
        n = suggestion.decisions
        learnt = (f"Learnt from the room's {n} decision{'' if n == 1 else 's'} so far." if n
                  else "No decisions yet: the first suggestions go by the words alone.")
    return {"rows": rows, "new": new, "learnt": learnt, "last_year": again, "last_year_first": first}
