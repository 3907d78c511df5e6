"""Allocations (拨付) in the portal: the list across the user's scope with its Excel export,
recording one (登记拨付) and correcting or withdrawing one, through the same service and
checks as the admin (funds.services.allocation_save). Allocations are never deleted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyards.models import Community, Courtyard
from funds.exports import AllocationListSheet
from funds.formatting import yuan
from funds.forms import AllocationCommunityForm, AllocationFilter, AllocationForm
from funds.models import Allocation
from funds.selectors import allocation_totals, years_with_records
from funds.services import allocation_save
from portal.access import get_visible_or_404, scope_label
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.listing import Sorting
from portal.params import year_param

ALLOCATION_SORTING = Sorting(
    allowed={
        "place": ("community__street__name", "community__name", "courtyard__name"),
        "date": "allocated_on",
        "source": "source",
        "document": "document_number",
        "amount": "amount",
        "status": "withdrawn_on",
    },
    default="place",
)


@login_required
@permission_required("funds.view_allocation", raise_exception=True)
def allocation_list(request):
    year = year_param(request)
    filters = AllocationFilter(
        request,
        Allocation.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("courtyard", "community__street"),
    )
    allocations, sort = ALLOCATION_SORTING.apply(filters.qs, request)
    totals = allocation_totals(allocations)
    if request.GET.get("format") == "xlsx":
        heading = _("Special fund allocations %(year)s") % {"year": year}
        return workbook_response(
            [AllocationListSheet(allocations, totals)],
            filename=f"{heading}.xlsx",
            heading=heading,
            scope_label=scope_label(request.user),
        )
    page = Paginator(allocations, 50).get_page(request.GET.get("page"))
    for allocation in page:
        allocation.may_correct = request.user.has_perm("funds.correct_allocation", allocation)
    return render(
        request,
        "funds/allocation_list.html",
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
@permission_required("funds.add_allocation", raise_exception=True)
def allocation_add(request):
    """Record an allocation for a community's courtyard or its own fund. ?courtyard= or
    ?community= says whose (another scope's answers 404); without either the page first
    asks for the community."""
    community, courtyard = _holder_from(request)
    if community is None:
        chooser = AllocationCommunityForm(request.GET or None, user=request.user)
        return render(
            request,
            "funds/allocation_choose_community.html",
            {"form": chooser, "year": year_param(request)},
        )
    form = AllocationForm(
        request.POST or None,
        community=community,
        user=request.user,
        initial={"year": year_param(request), "courtyard": courtyard},
    )
    return _allocation_form(request, form, community)


@login_required
@permission_required("funds.change_allocation", raise_exception=True)
def allocation_edit(request, pk):
    allocation = get_visible_or_404(
        Allocation.objects.select_related("courtyard", "community__street__district"),
        request.user,
        pk=pk,
    )
    if not request.user.has_perm("funds.correct_allocation", allocation):
        raise PermissionDenied
    form = AllocationForm(
        request.POST or None,
        instance=allocation,
        community=allocation.community,
        user=request.user,
    )
    return _allocation_form(request, form, allocation.community)


def _allocation_form(request, form, community):
    if request.method == "POST" and form.is_valid():
        try:
            allocation = allocation_save(allocation=form.instance, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Allocation saved: %(holder)s, %(amount)s yuan.")
                % {"holder": allocation.holder_name, "amount": yuan(allocation.amount)},
            )
            return redirect(f"{allocation.fund_url}?year={allocation.year}")
    year = form.instance.year or year_param(request)
    return render(
        request,
        "funds/allocation_form.html",
        {
            "form": form,
            "allocation": form.instance if form.instance.pk else None,
            "community": community,
            "street": community.street,
            "year": year,
            "cancel": f"{reverse('funds:allocations')}?year={year}",
        },
    )


def _holder_from(request):
    """The community (and courtyard) named in the query string, looked up in scope."""
    params = request.GET
    if params.get("courtyard"):
        courtyard = get_visible_or_404(
            Courtyard.objects.select_related("community__street"),
            request.user,
            pk=params["courtyard"],
        )
        return courtyard.community, courtyard
    if params.get("community"):
        community = get_visible_or_404(
            Community.objects.select_related("street"), request.user, pk=params["community"]
        )
        return community, None
    return None, None
