import importlib
import importlib.util
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.demo import DEMO_PASSWORD, Demo
from portal.scope_cache import figures_changed

# Each app adds its part in `<app>/demo.py`, in this order (later parts use earlier ones).
DEMO_APPS = [
    "courtyards",
    "councils",
    "funds",
    "inspections",
    "concerns",
    "notices",
    "assessments",
    "commendations",
    "reminders",
]


class Command(BaseCommand):
    help = "Fill the database with a believable demo district and one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, force, seed, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _("Demo data is for development: DEBUG is off. Use --force if you are sure.")
            )
        demo = Demo(rng=random.Random(seed))
        with transaction.atomic():
            for app in DEMO_APPS:
                if importlib.util.find_spec(f"{app}.demo") is not None:
                    importlib.import_module(f"{app}.demo").build(demo)
                    self.stdout.write(_("Demo data added: %(app)s") % {"app": app})
            figures_changed()  # much of it is written in bulk, without signals
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo logins (password: %(password)s)") % {"password": DEMO_PASSWORD}
            )
        )
        for username, role, unit in demo.logins:
            self.stdout.write(f"  {username:<20} {role} {unit or ''}")
