"""Reads of the inspections app with the figures pages, bulletins and reports show.

Every figure is computed by the database (annotate/aggregate); a table's 合计 row is an
aggregate over the same rows; the number of queries never grows with the data. Functions
taking `user` narrow through the models' `visible_to`, the one place for who sees what.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyards.models import Community, Courtyard, Street
from inspections.models import (
    INSPECTION_STAFF_ROLES,
    Assignment,
    Campaign,
    CampaignArea,
    CampaignItem,
    Inspection,
    InspectionGroup,
    Rectification,
    Verdict,
    points,
)
from portal.access import users_visible_to
from portal.models import person_name

ONE_DECIMAL = Decimal("0.1")


def one_decimal(value):
    """A score or average as people read it: one decimal, rounded half up; None stays None."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def staff_to_choose(user, district=None):
    """Accounts the user may name as a campaign's leader or a group's leader or member: the
    active inspection staff (inspectors, district staff and administrators) the user may
    manage, optionally only those of `district`. Pages and admin screens offer the same."""
    staff = users_visible_to(user).filter(
        role_assignment__role__in=INSPECTION_STAFF_ROLES, is_active=True
    )
    if district is not None:
        staff = staff.filter(role_assignment__district=district)
    return staff.select_related("role_assignment").order_by("last_name", "first_name", "username")


# --- Campaign progress -------------------------------------------------------------------


def progress_figures(prefix="", assignments=None):
    """Targets assigned and visited among the assignments reached through `prefix` (e.g.
    "assignments__"), optionally only those in the `assignments` queryset.

    assigned: targets; visited: targets with at least one visit; visits: visits in all,
    re-inspections included."""
    within = Q(**{f"{prefix}pk__in": assignments.values("pk")}) if assignments is not None else Q()
    visited = within & Q(**{f"{prefix}inspections__isnull": False})
    return {
        "assigned": Count(f"{prefix}pk", filter=within, distinct=True),
        "visited": Count(f"{prefix}pk", filter=visited, distinct=True),
        "visits": Count(f"{prefix}inspections", filter=within, distinct=True),
    }


def campaigns_with_progress(user):
    """The campaigns the user sees, each with the progress of the targets the user sees."""
    return (
        Campaign.objects.visible_to(user)
        .select_related("district", "leader", "bulletin")
        .annotate(
            groups_count=Count("groups", distinct=True),
            **progress_figures("assignments__", Assignment.objects.visible_to(user)),
        )
    )


def groups_with_progress(campaign, user):
    """The campaign's groups the user sees, with members and progress; and their 合计."""
    groups = (
        InspectionGroup.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("leader")
        .annotate(
            members_count=Count("memberships", distinct=True),
            **progress_figures("assignments__"),
        )
        .order_by("name")
    )
    totals = Assignment.objects.filter(group__in=groups.values("pk")).aggregate(
        **progress_figures()
    )
    totals["groups_count"] = groups.count()
    return groups, totals


def criteria_of(campaign):
    """The campaign's areas, each with its items (prefetched) and full marks."""
    return (
        CampaignArea.objects.filter(campaign=campaign)
        .annotate(full_marks=Sum("items__max_score"))
        .prefetch_related(
            Prefetch("items", queryset=CampaignItem.objects.order_by("position", "pk"))
        )
        .order_by("position", "pk")
    )


def criteria_full_marks(campaign):
    """Full marks of the campaign's criteria: the sum of its items' maximum scores."""
    return CampaignItem.objects.filter(area__campaign=campaign).aggregate(
        full_marks=Sum("max_score")
    )["full_marks"]


def targets_of(campaign, user):
    """The campaign's targets the user sees, with how often each was visited and the latest
    visit's primary key."""
    return (
        Assignment.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("group", "courtyard", "community__street")
        .annotate(visits_count=Count("inspections"), last_visit=Max("inspections__pk"))
        .order_by(
            "group__name",
            "community__street__code",
            "community__name",
            F("courtyard__name").asc(nulls_first=True),  # the community itself first
        )
    )


def target_candidates(campaign, user, kind):
    """What may become a target of the campaign, within the user's scope: the open
    courtyards of its district (kind "courtyard") or its communities themselves (kind
    "community"), each with the group it is already a target of, if any, and whether that
    target was visited (a visited target no longer moves)."""
    if kind == "community":
        targets = Assignment.objects.filter(
            campaign=campaign, community=OuterRef("pk"), courtyard__isnull=True
        )
        candidates = (
            Community.objects.visible_to(user)
            .filter(street__district=campaign.district_id)
            .select_related("street")
            .order_by("street__code", "name", "pk")
        )
    else:
        targets = Assignment.objects.filter(campaign=campaign, courtyard=OuterRef("pk"))
        candidates = (
            Courtyard.objects.visible_to(user)
            .open()
            .filter(community__street__district=campaign.district_id)
            .select_related("community__street")
            .order_by("community__street__code", "community__name", "name", "pk")
        )
    return candidates.annotate(
        target_group=Subquery(targets.values("group")[:1]),
        target_group_name=Subquery(targets.values("group__name")[:1]),
        target_visited=Exists(Inspection.objects.filter(assignment__in=targets.values("pk"))),
    )


