"""A background writer: ordinary saves through the ORM at a steady rate, as a city's staff
make them while others read the dashboard and the reports (bench/writes.py runs it).

Each save picks, at random (seeded) over the whole database, one of:
- a courtyard whose households change by one, `save()`d as the admin saves it;
- a residents' or joint meeting whose minutes gain a line, through
  `councils.services.meetings.meeting_revise` (a published one with a reason: a revision;
  not the councils' and groups', whose generated rows have no attendance list to post back);
- an allocation whose note changes, through `funds.services.allocation_save`;
each as the superuser, with its history row as any save has. When time is up (or its parent
process is gone, or it is sent SIGTERM) it puts every record it changed back as it found it,
through the same paths, so the bench database keeps its figures; those restoring saves come
after the timed window and are not counted. It prints one JSON line: saves made, refused,
the achieved rate and the records restored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_district REDIS_URL=redis://... \\
        .venv/bin/python bench/writer.py --rate 10 --seconds 60

Set REDIS_URL as the servers have it: a save tells the servers' kept figures that they
are stale through the shared cache; with each process's own memory the servers never hear.
"""

import argparse
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = "（补记：会后核对纪要。）"
NOTE = "（已核对）"
REASON = "补记会后核对情况"
RESTORE_REASON = "撤回补记"


class Writer:
    """Picks and changes records; remembers what they were so that `restore` undoes it."""

    def __init__(self, rng):
        from django.contrib.auth import get_user_model

        from councils.models.meetings import Meeting
        from courtyards.models import Courtyard
        from funds.models import Allocation

        self.rng = rng
        self.by = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        self.courtyards = list(
            Courtyard.objects.filter(closed_on__isnull=True).values_list("pk", flat=True)
        )
        self.meetings = list(
            Meeting.objects.filter(
                kind__in=[Meeting.Kind.RESIDENTS_MEETING, Meeting.Kind.JOINT]
            ).values_list("pk", flat=True)
        )
        self.allocations = list(Allocation.objects.values_list("pk", flat=True))
        self.changed = {"courtyard": {}, "meeting": {}, "allocation": {}}

    def save_one(self):
        """One ordinary save; returns False when the app refused it (ValidationError)."""
        from django.core.exceptions import ValidationError

        # half courtyards, a quarter meetings, a quarter allocations (of those there are)
        kinds = [("courtyard", self.courtyards)] * 2 + [
            ("meeting", self.meetings),
            ("allocation", self.allocations),
        ]
        kind, ids = self.rng.choice([(kind, ids) for kind, ids in kinds if ids])
        try:
            getattr(self, kind)(self.rng.choice(ids))
        except ValidationError:
            return False
        return True

    def courtyard(self, pk, households=None):
        from courtyards.models import Courtyard

        courtyard = Courtyard.objects.get(pk=pk)
        original = courtyard.households
        if households is None:  # one more, or one fewer where residents are all counted
            step = 1 if courtyard.residents > courtyard.households else -1
            households = max(0, courtyard.households + step)
        courtyard.households = households
        courtyard._history_user = self.by
        courtyard.save()
        self.changed["courtyard"].setdefault(pk, original)

    def meeting(self, pk, minutes=None):
        from councils.models.meetings import Meeting
        from councils.services import meetings as services

        meeting = Meeting.objects.get(pk=pk)
        original = meeting.minutes
        if minutes is None:
            minutes = meeting.minutes + LINE
        restoring = minutes != meeting.minutes + LINE
        services.meeting_revise(
            meeting=meeting,
            minutes=minutes_of(meeting, minutes),
            seen_version=meeting.version,
            reason=(RESTORE_REASON if restoring else REASON) if meeting.is_published else "",
            by=self.by,
        )
        self.changed["meeting"].setdefault(pk, original)

    def allocation(self, pk, note=None):
        from funds.models import Allocation
        from funds.services import allocation_save

        allocation = Allocation.objects.get(pk=pk)
        original = allocation.note
        allocation.note = note if note is not None else (allocation.note + NOTE)[-200:]
        allocation_save(allocation=allocation, by=self.by)
        self.changed["allocation"].setdefault(pk, original)

    def restore(self):
        """Put every changed record back, in one transaction (one commit for thousands of
        saves; each service's own transaction is a savepoint in it); returns how many were."""
        from django.core.exceptions import ValidationError
        from django.db import transaction

        restored = 0
        with transaction.atomic():
            for kind, originals in self.changed.items():
                for pk, value in list(originals.items()):
                    try:
                        getattr(self, kind)(pk, value)
                        restored += 1
                    except ValidationError as error:
                        print(f"could not restore {kind} {pk}: {error}", file=sys.stderr)
        return restored


def minutes_of(meeting, text):
    """The meeting as recorded, as its form would post it back, with `text` as its minutes."""
    from councils.models.meetings import Motion
    from councils.services import meetings as services

    fields = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    fields["minutes"] = text
    fields["households_by_proxy"] = meeting.households_by_proxy
    return services.Minutes(
        households=meeting.members if meeting.is_residents_meeting else None,
        households_present=meeting.present - meeting.households_by_proxy,
        participants_count=meeting.present,
        fields=fields,
        attendance=[
            {"membership": a.membership, "present": a.present, "absence_reason": a.absence_reason}
            for a in meeting.attendance.select_related("membership")
        ],
        motions=[
            {
                **{name: getattr(m, name) for name in services.MOTION_FIELDS},
                "id": m.pk,
                "deferred": m.outcome == Motion.Outcome.DEFERRED,
            }
            for m in meeting.motions.order_by("number")
        ],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, required=True, help="saves per second (0: none)")
    parser.add_argument("--seconds", type=float, required=True, help="stop after this long")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL to a generated bench database")
    parent = os.getppid()
    stopping = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: stopping.append(signal.Signals(number).name))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    writer = Writer(random.Random(options.seed))
    print("ready", file=sys.stderr, flush=True)
    saves = refused = 0
    started = time.perf_counter()
    deadline = started + options.seconds
    while not stopping and time.perf_counter() < deadline:
        if os.getppid() != parent:
            stopping.append("parent gone")
            break
        if options.rate <= 0:
            time.sleep(0.2)
            continue
        # Saves on a fixed schedule: a slow save is followed by the next one at once.
        due = started + (saves + refused) / options.rate
        if due > time.perf_counter():
            time.sleep(min(due - time.perf_counter(), 0.2))
            continue
        if writer.save_one():
            saves += 1
        else:
            refused += 1
    elapsed = time.perf_counter() - started
    restoring = time.perf_counter()
    restored = writer.restore()
    result = {
        "rate": options.rate,
        "seconds": round(elapsed, 1),
        "saves": saves,
        "refused": refused,
        "per_second": round(saves / elapsed, 2) if elapsed else 0,
        "restored": restored,
        "restore_seconds": round(time.perf_counter() - restoring, 1),
        "stopped_by": stopping[0] if stopping else "time",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
