"""Bring every user's reminders up to date and send the e-mail digests (docs/reminders.md):
run once a day, e.g. from cron at 7:00. Running it again the same day changes nothing."""

import datetime

from django.core.management.base import BaseCommand

from reminders.services import remind


class Command(BaseCommand):
    help = "Open and settle the reminders of every user and send the daily e-mail digests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="The day to remind as of (YYYY-MM-DD).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, today=None, quiet=False, **options):
        outcome = remind(today, quiet=quiet)
        self.stdout.write(
            f"{outcome.opened} reminder(s) opened, {outcome.changed} changed, "
            f"{outcome.settled} settled; {outcome.mailed} e-mail digest(s) sent."
        )