def visits_of(campaign, user):
    """The campaign's visits the user sees, newest first, with their problem counts."""
    return (
        Inspection.objects.visible_to(user)
        .filter(assignment__campaign=campaign)
        .select_related(
            "assignment__group", "assignment__courtyard", "assignment__community__street"
        )
        .annotate(problems=Count("rectifications"))
        .order_by("-visited_on", "-pk")
    )


def visit_figures():
    """Aggregates over visits: count, average total and how many of each final verdict."""
    return {
        "visits_count": Count("pk"),
        "average": Avg("total"),
        "commended": Count("pk", filter=Q(final_verdict=Verdict.COMMEND)),
        "passed": Count("pk", filter=Q(final_verdict=Verdict.PASS)),
        "criticised": Count("pk", filter=Q(final_verdict=Verdict.CRITICISE)),
    }


# --- Rectifications ----------------------------------------------------------------------


def rectifications_for(user):
    """Rectifications the user sees, with `is_overdue` and what the tables show."""
    return (
        Rectification.objects.visible_to(user)
        .with_overdue()
        .select_related(
            "community__street",
            "inspection__assignment__courtyard",
            "inspection__assignment__campaign",
        )
    )


def rectification_figures(prefix="", rectifications=None):
    """Counts over the rectifications reached through `prefix` (e.g.
    "inspection_rectifications__"), optionally only those in `rectifications`.

    total; unfinished (not verified); awaiting (reported done, to verify); overdue (open or
    in progress past the deadline, as of today); verified."""
    within = (
        Q(**{f"{prefix}pk__in": rectifications.values("pk")}) if rectifications is not None else Q()
    )
    status = f"{prefix}status"
    statuses = Rectification.Status
    unfinished = [statuses.OPEN, statuses.IN_PROGRESS, statuses.DONE]
    late = Q(**{f"{status}__in": Rectification.LATE_STATUSES}) & Q(
        **{f"{prefix}deadline__lt": timezone.localdate()}
    )
    return {
        "total": Count(f"{prefix}pk", filter=within),
        "unfinished": Count(f"{prefix}pk", filter=within & Q(**{f"{status}__in": unfinished})),
        "awaiting": Count(f"{prefix}pk", filter=within & Q(**{status: statuses.DONE})),
        "overdue": Count(f"{prefix}pk", filter=within & late),
        "verified": Count(f"{prefix}pk", filter=within & Q(**{status: statuses.VERIFIED})),
    }


def rectifications_by_street(user):
    """The streets the user sees, each with its communities' rectification figures (only
    rectifications the user sees), and the 合计 over the same rectifications."""
    visible = Rectification.objects.visible_to(user)
    rows = (
        Street.objects.visible_to(user)
        .annotate(**rectification_figures("communities__inspection_rectifications__", visible))
        .order_by("code", "name")
    )
    return rows, visible.filter(community__street__in=rows.values("pk")).aggregate(
        **rectification_figures()
    )


def rectifications_by_community(user, street=None):
    """The communities the user sees (of `street` if given), each with its rectification
    figures, and the 合计 over the same rectifications."""
    visible = Rectification.objects.visible_to(user)
    rows = Community.objects.visible_to(user).select_related("street")
    if street is not None:
        rows = rows.filter(street=street)
    rows = rows.annotate(**rectification_figures("inspection_rectifications__", visible)).order_by(
        "street__code", "street__name", "code", "name"
    )
    totals = visible.filter(community__in=rows.values("pk")).aggregate(**rectification_figures())
    return rows, totals


# --- Bulletin ----------------------------------------------------------------------------


def _target(visit):
    assignment = visit.assignment
    return {
        "visit": visit.pk,
        "street": assignment.community.street.name,
        "community": assignment.community.name,
        "target": assignment.target_name,
        "kind": str(_("Community") if assignment.is_community else _("Courtyard")),
        "is_community": assignment.is_community,
        "group": assignment.group.name,
        "visited_on": visit.visited_on.isoformat(),
        "total": str(one_decimal(visit.total)),
        "verdict_reason": visit.verdict_reason,
        "findings": visit.findings,
    }


