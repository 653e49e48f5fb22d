"""The erasure ledger: whose data was erased, and when. Person IDs and dates only, kept apart from the data.

Each erasure (:func:`goldenthread.reviews.data_protection.erase_person`) and each retention purge adds one
row per person in the same transaction as the deletion. The ledger is *not* in backups
(``goldenthread backup`` leaves it out) and a restore keeps the live one, so ``goldenthread restore`` can
erase again, from the restored data, everyone erased after the backup was made
(:func:`goldenthread.reviews.data_protection.reapply_erasures`). It holds no name and nothing anyone said: a
pseudonymous person ID, the time, and for a purge the review date before which reviews went.
"""
from __future__ import annotations

from django.db import models
from django.utils import timezone


class ErasureRecord(models.Model):
    """One person's data erased (all of it, or for a purge only reviews held before ``reviews_before``)."""

    person_ref = models.CharField("person ID", max_length=64, db_index=True)
    erased_at = models.DateTimeField(default=timezone.now, db_index=True)
    reviews_before = models.DateField(
        null=True, blank=True, help_text="A retention purge: only reviews held before this date were deleted.")

    class Meta:
        ordering = ["erased_at", "id"]
        verbose_name = "erasure ledger record"

    def __str__(self) -> str:
        return f"Erasure of {self.person_ref} at {self.erased_at:%Y-%m-%d %H:%M}"
