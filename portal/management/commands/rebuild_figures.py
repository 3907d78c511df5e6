from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal.generate import Progress
from portal.kept import rebuild, sets
from portal.models import KeptFigures


class Command(BaseCommand):
    help = (
        "Compute every community's kept figures afresh (nightly, or at will after writes "
        "made behind the portal's back) and report each kept row that had drifted from the "
        "records. Exits with status 1 when one had."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="A year to rebuild (repeatable; default: every year kept, this one and the last).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, year, quiet, **options):
        this_year = timezone.localdate().year
        kept_years = KeptFigures.objects.values_list("year", flat=True).distinct()
        years = sorted(set(year) if year else {this_year, this_year - 1, *kept_years})
        names = sorted(sets())
        community = apps.get_model("courtyards", "Community")
        progress = Progress(len(years) * len(names), quiet=quiet)
        drifted = []
        for one in years:
            for name in names:
                progress.step(f"{name} {one}")
                drifted += [(name, one, pk, d) for pk, d in rebuild(name, one, progress=progress)]
                progress.finish_step()
        progress.close()
        called = dict(
            community.objects.filter(pk__in=[d[2] for d in drifted]).values_list("pk", "name")
        )
        for name, one, pk, figures in drifted:
            changes = ", ".join(f"{key} {kept} → {live}" for key, (kept, live) in figures.items())
            self.stdout.write(f"drift {name} {one} {called.get(pk, pk)} (#{pk}): {changes}")
        self.stdout.write(
            f"{len(names)} sets × {len(years)} years × {community.objects.count():,} communities "
            f"rebuilt; {len(drifted)} kept rows had drifted."
        )
        if drifted:
            raise CommandError("kept figures had drifted from the records", returncode=1)