def _rank(streets, minimum):
    """Competition ranking (1, 2, 2, 4) by average, among streets with enough courtyards."""
    ranked = [row for row in streets if row["courtyards"] >= minimum]
    ranked.sort(key=lambda row: Decimal(row["average"]), reverse=True)
    previous, rank = None, 0
    for index, row in enumerate(ranked, start=1):
        if row["average"] != previous:
            rank, previous = index, row["average"]
        row["rank"] = rank
    unranked = [row for row in streets if row["rank"] is None and row["courtyards"]]
    unranked.sort(key=lambda row: Decimal(row["average"]), reverse=True)
    none = [row for row in streets if not row["courtyards"]]
    return ranked + unranked + none


def bulletin_snapshot(bulletin, as_of=None):
    """What the bulletin says, as JSON-ready data with every value already as shown:
    its texts, the campaign's facts, the figures, the commended and criticised targets (the
    latter with their problems and deadlines), the streets' average scores and ranking, and
    the rectifications not yet verified (overdue as of `as_of`, default today).

    Figures count each target's current visit (a re-inspection supersedes earlier visits).
    Publishing stores this; a draft recomputes it on each view."""
    campaign = Campaign.objects.select_related("district", "leader").get(pk=bulletin.campaign_id)
    as_of = as_of or timezone.localdate()
    visits = Inspection.objects.filter(assignment__campaign=campaign)
    rectifications = Rectification.objects.filter(inspection__assignment__campaign=campaign)
    figures, full_marks = _bulletin_figures(campaign, visits, rectifications, as_of)
    commended, criticised = _verdict_lists(visits.current(), rectifications)
    return {
        "version": 1,
        "as_of": as_of.isoformat(),
        "title": bulletin.title,
        "number": bulletin.number,
        "introduction": bulletin.introduction,
        "requirements": bulletin.requirements,
        "campaign": {
            "title": campaign.title,
            "year": campaign.year,
            "district": campaign.district.name,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "leader": person_name(campaign.leader),
            "commend_threshold": points(campaign.commend_threshold),
            "criticise_threshold": points(campaign.criticise_threshold),
            "min_ranked_courtyards": campaign.min_ranked_courtyards,
            "full_marks": points(full_marks) if full_marks is not None else None,
        },
        "figures": figures,
        "commended": commended,
        "criticised": criticised,
        "streets": _street_ranking(campaign, visits.current()),
        "open_rectifications": _open_rectifications(rectifications, as_of),
    }


def _bulletin_figures(campaign, visits, rectifications, as_of):
    """The bulletin's figures (staff, groups, targets, visits, verdicts, average score,
    rectifications) and the campaign's full marks."""
    figures = visits.current().aggregate(
        courtyards=Count("assignment__courtyard", distinct=True),
        communities=Count("assignment__community", distinct=True),
        full_marks=Max("max_total"),
        **visit_figures(),
    )
    all_visits = visits.aggregate(
        visits=Count("pk"), reinspections=Count("pk", filter=Q(is_reinspection=True))
    )
    staff = (
        get_user_model()
        .objects.filter(
            Q(pk=campaign.leader_id)
            | Q(led_inspection_groups__campaign=campaign)
            | Q(inspection_memberships__group__campaign=campaign)
        )
        .distinct()
        .count()
    )
    late = Q(status__in=Rectification.LATE_STATUSES, deadline__lt=as_of)
    rect_figures = rectifications.aggregate(
        total=Count("pk"),
        unfinished=Count("pk", filter=~Q(status=Rectification.Status.VERIFIED)),
        overdue=Count("pk", filter=late),
        verified=Count("pk", filter=Q(status=Rectification.Status.VERIFIED)),
    )
    average = one_decimal(figures["average"])
    return {
        "staff": staff,
        "groups": InspectionGroup.objects.filter(campaign=campaign).count(),
        "targets": campaign.assignments.count(),
        "visits": all_visits["visits"],
        "reinspections": all_visits["reinspections"],
        "courtyards": figures["courtyards"],
        "communities": figures["communities"],
        "commended": figures["commended"],
        "passed": figures["passed"],
        "criticised": figures["criticised"],
        "average": str(average) if average is not None else None,
        "rectifications": rect_figures["total"],
        "unfinished": rect_figures["unfinished"],
        "overdue": rect_figures["overdue"],
        "verified": rect_figures["verified"],
    }, one_decimal(figures["full_marks"])


