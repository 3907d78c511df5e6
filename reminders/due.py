"""What is due or overdue on a day, kind by kind, across everything the portal holds: each
finder is a few queries whatever the number of records, and says for each thing which
levels' users are reminded of it (the community's committee members, the street's staff,
the district's staff), the units being the thing's own community, street and district."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from concerns.models import Concern
from councils.models import Inquiry, Meeting, Term
from councils.selectors.meetings import idle_councils, months_before
from courtyards.models import Courtyard, District
from inspections.models import Rectification
from notices.models import Recipient
from portal.roles import Level
from reminders.models import Reminder, ReminderIntervals

COMMUNITY_AND_STREET = (Level.COMMUNITY, Level.STREET)


@dataclass(frozen=True)
class Due:
    kind: str
    object_id: int
    subject: str
    path: str
    due_on: datetime.date
    community_id: int | None
    levels: tuple = COMMUNITY_AND_STREET
    street_id: int | None = None  # for a thing of a street's own, with no community


class Intervals:
    """Each district's reminder intervals (ReminderIntervals), the defaults where it has set
    none; iterated as (district id, intervals)."""

    def __init__(self):
        kept = {row.district_id: row for row in ReminderIntervals.objects.all()}
        self.by_district = {
            pk: kept.get(pk) or ReminderIntervals(district_id=pk)
            for pk in District.objects.values_list("pk", flat=True)
        }

    def __iter__(self):
        return iter(self.by_district.items())


def _days(count):
    return datetime.timedelta(days=count)


def terms_ending(today, intervals):
    """Terms ending within the district's `term_ending_days` with no next term elected yet,
    in organisations still working."""
    later = Term.objects.filter(body=OuterRef("body"), number__gt=OuterRef("number"))
    for district_id, interval in intervals:
        terms = (
            Term.objects.filter(
                body__organisation__community__street__district=district_id,
                ends_on__gte=today,
                ends_on__lte=today + _days(interval.term_ending_days),
                body__organisation__dissolved_on__isnull=True,
            )
            .exclude(Exists(later))
            .select_related("body__organisation")
        )
        yield from _terms_due(terms)


def _terms_due(terms):
    for term in terms:
        organisation = term.body.organisation
        yield Due(
            Reminder.Kind.TERM_ENDING,
            term.pk,
            f"{organisation.name} · {term.body.get_kind_display()} · {term}",
            organisation.get_absolute_url(),
            term.ends_on,
            organisation.community_id,
        )


def councils_idle(today, intervals):
    """Courtyards whose council has not met for the district's `council_idle_months` (the
    meeting reports' list); due since the day the months ran out, or today for a council
    that never met."""
    for district_id, interval in intervals:
        months = interval.council_idle_months
        courtyards = Courtyard.objects.filter(community__street__district=district_id)
        for courtyard in idle_councils(courtyards, months, today):
            last = courtyard.last_council
            since = today if last is None else months_before(last, -months)
            yield _council_idle(courtyard, min(since, today))


def _council_idle(courtyard, since):
    return Due(
        Reminder.Kind.COUNCIL_IDLE,
        courtyard.pk,
        f"{courtyard.community.name} · {courtyard.name}",
        courtyard.get_absolute_url(),
        since,
        courtyard.community_id,
    )


def notice_periods_ending(today, intervals):
    """Published minutes whose public notice ends within the district's
    `notice_period_days`: the objections received are to be answered before it ends."""
    for district_id, interval in intervals:
        meetings = Meeting.objects.filter(
            organisation__community__street__district=district_id,
            published_at__isnull=False,
            notice_ends_on__gte=today,
            notice_ends_on__lte=today + _days(interval.notice_period_days),
        ).select_related("organisation")
        yield from _notice_periods_due(meetings)


def _notice_periods_due(meetings):
    for meeting in meetings:
        held = f"{meeting.held_on:%Y-%m-%d} {meeting.get_kind_display()}"
        yield Due(
            Reminder.Kind.NOTICE_ENDING,
            meeting.pk,
            f"{meeting.organisation.name} · {held}",
            meeting.get_absolute_url(),
            meeting.notice_ends_on,
            meeting.organisation.community_id,
            (Level.COMMUNITY,),
        )


def rectifications_due(today, intervals):
    """Rectifications not yet verified whose deadline is within the district's
    `rectification_days` or past."""
    for district_id, interval in intervals:
        rectifications = Rectification.objects.unfinished().filter(
            community__street__district=district_id,
            deadline__lte=today + _days(interval.rectification_days),
        )
        yield from _rectifications_due(rectifications)


def _rectifications_due(rectifications):
    for rectification in rectifications:
        yield Due(
            Reminder.Kind.RECTIFICATION_DUE,
            rectification.pk,
            str(rectification),
            rectification.get_absolute_url(),
            rectification.deadline,
            rectification.community_id,
        )


def inquiries_unanswered(today, intervals):
    """Inquiries of the representatives not yet answered, from the day they were raised."""
    for inquiry in Inquiry.objects.filter(answered_on__isnull=True).select_related("organisation"):
        yield Due(
            Reminder.Kind.INQUIRY_UNANSWERED,
            inquiry.pk,
            f"{inquiry.organisation.name} · {inquiry.raised_on:%Y-%m-%d}",
            inquiry.organisation.get_absolute_url(),
            inquiry.raised_on,
            inquiry.organisation.community_id,
        )


def concerns_due(today, intervals):
    """Open concerns not yet answered whose answer is due today or overdue: the users who act
    on them at their level (concerns/rules.py) are reminded."""
    concerns = Concern.objects.filter(
        answered_at__isnull=True, resolved_at__isnull=True, answer_due__lte=today
    )
    for concern in concerns:
        yield Due(
            Reminder.Kind.CONCERN_DUE,
            concern.pk,
            f"{concern.number} · {concern.get_category_display()}",
            concern.get_absolute_url(),
            concern.answer_due,
            concern.community_id,
            (Level(concern.level),),
        )


def notices_to_acknowledge(today, intervals):
    """Issued notices a unit has not acknowledged yet, due the day asked (or the day issued):
    the unit's own users are reminded."""
    recipients = Recipient.objects.filter(
        notice__issued_at__isnull=False, acknowledged_at__isnull=True
    ).select_related("notice")
    for recipient in recipients:
        notice = recipient.notice
        yield Due(
            Reminder.Kind.NOTICE_TO_ACKNOWLEDGE,
            recipient.pk,
            notice.title,
            notice.get_absolute_url(),
            notice.reply_by or timezone.localdate(notice.issued_at),
            recipient.community_id,
            (Level.COMMUNITY,) if recipient.community_id else (Level.STREET,),
            recipient.street_id,
        )


def returns_due(today, intervals):
    """Returns a unit has not submitted, due within the district's `return_days` or past:
    the unit's own users are reminded until it submits."""
    for district_id, interval in intervals:
        recipients = Recipient.objects.filter(
            notice__district=district_id,
            notice__issued_at__isnull=False,
            notice__returns_by__lte=today + _days(interval.return_days),
            answer__isnull=True,
        ).select_related("notice")
        yield from _returns_due(recipients)


def _returns_due(recipients):
    for recipient in recipients:
        notice = recipient.notice
        yield Due(
            Reminder.Kind.RETURN_DUE,
            recipient.pk,
            notice.title,
            notice.get_absolute_url(),
            notice.returns_by,
            recipient.community_id,
            (Level.COMMUNITY,) if recipient.community_id else (Level.STREET,),
            recipient.street_id,
        )


FINDERS = (
    terms_ending,
    councils_idle,
    notice_periods_ending,
    rectifications_due,
    inquiries_unanswered,
    concerns_due,
    notices_to_acknowledge,
    returns_due,
)
