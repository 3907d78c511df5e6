"""Projects across the user's scope with budget against spending, and one project's page."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from funds.exports import ProjectListSheet
from funds.forms import ProjectFilter
from funds.models import Expenditure, Project
from funds.selectors import project_totals, projects_with_spending, years_with_records
from funds.views.courtyard import with_reversal_flags
from portal.access import get_visible_or_404, scope_label
from portal.excel import workbook_response
from portal.listing import Sorting
from portal.params import year_param

PROJECT_SORTING = Sorting(
    allowed={
        "courtyard": "courtyard__name",
        "title": "title",
        "category": "category",
        "status": "status",
        "budget": "budget",
        "spent": "spent",
        "remaining": "remaining",
    },
    default="courtyard",
)


@login_required
@permission_required("funds.view_project", raise_exception=True)
def project_list(request):
    year = year_param(request)
    filters = ProjectFilter(
        request,
        Project.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("courtyard", "community__street"),
    )
    projects = filters.qs
    projects = projects_with_spending(projects)
    projects, sort = PROJECT_SORTING.apply(projects, request)
    totals = project_totals(projects)
    if request.GET.get("format") == "xlsx":
        heading = _("Special fund projects %(year)s") % {"year": year}
        return workbook_response(
            [ProjectListSheet(projects, totals)],
            filename=f"{heading}.xlsx",
            heading=heading,
            scope_label=scope_label(request.user),
        )
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/project_list.html",
        {
            "form": filters.form,
            "page": page,
            "sort": sort,
            "totals": totals,
            "year": year,
            "years": years_with_records(request.user, year),
        },
    )


@login_required
@permission_required("funds.view_project", raise_exception=True)
def project_detail(request, pk):
    project = get_visible_or_404(
        projects_with_spending(
            Project.objects.select_related(
                "courtyard", "community__street__district", "resolution__meeting"
            )
        ),
        request.user,
        pk=pk,
    )
    expenditures = with_reversal_flags(
        Expenditure.objects.filter(project=project).order_by("spent_on", "pk")
    )
    return render(request, "funds/project.html", {"project": project, "expenditures": expenditures})
