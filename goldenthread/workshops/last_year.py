"""Last year's themes as a head start in this year's card call.

When a workshop's cycle has a previous cycle whose workshop named its themes (the same workshop the
year-on-year report compares with, :func:`themed_workshop`), those themes of the card's kind are offered
beside the wall from the first card: "Like last year's ‘I feel lonely’". Accepting one starts a new cluster on
this year's board with last year's name; the room can rename it as any other. Only last year's own named themes
of the same kind can be started this way (the server checks the id it is sent).
"""
from __future__ import annotations

from goldenthread.reviews.models import shown_card_text
from goldenthread.workshops.fields import OpError, read_id
from goldenthread.workshops.models import Cluster, Placement, Workshop


def themed_workshop(cycle) -> Workshop | None:
    """The latest workshop of ``cycle`` with named themes on its main boards, or ``None``."""
    return cycle.workshops.filter(boards__is_main=True, boards__clusters__name__gt="").distinct().first()


def last_year_clusters(w: Workshop, kind: str):
    """Last year's themes of ``kind`` (named clusters on the main board of the previous cycle's themed
    workshop), in their order on last year's board; none when there is no previous cycle or no such workshop."""
    previous = w.cycle.previous
    before = themed_workshop(previous) if previous is not None else None
    if before is None:
        return Cluster.objects.none()
    return Cluster.objects.in_workshop(before).themes().filter(board__kind=kind).order_by("position", "id")


def last_year_themes(w: Workshop, kind: str) -> list[tuple[int, str, list[str]]]:
    """``[(last year's cluster id, its name, its cards' shown texts), ...]`` for the card-call assistant."""
    clusters = list(last_year_clusters(w, kind))
    texts: dict[int, list[str]] = {c.pk: [] for c in clusters}
    for cluster, *wording in Placement.objects.filter(cluster__in=clusters).order_by("cluster_id", "position", "id") \
            .values_list("cluster_id", "card__statement__card_text", "card__statement__uncertain",
                         "card__statement__checked_at"):
        texts[cluster].append(shown_card_text(*wording))
    return [(c.pk, c.name, texts[c.pk]) for c in clusters if texts[c.pk]]


def last_year_theme(w: Workshop, kind: str, theme) -> Cluster:
    """Last year's theme ``theme`` (an id) of ``kind``, or an error saying it is not one."""
    found = last_year_clusters(w, kind).filter(pk=read_id(theme)).first()
    if found is None:
        raise OpError("That is not one of last year's themes for these cards. Choose a cluster, or start a new one.")
    return found
