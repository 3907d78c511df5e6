"""Research visits (调研): the year's list with the places visited, one visit, recording one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import services
from councils.forms import ResearchVisitForm
from councils.models import ResearchVisit
from councils.selectors import research_figures
from portal.access import get_visible_or_404, with_openable
from portal.forms import apply_errors
from portal.params import year_param


@login_required
@permission_required("councils.view_researchvisit", raise_exception=True)
def visit_list(request):
    year = year_param(request)
    visits = (
        ResearchVisit.objects.visible_to(request.user)
        .in_year(year)
        .select_related("district", "street")
        .annotate(
            street_count=Count("streets", distinct=True),
            community_count=Count("communities", distinct=True),
            courtyard_count=Count("courtyards", distinct=True),
        )
        .order_by("-visited_on", "-pk")
    )
    this_year = timezone.localdate().year
    return render(
        request,
        "councils/research_list.html",
        {
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "page": Paginator(visits, 50).get_page(request.GET.get("page")),
            "figures": research_figures(request.user, year),
        },
    )


def _visible_visit(request, pk):
    return get_visible_or_404(
        ResearchVisit.objects.select_related("district", "street"), request.user, pk=pk
    )


@login_required
@permission_required("councils.view_researchvisit", raise_exception=True)
def visit_detail(request, pk):
    visit = _visible_visit(request, pk)
    return render(
        request,
        "councils/research_detail.html",
        {
            "visit": visit,
            "streets": with_openable(visit.streets.order_by("name"), request.user),
            "communities": with_openable(
                visit.communities.select_related("street").order_by("name"), request.user
            ),
            "courtyards": with_openable(
                visit.courtyards.select_related("community").order_by("name"), request.user
            ),
            "may_edit": request.user.has_perm("councils.edit_researchvisit", visit),
        },
    )


def _save(request, visit=None):
    initial = {"visited_on": timezone.localdate(), "staff": 1}
    if visit is not None:
        initial = {
            "office": f"street:{visit.street_id}"
            if visit.street_id
            else f"district:{visit.district_id}",
            "visited_on": visit.visited_on,
            "topic": visit.topic,
            "led_by": visit.led_by,
            "staff": visit.staff,
            "streets": list(visit.streets.all()),
            "communities": list(visit.communities.all()),
            "courtyards": list(visit.courtyards.all()),
            "findings": visit.findings,
        }
    form = ResearchVisitForm(request.POST or None, user=request.user, visit=visit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        office = data.pop("office")
        try:
            visit = services.research_visit_save(visit=visit, by=request.user, **office, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The research visit is recorded."))
            return redirect(visit)
    return render(
        request,
        "councils/research_form.html",
        {
            "form": form,
            "visit": visit,
            "title": _("Edit the research visit") if visit else _("Record a research visit"),
        },
    )


@login_required
@permission_required("councils.add_researchvisit", raise_exception=True)
def visit_add(request):
    return _save(request)


@login_required
@permission_required("councils.change_researchvisit", raise_exception=True)
def visit_edit(request, pk):
    visit = _visible_visit(request, pk)
    if not request.user.has_perm("councils.edit_researchvisit", visit):
        raise PermissionDenied  # the district's visit to a street: the street reads it
    return _save(request, visit)
