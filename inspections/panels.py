"""Sections the inspections app adds to shared pages (see portal.navigation).

Each runs a fixed number of queries, whatever the data: a courtyard's inspection history
and its open rectifications; a community's unfinished rectifications; a street's figures
by community; on the dashboard, overdue rectifications in scope and, for district users,
the progress of campaigns under way.
"""

from django.db.models import Count

from inspections import selectors
from inspections.models import Campaign, Inspection, Rectification, is_district_user
from portal.access import role_of
from portal.roles import Role

LIST_LIMIT = 10


def _may_see(user):
    return user.has_perm("inspections.view_rectification") or user.has_perm(
        "inspections.view_inspection"
    )


def courtyard_panel(request, courtyard):
    user = request.user
    if not _may_see(user):
        return None
    visits = (
        Inspection.objects.visible_to(user)
        .filter(assignment__courtyard=courtyard)
        .select_related("assignment__campaign", "assignment__group")
        .annotate(problems=Count("rectifications"))
        .order_by("-visited_on", "-pk")
    )
    rectifications = (
        Rectification.objects.visible_to(user)
        .filter(inspection__assignment__courtyard=courtyard)
        .unfinished()
        .with_overdue()
        .select_related("community")
        .order_by("deadline", "pk")
    )
    return {
        "template": "inspections/panels/courtyard.html",
        "visits": visits,
        "rectifications": rectifications,
    }


def community_panel(request, community):
    user = request.user
    if not user.has_perm("inspections.view_rectification"):
        return None
    rectifications = (
        selectors.rectifications_for(user)
        .filter(community=community)
        .unfinished()
        .order_by("deadline", "pk")
    )
    return {
        "template": "inspections/panels/community.html",
        "community": community,
        "figures": rectifications.aggregate(**selectors.rectification_figures()),
        "rectifications": rectifications[:LIST_LIMIT],
    }


def street_panel(request, street):
    user = request.user
    if not user.has_perm("inspections.view_rectification"):
        return None
    rows, totals = selectors.rectifications_by_community(user, street=street)
    return {
        "template": "inspections/panels/street.html",
        "street": street,
        "rows": rows,
        "totals": totals,
    }


def dashboard_panel(request, obj):
    user = request.user
    if not user.has_perm("inspections.view_rectification"):
        return None
    overdue = selectors.rectifications_for(user).overdue().order_by("deadline", "pk")
    # the first few picked on their own table, then joined: joining every overdue one to
    # sort them took 40 ms at city scale
    first = overdue.filter(pk__in=overdue.values("pk")[:LIST_LIMIT])
    campaigns = None
    if is_district_user(user) or role_of(user) == Role.INSPECTOR:
        campaigns = selectors.campaigns_with_progress(user).filter(status=Campaign.Status.UNDER_WAY)
    return {
        "template": "inspections/panels/dashboard.html",
        "overdue": first,
        "overdue_count": overdue.count(),
        "campaigns": campaigns,
    }
