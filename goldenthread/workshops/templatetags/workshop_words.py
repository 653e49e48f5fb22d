"""How the workshop pages name things in words.

A cluster is called by its name; until it has one, by the first words of its first card
(people remember "the one about the bus", not "cluster 7"). Positions change when clusters are
reordered, so a number would point at a different cluster after every move.
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
        return "An empty cluster"
    words = Truncator(first.card.statement.card_text).words(FIRST_WORDS, truncate="…")
    return f"Not named yet: “{words}”"


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


@register.filter
def cluster_ref(cluster) -> str:
    """A cluster in the middle of a sentence: “its name”, or the cards that start “…”."""
    if cluster.name:
        return f"“{cluster.name}”"
    first = next(iter(cluster.placements.all()), None)
    if first is None:
        return "an empty cluster"
    return f"the cards that start “{Truncator(first.card.statement.card_text).words(FIRST_WORDS, truncate='…')}”"
