"""Reads for the meeting pages, the public page and the staff reports. Each takes the
requesting user where scope applies and runs a fixed number of queries."""

import datetime

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from councils.models import Coverage, Meeting, Motion, Revision
from courtyards.models import Community, Courtyard, Street
from portal.kept import add_up, report_date

PUBLISHED_WITHIN_DAYS = 7
PUBLIC_MEETINGS_SHOWN = 30


def _open_organisation():
    return Subquery(
        Coverage.objects.open()
        .filter(courtyard=OuterRef("pk"), organisation__dissolved_on__isnull=True)
        .values("organisation")[:1]
    )


def _last(meetings, field="held_on"):
    """The latest meeting's `field` (its day, or its pk) of the outer row's organisation."""
    return Subquery(
        meetings.filter(organisation=OuterRef("organisation_id"))
        .order_by("-held_on", "-pk")
        .values(field)[:1]
    )


def my_courtyards(user):
    """The user's open courtyards covered by an open organisation, each with its last
    meeting, its last council meeting and its drafts."""
    return (
        Courtyard.objects.visible_to(user)
        .open()
        .select_related("community")
        .annotate(organisation_id=_open_organisation())
        .filter(organisation_id__isnull=False)
        .annotate(
            last_meeting=_last(Meeting.objects.all()),
            last_meeting_id=_last(Meeting.objects.all(), "pk"),
            last_council=_last(Meeting.objects.filter(kind=Meeting.Kind.COUNCIL)),
            last_published=_last(Meeting.objects.published()),
            drafts=Coalesce(
                Subquery(
                    Meeting.objects.filter(
                        organisation=OuterRef("organisation_id"), status=Meeting.Status.DRAFT
                    )
                    .order_by()
                    .values("organisation")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("community__name", "name")
    )


def meeting_details(meeting):
    """What the meeting page shows, in a fixed number of queries."""
    attendance = list(
        meeting.attendance.select_related("membership__person").order_by(
            "-present", "membership__role", "membership__person__name"
        )
    )
    motions = list(
        meeting.motions.annotate(objection_count=Count("objections"))
        .prefetch_related("concerns")  # residents' concerns put to the council (concerns app)
        .order_by("number")
    )
    return {
        "attendance": attendance,
        "motions": motions,
        "attachments": list(meeting.attachments.order_by("pk")),
        "revisions": list(meeting.revisions.select_related("made_by").order_by("number")),
    }


def _covering(courtyard):
    """Meetings of organisations covering the courtyard on the meeting day."""
    return Exists(
        Coverage.objects.filter(
            courtyard=courtyard,
            organisation=OuterRef("organisation"),
            started_on__lte=OuterRef("held_on"),
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("held_on")))
    )


PUBLIC_FIELDS = (
    "kind",
    "held_on",
    "published_on",
    "notice_ends_on",
    "quorum",
    "quorum_percent",
    "members",
    "present",
    "organisation",
)


def public_decisions(courtyard):
    """Published meetings of the courtyard, newest first, with their decisions and the
    number of objections to each: no names, no personal data, only what residents read."""
    meetings = list(
        Meeting.objects.published()
        .filter(_covering(courtyard))
        .only(*PUBLIC_FIELDS)
        .order_by("-held_on", "-pk")[:PUBLIC_MEETINGS_SHOWN]
    )
    return _with_public_details(meetings)


def public_meeting(pk):
    """One published meeting as residents read it, or None (drafts are not public)."""
    meetings = list(
        Meeting.objects.published()
        .filter(pk=pk)
        .select_related("organisation")
        .only(*PUBLIC_FIELDS, "organisation__name")
    )
    return _with_public_details(meetings)[0] if meetings else None


def _with_public_details(meetings):
    """Attach each meeting's motions (with objection counts) and revisions: two queries."""
    if not meetings:
        return []
    by_meeting = {meeting.pk: meeting for meeting in meetings}
    for meeting in meetings:
        meeting.public_motions = []
        meeting.public_revisions = []
    motions = (
        Motion.objects.filter(meeting__in=by_meeting)
        .annotate(objection_count=Count("objections"))
        .only(
            "meeting",
            "number",
            "title",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "outcome",
            "decision",
            "carried_out_by",
            "due_on",
            "done_on",
        )
        .order_by("number")
    )
    for motion in motions:
        by_meeting[motion.meeting_id].public_motions.append(motion)
    for revision in (
        Revision.objects.filter(meeting__in=by_meeting)
        .only("meeting", "number", "made_at", "reason")
        .order_by("number")
    ):
        by_meeting[revision.meeting_id].public_revisions.append(revision)
    return meetings


# Reports for staff


def _in_period(start, end):
    return Meeting.objects.filter(held_on__gte=start, held_on__lte=end)


def _meeting_count(meetings, group_lookup):
    counted = (
        meetings.filter(**{group_lookup: OuterRef("pk")})
        .order_by()
        .values(group_lookup)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


MEETING_FIGURES = [
    "meetings",
    "council_meetings",
    "residents_meetings",
    "consultations",
    "published",
]


def _meeting_figures(meetings, group_lookup):
    return {
        "meetings": _meeting_count(meetings, group_lookup),
        "council_meetings": _meeting_count(
            meetings.filter(kind=Meeting.Kind.COUNCIL), group_lookup
        ),
        "residents_meetings": _meeting_count(
            meetings.filter(kind=Meeting.Kind.RESIDENTS_MEETING), group_lookup
        ),
        "consultations": _meeting_count(
            meetings.filter(kind=Meeting.Kind.CONSULTATION), group_lookup
        ),
        "published": _meeting_count(meetings.published(), group_lookup),
    }


def _kept_period(start, end):
    """Whether the period is the reports' default, this year up to today, whose figures are
    kept per community (`kept_meeting_figures`)."""
    today = timezone.localdate()
    return start == datetime.date(today.year, 1, 1) and end == today


def _kept_rows(user, unit, names):
    """The streets or communities the user may see with the kept meeting figures `names`
    of this year so far, and their 合计."""
    communities = Community.objects.visible_to(user)
    units = (
        communities.select_related("street")
        if unit == "community"
        else Street.objects.visible_to(user)
    )
    rows = add_up("meetings", list(units), communities, names)
    return rows, {name: sum(getattr(row, name) for row in rows) for name in names}


def kept_meeting_figures(pks, year):
    """{community pk: MEETING_FIGURES and TIMELINESS_FIGURES of the meetings held from 1
    January of `year` to its report date}: the reports' default period, the councils' set
    "meetings" of kept figures (AppConfig.kept_figures, portal/kept.py)."""
    start, on = datetime.date(year, 1, 1), report_date(year)
    communities = Community.objects.filter(pk__in=pks)
    held = communities.annotate(
        **_meeting_figures(_in_period(start, on), "organisation__community")
    ).values("pk", *MEETING_FIGURES)
    timely = communities.annotate(
        **_timeliness_figures(start, on, on, "meeting__organisation__community")
    ).values("pk", *TIMELINESS_FIGURES)
    figures = {row.pop("pk"): row for row in held}
    for row in timely:
        figures[row.pop("pk")].update(row)
    return figures


def meetings_held(user, start, end, unit):
    """Meetings held in the period, per street, community or courtyard (a meeting counts
    for each courtyard its organisation covered that day), with a 合计 row. This year so far
    by street or community is added up from the kept community rows."""
    if unit != "courtyard" and _kept_period(start, end):
        return _kept_rows(user, unit, MEETING_FIGURES)
    meetings = _in_period(start, end)
    if unit == "street":
        rows = Street.objects.visible_to(user).annotate(
            **_meeting_figures(meetings, "organisation__community__street")
        )
    elif unit == "community":
        rows = (
            Community.objects.visible_to(user)
            .select_related("street")
            .annotate(**_meeting_figures(meetings, "organisation__community"))
        )
    else:
        # one grouped join: each meeting of an organisation while it covered the courtyard
        meeting = "council_coverage__organisation__meetings"
        held = (
            Q(**{f"{meeting}__held_on__gte": start, f"{meeting}__held_on__lte": end})
            & Q(**{f"{meeting}__held_on__gte": F("council_coverage__started_on")})
            & (
                Q(council_coverage__ended_on__isnull=True)
                | Q(**{f"{meeting}__held_on__lt": F("council_coverage__ended_on")})
            )
        )
        rows = (
            Courtyard.objects.visible_to(user)
            .select_related("community")
            .annotate(
                meetings=Count(meeting, filter=held),
                council_meetings=Count(
                    meeting, filter=held & Q(**{f"{meeting}__kind": Meeting.Kind.COUNCIL})
                ),
                residents_meetings=Count(
                    meeting,
                    filter=held & Q(**{f"{meeting}__kind": Meeting.Kind.RESIDENTS_MEETING}),
                ),
                consultations=Count(
                    meeting, filter=held & Q(**{f"{meeting}__kind": Meeting.Kind.CONSULTATION})
                ),
                published=Count(
                    meeting, filter=held & Q(**{f"{meeting}__status": Meeting.Status.PUBLISHED})
                ),
            )
            .order_by("community__name", "name")
        )
    totals = rows.aggregate(**{f"sum_{name}": Coalesce(Sum(name), 0) for name in MEETING_FIGURES})
    return rows, {name: totals[f"sum_{name}"] for name in MEETING_FIGURES}


# What the meeting reports list by default, and the reminders remind of.
COUNCIL_IDLE_MONTHS = 3


def courtyards_without_council_meeting(user, months, on=None):
    """Open courtyards covered by an open organisation whose council has not met in the
    last `months` months (or never): councils that exist on paper only."""
    return idle_councils(Courtyard.objects.visible_to(user), months, on)


def idle_councils(courtyards, months, on=None):
    """Those of `courtyards` that `courtyards_without_council_meeting` lists, annotated with
    `organisation_id` and `last_council` (the day of the last council meeting, or None)."""
    on = on or timezone.localdate()
    met = Meeting.objects.filter(
        kind=Meeting.Kind.COUNCIL, held_on__gte=months_before(on, months)
    ).filter(organisation=OuterRef("organisation"))
    # chosen by joins, not by the annotations below (which the database would compute for
    # every courtyard of the city: a second for 30,000); those are read for the rows shown
    not_met = (
        Coverage.objects.open()
        .filter(courtyard=OuterRef("pk"), organisation__dissolved_on__isnull=True)
        .exclude(Exists(met))
    )
    return (
        courtyards.open()
        .filter(Exists(not_met))
        .select_related("community__street")
        .annotate(
            organisation_id=_open_organisation(),
            last_council=_last(Meeting.objects.filter(kind=Meeting.Kind.COUNCIL)),
        )
        .order_by("community__street__code", "community__name", "name")
    )


def months_before(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


TIMELINESS_FIGURES = ["decisions", "on_time"]


def publication_timeliness(user, start, end, unit, on=None):
    """Decisions (motions put to the vote, or a consultation's consensus and opinions) of
    meetings held in the period and at least seven days ago, and those published within
    seven days of the meeting, per street or community, with a 合计 row. The share is
    on_time / decisions."""
    if on is None and _kept_period(start, end):
        return _kept_rows(user, unit, TIMELINESS_FIGURES)
    on = on or timezone.localdate()
    if unit == "street":
        rows, lookup = Street.objects.visible_to(user), "meeting__organisation__community__street"
    else:
        rows = Community.objects.visible_to(user).select_related("street")
        lookup = "meeting__organisation__community"
    rows = rows.annotate(**_timeliness_figures(start, end, on, lookup))
    totals = rows.aggregate(
        **{f"sum_{name}": Coalesce(Sum(name), 0) for name in TIMELINESS_FIGURES}
    )
    return rows, {name: totals[f"sum_{name}"] for name in TIMELINESS_FIGURES}


def _timeliness_figures(start, end, on, lookup):
    decided = Motion.objects.filter(
        meeting__held_on__gte=start,
        meeting__held_on__lte=min(end, on - datetime.timedelta(days=PUBLISHED_WITHIN_DAYS)),
    ).exclude(outcome=Motion.Outcome.DEFERRED)
    on_time = decided.filter(meeting__published_after_days__lte=PUBLISHED_WITHIN_DAYS)
    return {
        "decisions": _meeting_count(decided, lookup),
        "on_time": _meeting_count(on_time, lookup),
    }


def share(part, whole):
    return round(part * 100 / whole, 1) if whole else None
