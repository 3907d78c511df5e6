from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.backup import back_up


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a folder, with a manifest of row counts."

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", help="Folder to write database dump, media and manifest into."
        )

    def handle(self, *args, folder, **options):
        manifest = back_up(folder)
        total = sum(manifest["rows"].values())
        self.stdout.write(
            _("Backup written to %(folder)s: %(tables)d tables, %(rows)d rows.")
            % {"folder": folder, "tables": len(manifest["rows"]), "rows": total}
        )
