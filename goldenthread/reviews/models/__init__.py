"""The reviews app's models: programme cycles, reviews and their statements (:mod:`.cycles`), and the
person-centred review's own items, actions and one-page profiles (:mod:`.person_reviews`), corrections
(:mod:`.corrections`) and the erasure ledger (:mod:`.erasures`).

Tables keep their original names (``store_review`` ...), from when one ``store``
app held every model; see ``docs/architecture.md``.
"""
from goldenthread.reviews.models.cycles import (
    Attendee,
    ImportBatch,
    ProgrammeCycle,
    Review,
    Statement,
    UNCHECKED_PLACEHOLDER,
    shown_card_text,
)
from goldenthread.reviews.models.corrections import ReviewCorrection
from goldenthread.reviews.models.erasures import ErasureRecord
from goldenthread.reviews.models.person_reviews import (
    SECTION_KIND,
    IndividualAction,
    OnePageProfile,
    ProfileVersion,
    ReviewItem,
    Section,
)

__all__ = [
    "SECTION_KIND", "Attendee", "ErasureRecord", "ImportBatch", "IndividualAction", "OnePageProfile",
    "ProfileVersion", "ProgrammeCycle", "Review", "ReviewCorrection", "ReviewItem", "Section", "Statement",
    "UNCHECKED_PLACEHOLDER", "shown_card_text",
]
