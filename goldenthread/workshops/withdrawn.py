"""When a person withdraws consent (``goldenthread.reviews.corrections``): their cards in workshops.

A card not yet called leaves the workshop. A card already on a board stays in
its place, so the board's history, undo and votes still add up, but its
wording is now only "Card withdrawn ..." (the statement's card text). Each
workshop touched gets a line in its change log and a new version, and every
screen connected to it is told at once (once the withdrawal is committed), so
the projector and delegates' phones redraw without the card.
"""
from __future__ import annotations

from django.db.models import Count, F

from goldenthread.reviews.corrections import PrintedOutput


def take_out_withdrawn_cards(sender, review, statement_ids, **kwargs) -> None:
    from goldenthread.workshops.models import Change, Workshop, WorkshopCard

    cards = WorkshopCard.objects.filter(statement_id__in=statement_ids)
    workshop_ids = set(cards.values_list("workshop_id", flat=True))
    if not workshop_ids:
        return
    uncalled = cards.annotate(n=Count("placements")).filter(n=0)
    removed = dict(uncalled.values_list("workshop_id").annotate(n=Count("id")))
    WorkshopCard.objects.filter(pk__in=list(uncalled.values_list("pk", flat=True))).delete()
    for workshop_id in workshop_ids:
        gone = removed.get(workshop_id, 0)
        Change.objects.create(
            workshop_id=workshop_id, op="cards_withdrawn", by="system:consent withdrawn",
            summary=f"A person withdrew consent: {gone} card{'s' if gone != 1 else ''} not yet called taken out; "
                    "cards already on a board now show only that they were withdrawn.")
    Workshop.objects.filter(pk__in=workshop_ids).update(version=F("version") + 1)
    from goldenthread.workshops.broadcast import announce_after_commit
    from goldenthread.workshops.fields import Applied

    for workshop_id, version, stage in Workshop.objects.filter(pk__in=workshop_ids).values_list("pk", "version",
                                                                                                  "stage"):
        announce_after_commit(Applied(workshop_id, "cards_withdrawn", version, stage))


def workshops_using(sender, review, **kwargs) -> list[PrintedOutput]:
    from goldenthread.workshops.models import Workshop

    workshops = Workshop.objects.filter(cards__statement__review=review).annotate(n=Count("cards")).distinct()
    return [PrintedOutput(f"Workshop “{w.name}” ({w.get_stage_display()}): {w.n} of this review's cards",
                          w.created_at, w.created_by.get_username() if w.created_by else "")
            for w in workshops.select_related("created_by")]
