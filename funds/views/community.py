"""A community's own fund (社区本级): the money paid directly to the community (seed 002),
its projects run by the residents' committee (seed 000) and their spending; and the forms
community members record them with, the same as a courtyard's."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from courtyards.models import Community
from funds.models import Allocation, Expenditure, Project
from funds.selectors import (
    own_figures,
    project_totals,
    projects_with_spending,
    years_with_records,
)
from funds.views.courtyard import new_project, record_expenditure, with_reversal_flags
from portal.access import get_visible_or_404
from portal.params import year_param


def visible_community(request, pk):
    return get_visible_or_404(
        Community.objects.select_related("street__district"), request.user, pk=pk
    )


@login_required
@permission_required("funds.view_allocation", raise_exception=True)
def own_fund(request, pk):
    community = visible_community(request, pk)
    year = year_param(request)
    projects = projects_with_spending(
        Project.objects.held_by(community).filter(year=year).order_by("title")
    )
    return render(
        request,
        "funds/community_fund.html",
        {
            "community": community,
            "year": year,
            "years": years_with_records(request.user, year),
            "figures": own_figures(community, year),
            "allocations": Allocation.objects.held_by(community)
            .filter(year=year)
            .order_by("allocated_on", "pk"),
            "projects": projects,
            "project_totals": project_totals(projects),
            "expenditures": with_reversal_flags(
                Expenditure.objects.held_by(community)
                .filter(year=year)
                .select_related("project")
                .order_by("spent_on", "pk")
            ),
        },
    )


@login_required
@permission_required("funds.add_expenditure", raise_exception=True)
def own_spend(request, pk):
    return record_expenditure(request, visible_community(request, pk))


@login_required
@permission_required("funds.add_project", raise_exception=True)
def own_project_add(request, pk):
    return new_project(request, visible_community(request, pk))
