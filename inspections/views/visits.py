import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

# Rules that test a record's state are asked through rules.has_perm, not user.has_perm,
# which lets any superuser through: see inspections/rules.py.
from inspections import selectors, services
from inspections.forms import PhotoForm, ProblemForm, VisitForm, visit_initial
from inspections.models import Assignment, Inspection, InspectionPhoto, Rectification, Score
from portal.access import get_visible_or_404
from portal.forms import apply_errors
from portal.uploads import attachment_response

VISIT_RELATED = (
    "assignment__campaign__district",
    "assignment__group",
    "assignment__courtyard",
    "assignment__community__street",
    "recorded_by",
)


def _visit(request, pk):
    return get_visible_or_404(
        Inspection.objects.select_related(*VISIT_RELATED), request.user, pk=pk
    )


@login_required
def visit_record(request, pk):
    """Record a visit of an assigned target: scores, findings, verdict."""
    assignment = get_visible_or_404(
        Assignment.objects.select_related("campaign", "group", "courtyard", "community__street"),
        request.user,
        pk=pk,
    )
    campaign = assignment.campaign
    if not rules.has_perm("inspections.record_visit", request.user, campaign):
        raise PermissionDenied
    areas = list(selectors.criteria_of(campaign))
    previous = assignment.inspections.order_by("-visited_on", "-pk").first()
    form = VisitForm(
        request.POST or None,
        areas=areas,
        reinspection=previous is not None,  # only a further visit may be a re-inspection
        initial={"visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.inspection_record(
                assignment=assignment,
                is_reinspection=form.cleaned_data.get("is_reinspection", False),
                by=request.user,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Visit recorded: %(total)s points, verdict “%(verdict)s”.")
                % {"total": visit.total, "verdict": visit.get_final_verdict_display()},
            )
            return redirect(visit)
    return render(
        request,
        "inspections/visit_form.html",
        {
            "form": form,
            "assignment": assignment,
            "campaign": campaign,
            "previous": previous,
            "full_marks": selectors.criteria_full_marks(campaign),
        },
    )


@login_required
def visit_edit(request, pk):
    visit = _visit(request, pk)
    if not rules.has_perm("inspections.edit_visit", request.user, visit):
        raise PermissionDenied
    assignment = visit.assignment
    campaign = assignment.campaign
    areas = list(selectors.criteria_of(campaign))
    form = VisitForm(
        request.POST or None,
        areas=areas,
        reinspection=False,
        initial=visit_initial(visit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.inspection_update(
                inspection=visit, by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The visit is updated."))
            return redirect(visit)
    return render(
        request,
        "inspections/visit_form.html",
        {
            "form": form,
            "visit": visit,
            "assignment": assignment,
            "campaign": campaign,
            "full_marks": selectors.criteria_full_marks(campaign),
        },
    )


def _visit_page(request, visit, problem_form=None, photo_form=None, status=200):
    user = request.user
    scores = Score.objects.filter(inspection=visit).select_related("item__area")
    subtotals = {
        row["item__area"]: row
        for row in scores.values("item__area").annotate(
            subtotal=Sum("score"), full_marks=Sum("max_score")
        )
    }
    areas = []
    for score in scores.order_by("item__area__position", "item__area", "item__position", "pk"):
        if not areas or areas[-1]["area"].pk != score.item.area_id:
            areas.append({"area": score.item.area, "scores": [], **subtotals[score.item.area_id]})
        areas[-1]["scores"].append(score)
    rectifications = (
        Rectification.objects.visible_to(user)
        .filter(inspection=visit)
        .with_overdue()
        .select_related("community__street")
    )
    other_visits = (
        Inspection.objects.visible_to(user)
        .filter(assignment=visit.assignment_id)
        .exclude(pk=visit.pk)
        .order_by("visited_on", "pk")
    )
    if problem_form is None and rules.has_perm("inspections.add_problem", user, visit):
        problem_form = ProblemForm(
            campaign=visit.assignment.campaign,
            user=user,
            initial={"community": visit.assignment.community_id},
        )
    if photo_form is None and rules.has_perm("inspections.add_photo", user, visit):
        photo_form = PhotoForm()
    return render(
        request,
        "inspections/visit_detail.html",
        {
            "visit": visit,
            "assignment": visit.assignment,
            "campaign": visit.assignment.campaign,
            "areas": areas,
            "rectifications": rectifications,
            "photos": InspectionPhoto.objects.filter(inspection=visit),
            "other_visits": other_visits,
            "problem_form": problem_form,
            "photo_form": photo_form,
            "may_edit": rules.has_perm("inspections.edit_visit", user, visit),
        },
        status=status,
    )


@login_required
def visit_detail(request, pk):
    return _visit_page(request, _visit(request, pk))


@login_required
@require_POST
def visit_add_problem(request, pk):
    visit = _visit(request, pk)
    if not rules.has_perm("inspections.add_problem", request.user, visit):
        raise PermissionDenied
    form = ProblemForm(request.POST, campaign=visit.assignment.campaign, user=request.user)
    if form.is_valid():
        try:
            services.rectification_create(inspection=visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Problem recorded: %(community)s is to rectify it by %(deadline)s.")
                % {
                    "community": form.cleaned_data["community"].name,
                    "deadline": form.cleaned_data["deadline"].isoformat(),
                },
            )
            return redirect(visit)
    return _visit_page(request, visit, problem_form=form, status=400)


@login_required
@require_POST
def visit_add_photo(request, pk):
    visit = _visit(request, pk)
    if not rules.has_perm("inspections.add_photo", request.user, visit):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.inspection_add_photo(
                inspection=visit,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The photo is attached to the visit."))
            return redirect(visit)
    return _visit_page(request, visit, photo_form=form, status=400)


@login_required
def photo_file(request, pk):
    photo = get_visible_or_404(InspectionPhoto.objects.all(), request.user, pk=pk)
    return attachment_response(photo.file, photo.original_name)
