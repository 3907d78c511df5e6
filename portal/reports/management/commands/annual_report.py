import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import may_read_annual_report
from portal.excel import write_workbook
from portal.reports.figures import annual_report
from portal.reports.workbook import annual_sheets, workbook_filename, workbook_heading


class Command(BaseCommand):
    help = (
        "Write the annual report workbook of a year, as a given account sees it (its scope "
        "and what its role may read), for scheduled exports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument(
            "--user", required=True, help="The account whose scope and role the export follows."
        )
        parser.add_argument("--output", help="File to write (default: the usual file name).")

    def handle(self, *args, year, user, output, **options):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(_("No active account named “%(user)s”.") % {"user": user})
        if not may_read_annual_report(account):
            raise CommandError(_("“%(user)s” may not read the annual report.") % {"user": user})
        report = annual_report(account, year)
        target = output or workbook_filename(report)
        interactive = sys.stderr.isatty()

        def progress(sheet, rows):
            if interactive:
                sys.stderr.write(f"\r{sheet.title}: {rows:,}")
                sys.stderr.flush()

        write_workbook(
            annual_sheets(account, report),
            target,
            heading=workbook_heading(report),
            scope_label=report.scope_name,
            progress=progress,
        )
        if interactive:
            sys.stderr.write("\n")
        self.stdout.write(_("Written: %(file)s") % {"file": target})
