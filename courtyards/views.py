from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyards.exports import CourtyardListSheet
from courtyards.forms import CourtyardFilter, CourtyardForm
from courtyards.models import Community, Courtyard, Street
from courtyards.selectors import communities_with_figures, courtyard_figures, totals
from portal.access import get_visible_or_404, scope_label
from portal.excel import workbook_response
from portal.listing import Sorting
from portal.navigation import panels_for

COURTYARD_SORTING = Sorting(
    allowed={
        "name": "name",
        "community": ("community__street__code", "community__street__name", "community__name"),
        "kind": "kind",
        "households": "households",
        "residents": "residents",
        "buildings": "buildings",
        "remediation": "remediation",
    },
    default="community",
)


@login_required
@permission_required("courtyards.view_street", raise_exception=True)
def street_detail(request, pk):
    street = get_visible_or_404(Street.objects.select_related("district"), request.user, pk=pk)
    communities = communities_with_figures(request.user, street=street)
    courtyards = Courtyard.objects.visible_to(request.user).filter(community__street=street)
    return render(
        request,
        "courtyards/street.html",
        {
            "street": street,
            "rows": communities,
            "totals": totals(courtyards, communities),
            "panels": panels_for("street", request, street),
        },
    )


@login_required
@permission_required("courtyards.view_community", raise_exception=True)
def community_detail(request, pk):
    community = get_visible_or_404(
        Community.objects.select_related("street__district"), request.user, pk=pk
    )
    courtyards = Courtyard.objects.visible_to(request.user).filter(community=community)
    return render(
        request,
        "courtyards/community.html",
        {
            "community": community,
            "courtyards": courtyards.order_by("closed_on", "name"),
            "totals": totals(courtyards, Community.objects.filter(pk=community.pk)),
            "panels": panels_for("community", request, community),
        },
    )


@login_required
@permission_required("courtyards.view_courtyard", raise_exception=True)
def courtyard_detail(request, pk):
    courtyard = get_visible_or_404(
        Courtyard.objects.select_related("community__street__district", "merged_into"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "courtyards/courtyard.html",
        {"courtyard": courtyard, "panels": panels_for("courtyard", request, courtyard)},
    )


@login_required
@permission_required("courtyards.view_courtyard", raise_exception=True)
def courtyard_list(request):
    filters = CourtyardFilter(
        request, Courtyard.objects.visible_to(request.user).select_related("community__street")
    )
    courtyards = filters.qs
    courtyards, sort = COURTYARD_SORTING.apply(courtyards, request)
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [CourtyardListSheet(courtyards)],
            filename=_("Courtyards %(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
            heading=_("Courtyards"),
            scope_label=scope_label(request.user),
        )
    page = Paginator(courtyards, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "courtyards/courtyard_list.html",
        {
            "form": filters.form,
            "page": page,
            "sort": sort,
            "totals": courtyards.aggregate(**courtyard_figures(open_only=False)),
        },
    )


@login_required
@permission_required("courtyards.change_courtyard", raise_exception=True)
def courtyard_edit(request, pk):
    courtyard = get_visible_or_404(
        Courtyard.objects.select_related("community__street__district"), request.user, pk=pk
    )
    form = CourtyardForm(request.POST or None, user=request.user, instance=courtyard)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        courtyard = form.save()
        messages.success(request, _("Saved."))
        return redirect(courtyard)
    return render(
        request,
        "courtyards/courtyard_form.html",
        {
            "form": form,
            "courtyard": courtyard,
            "title": _("Edit %(name)s") % {"name": courtyard.name},
        },
    )


@login_required
@permission_required("courtyards.add_courtyard", raise_exception=True)
def courtyard_add(request):
    """A new courtyard in a community of the user's scope (?community= preselects it)."""
    initial = {}
    if request.GET.get("community"):
        community = get_visible_or_404(
            Community.objects.all(), request.user, pk=request.GET["community"]
        )
        initial["community"] = community.pk
    form = CourtyardForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        courtyard = form.save()
        messages.success(request, _("%(name)s is added.") % {"name": courtyard.name})
        return redirect(courtyard)
    return render(
        request, "courtyards/courtyard_form.html", {"form": form, "title": _("Add a courtyard")}
    )
