import datetime
import importlib
import importlib.util
import random
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.generate import (
    GENERATE_APPS,
    SCALES,
    Generator,
    Progress,
    analyse,
    fast_session,
)
from portal.scope_cache import figures_changed


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated database with generated data at district or city scale "
        "(for benchmarks; see docs/bench.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="district")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Pretend today is this day."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, scale, seed, today, quiet, **options):
        # Through the registry: portal is the ground floor and imports no app.
        District = apps.get_model("courtyards", "District")
        if District.objects.exists():
            raise CommandError(_("The database already has districts: generate into an empty one."))
        steps = [
            app for app in GENERATE_APPS if importlib.util.find_spec(f"{app}.generate") is not None
        ]
        progress = Progress(len(steps), quiet=quiet)
        gen = Generator(
            scale=SCALES[scale],
            rng=random.Random(seed),
            today=today or timezone.localdate(),
            progress=progress,
        )
        started = time.perf_counter()
        fast_session()
        for app in steps:
            progress.step(app)
            with transaction.atomic():
                importlib.import_module(f"{app}.generate").run(gen)
            progress.finish_step()
        progress.step("analyse")
        analyse()
        figures_changed()  # written in bulk, without signals
        progress.close()
        self.stdout.write(
            _("Generated %(scale)s scale: %(rows)s rows in %(seconds)s s.")
            % {
                "scale": scale,
                "rows": progress.rows,
                "seconds": round(time.perf_counter() - started),
            }
        )
