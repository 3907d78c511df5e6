"""The daily run: open a reminder for each user of each thing due in their scope, settle
those no longer due, and send each user with an e-mail address one digest of the reminders
opened since the last one. Idempotent: a second run the same day changes and sends nothing."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courtyards.models import Community
from portal.generate import Progress
from portal.models import RoleAssignment
from portal.roles import Level
from portal.scope_cache import users_changed
from reminders.due import FINDERS, Intervals
from reminders.models import Reminder
from reminders.roles import ROLES_AT

CHANGEABLE = ("subject", "path", "due_on")


@dataclass
class Outcome:
    opened: int = 0
    changed: int = 0
    settled: int = 0
    mailed: int = 0


def remind(today=None, quiet=False):
    today = today or timezone.localdate()
    progress = Progress(len(FINDERS) + 2, quiet=quiet)
    with translation.override(settings.LANGUAGE_CODE):
        with transaction.atomic():
            wanted = _wanted(today, progress)
            outcome = _apply(wanted, progress)
        progress.step("e-mail digests")
        outcome.mailed = send_digests()
        progress.finish_step()
    progress.close()
    return outcome


def _recipients():
    """{(level, unit id): [user ids]} of the active users holding a role reminded there."""
    found = defaultdict(list)
    assignments = RoleAssignment.objects.filter(user__is_active=True).values_list(
        "role", "user_id", "community_id", "street_id", "district_id"
    )
    for role, user_id, community_id, street_id, district_id in assignments:
        for level, roles in ROLES_AT.items():
            if role in roles:
                unit = {"community": community_id, "street": street_id}.get(level, district_id)
                found[(level, unit)].append(user_id)
    return found


def _wanted(today, progress):
    """{(user id, kind, record id): Due} of every reminder that should be open today."""
    recipients = _recipients()
    units = {
        pk: {Level.COMMUNITY: pk, Level.STREET: street, Level.DISTRICT: district}
        for pk, street, district in Community.objects.values_list(
            "pk", "street_id", "street__district_id"
        )
    }
    intervals, wanted = Intervals(), {}
    for finder in FINDERS:
        progress.step(finder.__name__)
        for due in finder(today, intervals):
            for level in due.levels:
                unit = units[due.community_id][level] if due.community_id else due.street_id
                for user_id in recipients.get((level, unit), ()):
                    wanted[(user_id, due.kind, due.object_id)] = due
        progress.finish_step()
    return wanted


def _apply(wanted, progress):
    progress.step("reminders")
    outcome = Outcome()
    now = timezone.now()
    open_ = {
        (r.user_id, r.kind, r.object_id): r
        for r in Reminder.objects.filter(settled_at__isnull=True)
    }
    new = [
        Reminder(
            user_id=user_id,
            kind=kind,
            object_id=object_id,
            opened_at=now,
            **{name: getattr(due, name) for name in CHANGEABLE},
        )
        for (user_id, kind, object_id), due in wanted.items()
        if (user_id, kind, object_id) not in open_
    ]
    Reminder.objects.bulk_create(new, batch_size=1000)
    changed = []
    for key, reminder in open_.items():
        due = wanted.get(key)
        if due is None:
            continue
        if any(getattr(reminder, name) != getattr(due, name) for name in CHANGEABLE):
            for name in CHANGEABLE:
                setattr(reminder, name, getattr(due, name))
            changed.append(reminder)
    Reminder.objects.bulk_update(changed, CHANGEABLE, batch_size=1000)
    gone = [reminder.pk for key, reminder in open_.items() if key not in wanted]
    Reminder.objects.filter(pk__in=gone).update(settled_at=now)
    users_changed(
        {r.user_id for r in new}
        | {r.user_id for r in changed}
        | {key[0] for key, r in open_.items() if key not in wanted}
    )
    outcome.opened, outcome.changed, outcome.settled = len(new), len(changed), len(gone)
    progress.add(len(new) + len(changed) + len(gone))
    progress.finish_step()
    return outcome


def send_digests():
    """One e-mail to each user with an address who has open reminders not yet sent: it lists
    those, and counts the user's other open ones; they are then marked sent. Nothing new,
    nothing sent. Returns the number of e-mails sent."""
    unsent = (
        Reminder.objects.filter(settled_at__isnull=True, mailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "due_on", "pk")
    )
    by_user = defaultdict(list)
    for reminder in unsent:
        by_user[reminder.user].append(reminder)
    if not by_user:
        return 0
    still_open = dict(
        Reminder.objects.filter(settled_at__isnull=True, user__in=list(by_user))
        .values_list("user")
        .annotate(count=Count("pk"))
    )
    messages = [
        EmailMessage(
            _("Courtyard portal: %(count)s new reminder(s)") % {"count": len(reminders)},
            render_to_string(
                "reminders/digest.txt",
                {
                    "user": user,
                    "reminders": reminders,
                    "others": still_open.get(user.pk, 0) - len(reminders),
                    "site": settings.PORTAL_URL.rstrip("/"),
                },
            ),
            to=[user.email],
        )
        for user, reminders in by_user.items()
    ]
    sent = get_connection().send_messages(messages)
    Reminder.objects.filter(pk__in=[r.pk for rs in by_user.values() for r in rs]).update(
        mailed_at=timezone.now()
    )
    return sent
