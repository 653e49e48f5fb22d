"""``goldenthread manage purge_expired [--dry-run] [--months N]``: delete reviews past the retention period.

Reviews held before today minus ``GOLDENTHREAD_RETENTION_MONTHS`` (default 84
months) are deleted with everything made from them, through the same path as
erasing one person (:func:`goldenthread.reviews.data_protection.erase_reviews`),
in one transaction, and recorded in the access log. Run it from cron, e.g. monthly.
"""
from django.core.management.base import BaseCommand

from goldenthread.reviews.data_protection import purge_expired, retention_cutoff, retention_months


class Command(BaseCommand):
    help = "Delete reviews older than the retention period (GOLDENTHREAD_RETENTION_MONTHS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")
        parser.add_argument("--months", type=int, default=None, help="Override the retention period.")

    def handle(self, *args, dry_run=False, months=None, **options):
        months = retention_months() if months is None else months
        result = purge_expired("system:purge_expired", months=months, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {result.summary()} for {len(result.person_refs)} people "
                          f"(reviews before {retention_cutoff(months):%d %B %Y}, retention {months} months).")
