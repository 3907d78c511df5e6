"""Delete export jobs, and their files, older than EXPORT_KEEP_DAYS (docs/operations.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.exports import prune


class Command(BaseCommand):
    help = "Delete export jobs and their files older than a number of days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.EXPORT_KEEP_DAYS)

    def handle(self, *args, days, **options):
        count = prune(days)
        self.stdout.write(f"{count} export job(s) older than {days} days deleted.")
