"""Place-the-rest proposals keep the texts of the cards each card is "most like" (``ProposedPlace.like``).

Proposals made before unchecked words were masked hold those texts as they were; this puts each card text
through the same rule as every screen (:func:`goldenthread.reviews.models.shown_card_text`), so "Most like
“I miss Carys…”" becomes "Most like “I miss [name?]…”" until the card is checked. A checked card is left as
it is. Nothing to undo: going back leaves the masked words masked.
"""
from django.db import migrations


def mask(apps, schema_editor):
    from goldenthread.reviews.models.cycles import shown_card_text

    ProposedPlace = apps.get_model("workshops", "ProposedPlace")
    WorkshopCard = apps.get_model("workshops", "WorkshopCard")
    places = ProposedPlace.objects.exclude(like=[]).select_related("proposal")
    masked: dict[int, dict[str, str]] = {}  # workshop id -> {card text as stored: shown text}
    for place in places.iterator():
        workshop_id = place.proposal.workshop_id
        if workshop_id not in masked:
            rows = (WorkshopCard.objects.filter(workshop_id=workshop_id, statement__checked_at__isnull=True)
                    .exclude(statement__uncertain=[])
                    .values_list("statement__card_text", "statement__uncertain", "statement__checked_at"))
            masked[workshop_id] = {text[:300]: shown_card_text(text, uncertain, checked)[:300]
                                   for text, uncertain, checked in rows}
        shown = masked[workshop_id]
        like = [[shown.get(text, text), similarity] for text, similarity in place.like]
        if like != place.like:
            place.like = like
            place.save(update_fields=["like"])


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0004_place_rest_and_suggestions_switch"),
        ("reviews", "0002_statement_uncertain"),
    ]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
