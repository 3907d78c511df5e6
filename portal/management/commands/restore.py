from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.backup import restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the configured, empty database and the media folder, "
        "then check every table against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder written by the backup command.")

    def handle(self, *args, folder, **options):
        try:
            missing = restore(folder)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if missing:
            for table, (expected, found) in sorted(missing.items()):
                self.stderr.write(
                    _("%(table)s: %(expected)s rows expected, %(found)s found")
                    % {"table": table, "expected": expected, "found": found}
                )
            raise CommandError(_("Restore incomplete."))
        self.stdout.write(_("Restore complete: every table holds the rows the manifest lists."))
