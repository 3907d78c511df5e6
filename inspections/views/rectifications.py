import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

# Rules that test a record's state are asked through rules.has_perm, not user.has_perm,
# which lets any superuser through: see inspections/rules.py.
from inspections import selectors, services
from inspections.exports import RectificationSheet
from inspections.forms import RectificationFilter, ReportForm, VerifyForm
from inspections.models import Inspection, ProgressNote, Rectification
from inspections.views.common import dated_filename
from portal.access import get_visible_or_404, scope_label, scope_of
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.listing import Sorting
from portal.roles import Level
from portal.uploads import attachment_response

SORTING = Sorting(
    allowed={
        "deadline": "deadline",
        "community": "community__name",
        "status": "status",
        "visited": "inspection__visited_on",
    },
    default="deadline",
)


@login_required
@permission_required("inspections.view_rectification", raise_exception=True)
def rectification_list(request):
    filters = RectificationFilter(request, selectors.rectifications_for(request.user))
    rectifications = filters.qs
    rectifications, sort = SORTING.apply(rectifications, request)
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [RectificationSheet(rectifications)],
            filename=dated_filename(_("Rectifications")),
            heading=_("Rectifications"),
            scope_label=scope_label(request.user),
        )
    figures = rectifications.aggregate(**selectors.rectification_figures())
    page = Paginator(rectifications, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/rectification_list.html",
        {"form": filters.form, "page": page, "sort": sort, "figures": figures},
    )


@login_required
@permission_required("inspections.view_rectification", raise_exception=True)
def rectification_overview(request):
    """Rectification figures by street (district users) or by community (street staff,
    community members), overdue counted as of today."""
    level = scope_of(request.user).level
    if level in (Level.ALL, Level.DISTRICT):
        rows, totals = selectors.rectifications_by_street(request.user)
        unit = "street"
    else:
        rows, totals = selectors.rectifications_by_community(request.user)
        unit = "community"
    return render(
        request,
        "inspections/rectification_overview.html",
        {"rows": rows, "totals": totals, "unit": unit},
    )


def _rectification(request, pk):
    return get_visible_or_404(
        Rectification.objects.with_overdue().select_related(
            "community__street__district",
            "inspection__assignment__campaign",
            "inspection__assignment__group",
            "inspection__assignment__courtyard",
            "created_by",
            "verified_by",
        ),
        request.user,
        pk=pk,
    )


def _page(request, rectification, report_form=None, verify_form=None, status=200):
    user = request.user
    if report_form is None and rules.has_perm("inspections.report_progress", user, rectification):
        report_form = ReportForm()
    if verify_form is None and rules.has_perm("inspections.verify", user, rectification):
        verify_form = VerifyForm()
    return render(
        request,
        "inspections/rectification_detail.html",
        {
            "rectification": rectification,
            "visit": rectification.inspection,
            "notes": rectification.notes.select_related("author"),
            "report_form": report_form,
            "verify_form": verify_form,
            "may_see_visit": Inspection.objects.visible_to(user)
            .filter(pk=rectification.inspection_id)
            .exists(),
        },
        status=status,
    )


@login_required
def rectification_detail(request, pk):
    return _page(request, _rectification(request, pk))


@login_required
@require_POST
def rectification_report(request, pk):
    rectification = _rectification(request, pk)
    if not rules.has_perm("inspections.report_progress", request.user, rectification):
        raise PermissionDenied
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.rectification_report(
                rectification=rectification, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.cleaned_data["done"]:
                messages.success(request, _("Reported done: the inspectors will verify it."))
            else:
                messages.success(request, _("Progress recorded."))
            return redirect(rectification)
    return _page(request, rectification, report_form=form, status=400)


@login_required
@require_POST
def rectification_verify(request, pk):
    rectification = _rectification(request, pk)
    if not rules.has_perm("inspections.verify", request.user, rectification):
        raise PermissionDenied
    form = VerifyForm(request.POST)
    if form.is_valid():
        accepted = form.cleaned_data["decision"] == "accept"
        try:
            services.rectification_verify(
                rectification=rectification,
                accepted=accepted,
                note=form.cleaned_data["note"],
                verified_on=form.cleaned_data["noted_on"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Verified: the item is closed.")
                if accepted
                else _("Sent back to the community: the item is in progress again."),
            )
            return redirect(rectification)
    return _page(request, rectification, verify_form=form, status=400)


@login_required
def evidence_file(request, pk):
    note = get_visible_or_404(ProgressNote.objects.all(), request.user, pk=pk)
    if not note.evidence:
        raise Http404
    return attachment_response(note.evidence, note.evidence_name)