def _verdict_lists(current, rectifications):
    """The commended and the criticised targets, the latter with their problems."""
    listed = current.select_related(
        "assignment__group", "assignment__courtyard", "assignment__community__street"
    ).order_by(
        "assignment__community__street__code",
        "assignment__community__street__name",
        "assignment__community__name",
        "assignment__courtyard__name",
    )
    commended = [_target(v) for v in listed.filter(final_verdict=Verdict.COMMEND)]
    criticised = [_target(v) for v in listed.filter(final_verdict=Verdict.CRITICISE)]
    problems = {}
    for rect in rectifications.filter(inspection__in=[row["visit"] for row in criticised]).order_by(
        "deadline", "pk"
    ):
        problems.setdefault(rect.inspection_id, []).append(
            {"problem": rect.problem, "deadline": rect.deadline.isoformat()}
        )
    for row in criticised:
        row["problems"] = problems.get(row["visit"], [])
    return commended, criticised


def _street_ranking(campaign, current):
    """Every street of the district with its courtyards' average score and rank."""
    by_street = {
        row["assignment__community__street"]: row
        for row in current.filter(assignment__courtyard__isnull=False)
        .values("assignment__community__street")
        .annotate(courtyards=Count("assignment__courtyard", distinct=True), average=Avg("total"))
    }
    streets = []
    for street in Street.objects.filter(district=campaign.district).order_by("code", "name"):
        row = by_street.get(street.pk, {})
        average = one_decimal(row.get("average"))
        streets.append(
            {
                "name": street.name,
                "courtyards": row.get("courtyards", 0),
                "average": str(average) if average is not None else None,
                "rank": None,
            }
        )
    return _rank(streets, campaign.min_ranked_courtyards)


def _open_rectifications(rectifications, as_of):
    """The rectifications not yet verified, overdue as of `as_of`."""
    statuses = dict(Rectification.Status.choices)
    return [
        {
            "street": rect.community.street.name,
            "community": rect.community.name,
            "target": rect.inspection.assignment.target_name,
            "problem": rect.problem,
            "deadline": rect.deadline.isoformat(),
            "status": str(statuses[rect.status]),
            "overdue": rect.overdue_on(as_of),
        }
        for rect in rectifications.exclude(status=Rectification.Status.VERIFIED)
        .select_related("community__street", "inspection__assignment__courtyard")
        .order_by("deadline", "community__street__code", "community__name", "pk")
    ]


def bulletin_content(bulletin):
    """What the bulletin page shows: the stored snapshot once published (it never changes),
    or the figures as they stand for a draft."""
    return bulletin.snapshot if bulletin.is_published else bulletin_snapshot(bulletin)


CHART_WIDTH = 640
CHART_LABEL = 120
CHART_BAR = 22
CHART_GAP = 10


def street_chart(content):
    """Geometry of the horizontal bar chart of average score by street (server-side SVG):
    one bar per street with inspected courtyards, scaled to full marks."""
    full = Decimal(content["campaign"]["full_marks"] or 0)
    rows = [row for row in content["streets"] if row["average"] is not None]
    if not rows or not full:
        return None
    span = CHART_WIDTH - CHART_LABEL - 60
    bars = []
    for index, row in enumerate(rows):
        y = CHART_GAP + index * (CHART_BAR + CHART_GAP)
        width = int(span * Decimal(row["average"]) / full)
        bars.append(
            {
                "name": row["name"],
                "average": row["average"],
                "ranked": row["rank"] is not None,
                "y": y,
                "text_y": y + CHART_BAR - 6,
                "width": max(width, 1),
                "value_x": CHART_LABEL + max(width, 1) + 6,
            }
        )
    height = CHART_GAP + len(rows) * (CHART_BAR + CHART_GAP) + 20
    ticks = []
    for step in range(0, 5):
        value = full * step / 4
        ticks.append({"x": CHART_LABEL + int(span * step / 4), "label": points(value)})
    return {
        "width": CHART_WIDTH,
        "height": height,
        "label_x": CHART_LABEL - 8,
        "bar_x": CHART_LABEL,
        "bar_height": CHART_BAR,
        "axis_y": height - 20,
        "tick_label_y": height - 6,
        "bars": bars,
        "ticks": ticks,
    }


# --- For the annual report ---------------------------------------------------------------
# The report's figures are defined in inspections/report_figures.py and computed by
# portal/reports/figures.py; these two name the people and groups of a year's inspections
# that the user sees (their scope and the rules of `visible_to`).


def inspection_groups(year, user):
    """Inspection groups of the year's campaigns, as the user sees them."""
    return InspectionGroup.objects.visible_to(user).filter(campaign__year=year)


def inspection_staff(year, user):
    """People who served in the year's inspections (campaign leaders, group leaders and
    members), of the groups the user sees; each person once."""
    groups = inspection_groups(year, user)
    return (
        get_user_model()
        .objects.filter(
            Q(led_inspection_groups__in=groups.values("pk"))
            | Q(inspection_memberships__group__in=groups.values("pk"))
            | Q(pk__in=groups.values("campaign__leader"))
        )
        .distinct()
    )
