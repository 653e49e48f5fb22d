"""When a person withdraws consent (``goldenthread.reviews.corrections``): reports and data files already made.

They cannot be called back, so the withdrawal page lists every report and data
file made for the review's cycle since the review was added (the export log).
"""
from __future__ import annotations

from goldenthread.reviews.corrections import PrintedOutput


def exports_since(sender, review, **kwargs) -> list[PrintedOutput]:
    from goldenthread.reporting.models import ExportRecord

    records = ExportRecord.objects.filter(cycle_id=review.cycle_id, made_at__gte=review.created_at)
    return [PrintedOutput(f"Report “{r.output}” ({r.file_format}, {'shared' if r.shared else 'team only'})"
                          + (f" for {r.workshop.name}" if r.workshop_id else ""), r.made_at, r.made_by_name)
            for r in records.select_related("workshop")]
