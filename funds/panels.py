"""Sections the special fund adds to shared pages (see portal.navigation).

Each panel shows the current year and costs a fixed number of queries, whatever the data.
"""

from django.db.models import Max
from django.utils import timezone

from councils.models import Meeting
from courtyards.models import Community, Courtyard, Street
from funds.models import Allocation, Expenditure, Income, Project
from funds.selectors import (
    courtyard_figures,
    fund_totals,
    income_by_kind,
    live_allocations,
    projects_with_spending,
)
from portal.params import year_param


def scope_panel(request, unit):
    """The fund's figures for the dashboard's scope, a street or a community this year."""
    user = request.user
    if not user.has_perm("funds.view_allocation"):
        return None
    year = timezone.localdate().year
    courtyards = Courtyard.objects.visible_to(user)
    if isinstance(unit, Street):
        courtyards, link = courtyards.filter(community__street=unit), ("street", unit)
    elif isinstance(unit, Community):
        courtyards, link = courtyards.filter(community=unit), ("community", unit)
    else:
        link = None
    return {
        "template": "funds/panels/scope.html",
        "year": year,
        "figures": fund_totals(year, "courtyard", courtyards),
        "link": link,
    }


def courtyard_panel(request, courtyard):
    """This year's balance, projects and latest spending of the courtyard."""
    user = request.user
    if not user.has_perm("funds.view_allocation"):
        return None
    year = timezone.localdate().year
    return {
        "template": "funds/panels/courtyard.html",
        "year": year,
        "courtyard": courtyard,
        "figures": courtyard_figures(courtyard, year),
        "projects": projects_with_spending(
            Project.objects.filter(courtyard=courtyard, year=year).order_by("title")
        )[:8],
        "recent": Expenditure.objects.filter(courtyard=courtyard, year=year)
        .select_related("project")
        .order_by("-spent_on", "-pk")[:5],
        "may_spend": user.has_perm("funds.add_expenditure"),
    }


def public_panel(request, courtyard):
    """How the courtyard's money was used, for residents: allocations, spending by project
    and income by kind for one year (the latest with records unless ?year= says).

    No personal data: no payees, no descriptions of single expenditures, nothing about
    who recorded what; only sums per project and the allocations' documents."""
    year = _public_year(request, courtyard)
    if year is None:
        return None
    figures = courtyard_figures(courtyard, year)
    allocations = _public_allocations(courtyard, year)
    projects = _public_projects(courtyard, year)
    if not allocations and not projects and not figures.income:
        return None
    return {
        "template": "funds/panels/public.html",
        "year": year,
        "figures": figures,
        "allocations": allocations,
        "projects": projects,
        "income_by_kind": income_by_kind(
            year, "courtyard", Courtyard.objects.filter(pk=courtyard.pk)
        ),
    }


def _public_year(request, courtyard):
    """The year asked for, else the latest year with an allocation, a project or income;
    None when the courtyard has none."""
    if "year" in request.GET:
        return year_param(request)
    latest = [
        Allocation.objects.filter(courtyard=courtyard).aggregate(y=Max("year"))["y"],
        Project.objects.filter(courtyard=courtyard).aggregate(y=Max("year"))["y"],
        Income.objects.filter(courtyard=courtyard).aggregate(y=Max("received_on__year"))["y"],
    ]
    years = [y for y in latest if y]
    return max(years) if years else None


def _public_allocations(courtyard, year):
    """The year's live allocations: date, source, document and amount."""
    allocations = list(
        live_allocations(year)
        .filter(courtyard=courtyard)
        .order_by("allocated_on", "pk")
        .values("allocated_on", "source", "document_number", "amount")
    )
    sources = dict(Allocation._meta.get_field("source").choices)
    for allocation in allocations:
        allocation["source_label"] = sources[allocation["source"]]
    return allocations


def _public_projects(courtyard, year):
    """The year's projects (not the cancelled ones) with their spending and the meeting
    that approved them."""
    projects = list(
        projects_with_spending(
            Project.objects.filter(courtyard=courtyard, year=year).exclude(
                status=Project.Status.CANCELLED
            )
        )
        .order_by("title")
        .values(
            "title",
            "category",
            "status",
            "budget",
            "spent",
            "resolution__title",
            "resolution__meeting__held_on",
            "resolution__meeting__kind",
        )
    )
    categories, statuses = dict(Project.Category.choices), dict(Project.Status.choices)
    meeting_kinds = dict(Meeting.Kind.choices)
    for project in projects:
        project["category_label"] = categories[project["category"]]
        project["status_label"] = statuses[project["status"]]
        project["approved_by"] = meeting_kinds.get(project["resolution__meeting__kind"], "")
    return projects
