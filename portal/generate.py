"""Generated data at district or city scale for benchmarks (`manage.py seed_city`).

Each app's `generate.py` has `run(gen)`, called in GENERATE_APPS order (later apps read what
earlier ones left in `gen.found`). Rows are written with big bulk inserts and no history rows:
generated data has no past to audit, and history would double the writes.
"""

import datetime
import random
import sys
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection

from portal.demo import DEMO_PASSWORD

GENERATE_APPS = ["courtyards", "councils", "funds", "inspections", "concerns"]
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    name: str
    districts: int
    streets_per_district: int
    communities_per_district: int
    courtyards_per_community: int


# The city of DOMAIN.md "Real scale"; a district is one fifteenth of it; tiny and small are
# for tests (tests/portal/test_query_counts.py compares them).
SCALES = {
    "city": Scale("city", 15, 11, 100, 20),
    "district": Scale("district", 1, 11, 100, 20),
    "tiny": Scale("tiny", 2, 2, 4, 3),
    "small": Scale("small", 3, 3, 6, 4),
}

# The accounts the benchmark logs in as (password: the demo password).
BENCH_SUPERUSER = "bench_city"
BENCH_DISTRICT_ADMIN = "bench_district"
BENCH_STREET = "bench_street"
BENCH_COMMUNITY = "bench_community"


class Progress:
    """A one-line progress bar on stderr: steps done of all, rows written, time spent."""

    def __init__(self, total_steps, stream=None, quiet=False):
        self.total, self.done, self.rows = total_steps, 0, 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.started = time.perf_counter()
        self.label = ""

    def step(self, label):
        self.label = label
        self.show()

    def add(self, rows):
        self.rows += rows
        self.show()

    def finish_step(self):
        self.done += 1
        self.show()

    def show(self):
        if self.quiet:
            return
        width = 30
        filled = int(width * self.done / max(1, self.total))
        elapsed = time.perf_counter() - self.started
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
            f"{self.label:<28} {self.rows:>10,} rows {elapsed:7.1f}s"
        )
        self.stream.flush()

    def close(self):
        if not self.quiet:
            self.stream.write("\n")


@dataclass
class Generator:
    scale: Scale
    rng: random.Random
    today: datetime.date
    progress: Progress
    found: dict = field(default_factory=dict)  # what one app's step leaves for the next

    @property
    def year(self):
        """The report year: the last full year."""
        return self.today.year - 1

    def insert(self, model, objects):
        """Bulk insert in big batches (primary keys are set on the objects)."""
        objects = list(objects)
        for start in range(0, len(objects), BATCH):
            chunk = objects[start : start + BATCH]
            model.objects.bulk_create(chunk, batch_size=BATCH)
            self.progress.add(len(chunk))
        return objects

    def user(self, username, *, superuser=False, role=None, unit=None, name=""):
        from portal.services import assign_role

        user = get_user_model()(
            username=username,
            last_name=name[:1],
            first_name=name[1:],
            is_superuser=superuser,
            is_staff=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role:
            assign_role(user=user, role=role, unit=unit)
        return user

    def accounts(self, role, units, *, username, name):
        """One account with `role` over each of `units`, in bulk: the users (one password
        hash for all), their role assignments and role groups. `username(unit)` names each.
        Returns {unit pk: user}."""
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Group

        from portal.access import BACK_OFFICE_ROLES
        from portal.models import RoleAssignment
        from portal.roles import SCOPE_LEVEL, group_name

        password, level = make_password(DEMO_PASSWORD), SCOPE_LEVEL[role].value
        users = self.insert(
            get_user_model(),
            (
                get_user_model()(
                    username=username(unit),
                    password=password,
                    last_name=name[:1],
                    first_name=name[1:],
                    is_staff=role in BACK_OFFICE_ROLES,
                )
                for unit in units
            ),
        )
        self.insert(
            RoleAssignment,
            (
                RoleAssignment(user=user, role=role, **{level: unit})
                for user, unit in zip(users, units, strict=True)
            ),
        )
        group = Group.objects.get(name=group_name(role))
        Membership = get_user_model().groups.through
        self.insert(Membership, (Membership(user_id=user.pk, group=group) for user in users))
        return {unit.pk: user for user, unit in zip(users, units, strict=True)}


def fast_session():
    """Writes need not wait for the disk: a crash just means generating again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")


def analyse():
    """Fresh planner statistics (and row estimates) after the bulk load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
