"""The measures a computed indicator reads from the portal's own records.

Each measure has a key (stored on the indicator), a label, a unit, its definition (shown
beside the indicator, on the print view and in the workbook: docs/assessments.md repeats
them), the levels it can assess and a function computing, for all the subjects at once,
{subject id: (value, counted)}: `value` a Decimal in the measure's unit (None when there is
nothing to count), `counted` what the value was computed from (decisions, rectifications,
organisations...). One or two grouped queries per measure, whatever the number of subjects.

Every measure reads the year as at its report date: 31 December, or today while the year
runs (`report_date`).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concerns.models import Concern
from councils.models import Meeting, Motion, Organisation, TrainingAttendance
from councils.selectors.meetings import PUBLISHED_WITHIN_DAYS
from funds.models import Expenditure, net_amount
from funds.selectors import live_allocations
from inspections.models import ProgressNote, Rectification

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
STREETS, COMMUNITIES, ORGANISATIONS = "streets", "communities", "organisations"
ALL_LEVELS = (STREETS, COMMUNITIES, ORGANISATIONS)
UNITS = (STREETS, COMMUNITIES)


def report_date(year, today=None):
    """31 December of the year, or today while the year runs."""
    return min(datetime.date(year, 12, 31), today or timezone.localdate())


def _start(year):
    return datetime.date(year, 1, 1)


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def share(part, whole):
    """Per cent, two decimals; None when there is nothing to count."""
    return cents(Decimal(part) * HUNDRED / Decimal(whole)) if whole else None


def per(part, whole):
    return cents(Decimal(part) / Decimal(whole)) if whole else None


# From an organisation, a meeting, a community record to the subject of each level.
ORGANISATION_LINK = {STREETS: "community__street", COMMUNITIES: "community", ORGANISATIONS: "pk"}
COMMUNITY_LINK = {STREETS: "community__street", COMMUNITIES: "community"}


def _grouped(queryset, link, ids, **annotations):
    """{subject id: {annotation: value}}: one grouped query."""
    rows = queryset.filter(**{f"{link}__in": ids}).order_by().values(link).annotate(**annotations)
    return {row.pop(link): row for row in rows}


def organisations_counted(level, ids, year, today=None):
    """{subject id: courtyard organisations established by the report date and not
    dissolved by then} (an organisation counts 1 for itself). The ranking's minimum and the
    "per organisation" measures count these."""
    if level == ORGANISATIONS:
        return dict.fromkeys(ids, 1)
    on = report_date(year, today)
    counted = _grouped(
        Organisation.objects.established_on(on), ORGANISATION_LINK[level], ids, n=Count("pk")
    )
    return {pk: counted.get(pk, {}).get("n", 0) for pk in ids}


def meetings_per_organisation(level, ids, year, today=None):
    on = report_date(year, today)
    link = "organisation__" + ORGANISATION_LINK[level] if level != ORGANISATIONS else "organisation"
    held = Meeting.objects.filter(held_on__gte=_start(year), held_on__lte=on)
    meetings = _grouped(held, link, ids, n=Count("pk"))
    organisations = organisations_counted(level, ids, year, today)
    return {
        pk: (per(meetings.get(pk, {}).get("n", 0), organisations[pk]), organisations[pk])
        for pk in ids
    }


def decisions_published_on_time(level, ids, year, today=None):
    on = report_date(year, today)
    prefix = "meeting__organisation"
    link = f"{prefix}__{ORGANISATION_LINK[level]}" if level != ORGANISATIONS else prefix
    decided = Motion.objects.filter(
        meeting__held_on__gte=_start(year),
        meeting__held_on__lte=on - datetime.timedelta(days=PUBLISHED_WITHIN_DAYS),
    ).exclude(outcome=Motion.Outcome.DEFERRED)
    on_time = Q(meeting__published_after_days__lte=PUBLISHED_WITHIN_DAYS)
    rows = _grouped(decided, link, ids, n=Count("pk"), on_time=Count("pk", filter=on_time))
    result = {}
    for pk in ids:
        row = rows.get(pk, {"n": 0, "on_time": 0})
        result[pk] = (share(row["on_time"], row["n"]), row["n"])
    return result


def rectifications_on_time(level, ids, year, today=None):
    on = report_date(year, today)
    due = Rectification.objects.filter(deadline__gte=_start(year), deadline__lte=on)
    reported_in_time = ProgressNote.objects.filter(
        rectification=OuterRef("pk"),
        kind=ProgressNote.Kind.DONE,
        noted_on__lte=OuterRef("deadline"),
    )
    finished = [Rectification.Status.DONE, Rectification.Status.VERIFIED]
    due = due.annotate(in_time=Exists(reported_in_time))
    rows = _grouped(
        due,
        COMMUNITY_LINK[level],
        ids,
        n=Count("pk"),
        on_time=Count("pk", filter=Q(in_time=True, status__in=finished)),
    )
    result = {}
    for pk in ids:
        row = rows.get(pk, {"n": 0, "on_time": 0})
        result[pk] = (share(row["on_time"], row["n"]), row["n"])
    return result


def fund_execution(level, ids, year, today=None):
    link = COMMUNITY_LINK[level]
    allocated = _grouped(live_allocations(year), link, ids, total=Sum("amount"), n=Count("pk"))
    spent = _grouped(Expenditure.objects.filter(year=year), link, ids, total=net_amount())
    result = {}
    for pk in ids:
        given = allocated.get(pk, {"total": None, "n": 0})
        used = spent.get(pk, {}).get("total") or 0
        result[pk] = (share(used, given["total"]) if given["total"] else None, given["n"])
    return result


def concerns_answered_on_time(level, ids, year, today=None):
    on = report_date(year, today)
    end = timezone.make_aware(datetime.datetime.combine(on, datetime.time.max))
    start = timezone.make_aware(datetime.datetime.combine(_start(year), datetime.time.min))
    received = Concern.objects.filter(received_at__gte=start, received_at__lte=end)
    answered = Q(answered_on__lte=on)
    not_answered = Q(answered_on__isnull=True) | Q(answered_on__gt=on)
    on_time = answered & Q(answered_on__lte=F("answer_due"))
    late = (answered & Q(answered_on__gt=F("answer_due"))) | (not_answered & Q(answer_due__lt=on))
    rows = _grouped(
        received,
        COMMUNITY_LINK[level],
        ids,
        on_time=Count("pk", filter=on_time),
        late=Count("pk", filter=late),
    )
    result = {}
    for pk in ids:
        row = rows.get(pk, {"on_time": 0, "late": 0})
        counted = row["on_time"] + row["late"]
        result[pk] = (share(row["on_time"], counted), counted)
    return result


def training_per_organisation(level, ids, year, today=None):
    on = report_date(year, today)
    link = "person__courtyard__" + COMMUNITY_LINK[level]
    present = TrainingAttendance.objects.filter(
        training__held_on__gte=_start(year), training__held_on__lte=on
    )
    attended = _grouped(present, link, ids, n=Count("pk"))
    organisations = organisations_counted(level, ids, year, today)
    return {
        pk: (per(attended.get(pk, {}).get("n", 0), organisations[pk]), organisations[pk])
        for pk in ids
    }


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    counted: str  # what `counted` counts
    definition: str
    levels: tuple
    function: object

    def compute(self, level, ids, year, today=None):
        return self.function(level, list(ids), year, today)


PER_CENT = "%"
ORGANISATIONS_COUNTED = pgettext_lazy("counted", "organisations")

MEASURES = [
    Measure(
        "meetings",
        _("Meetings held per organisation"),
        pgettext_lazy("unit", "meetings per organisation"),
        ORGANISATIONS_COUNTED,
        _(
            "Meetings recorded with a date in the year up to the report date (any kind: "
            "residents' meeting, council, group, joint meeting, consultation), divided by the "
            "courtyard organisations established by the report date and not dissolved by then; "
            "for an organisation, its own meetings. Two decimals."
        ),
        ALL_LEVELS,
        meetings_per_organisation,
    ),
    Measure(
        "decisions_on_time",
        _("Decisions published on time"),
        PER_CENT,
        pgettext_lazy("counted", "decisions"),
        _(
            "Decisions (motions put to the vote, or a consultation's consensus and opinions) "
            "of meetings held in the year at least 7 days before the report date: the share "
            "whose minutes were published to residents within 7 days of the meeting (as the "
            "councils' timeliness report counts them)."
        ),
        ALL_LEVELS,
        decisions_published_on_time,
    ),
    Measure(
        "rectifications_on_time",
        _("Rectifications done by their deadline"),
        PER_CENT,
        pgettext_lazy("counted", "rectifications"),
        _(
            "Rectifications of the unit whose deadline falls in the year, on or before the "
            "report date: the share reported done on or before the deadline (a 'reported "
            "done' note dated no later than it) and now reported done or verified."
        ),
        UNITS,
        rectifications_on_time,
    ),
    Measure(
        "fund_execution",
        _("Special fund execution rate"),
        PER_CENT,
        pgettext_lazy("counted", "allocations"),
        _(
            "The year's expenditures of the special fund (reversals deducted) divided by the "
            "year's allocations not withdrawn, courtyards' and the community's own fund "
            "together; none when nothing was allocated."
        ),
        UNITS,
        fund_execution,
    ),
    Measure(
        "concerns_on_time",
        _("Concerns answered on time"),
        PER_CENT,
        pgettext_lazy("counted", "concerns"),
        _(
            "Concerns received in the year up to the report date: answered on or before the "
            "answer deadline, divided by those answered plus those not answered whose deadline "
            "passed before the report date (as the concerns figures count them)."
        ),
        UNITS,
        concerns_answered_on_time,
    ),
    Measure(
        "training",
        _("Training attendance per organisation"),
        pgettext_lazy("unit", "person-times per organisation"),
        ORGANISATIONS_COUNTED,
        _(
            "Attendances (person-times, by name) at training sessions held in the year up to "
            "the report date of people living in the unit's courtyards, divided by the "
            "courtyard organisations established by the report date and not dissolved by then."
        ),
        UNITS,
        training_per_organisation,
    ),
]
BY_KEY = {measure.key: measure for measure in MEASURES}


def measures_for(level):
    return [measure for measure in MEASURES if level in measure.levels]
