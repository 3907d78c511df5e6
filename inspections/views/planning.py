"""Planning a campaign on the portal's pages, as district staff did in the admin: its facts
(新建督查), its inspection groups and members, and its targets chosen in bulk. The pages
run the same services as the admin (`services.campaign_create`, `group_save`,
`targets_assign`, `targets_remove`); each refused change shows its Chinese message and
stores nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inspections import selectors, services
from inspections.forms import CampaignForm, CandidateFilter, GroupForm, TargetActionForm
from inspections.models import Assignment, Campaign, InspectionGroup
from inspections.views.campaigns import _campaign, _tabs_context
from portal.access import get_visible_or_404
from portal.forms import apply_errors


def _may(request, rule, campaign):
    if not request.user.has_perm(rule, campaign):
        raise PermissionDenied


# --- The campaign's facts ----------------------------------------------------------------


@login_required
@permission_required("inspections.add_campaign", raise_exception=True)
def campaign_create(request):
    if not request.user.has_perm("inspections.create_campaign"):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user, instance=Campaign())
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                campaign=form.instance, template=form.template(), by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The campaign is planned. Now form its groups and choose its targets."),
            )
            return redirect("inspections:campaign_groups", campaign.pk)
    return render(
        request, "inspections/campaign_form.html", {"form": form, "title": _("Plan a campaign")}
    )


@login_required
@permission_required("inspections.change_campaign", raise_exception=True)
def campaign_edit(request, pk):
    campaign = _campaign(request, pk)
    _may(request, "inspections.manage_campaign", campaign)
    form = CampaignForm(request.POST or None, user=request.user, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                campaign=form.instance, template=form.template(), by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(campaign)
    return render(
        request,
        "inspections/campaign_form.html",
        {"form": form, "campaign": campaign, "title": _("Edit the campaign")},
    )


# --- Groups ------------------------------------------------------------------------------


@login_required
@permission_required("inspections.change_inspectiongroup", raise_exception=True)
def campaign_groups(request, pk):
    campaign = _campaign(request, pk)
    _may(request, "inspections.plan_campaign", campaign)
    groups, totals = selectors.groups_with_progress(campaign, request.user)
    groups = groups.prefetch_related("memberships__user")
    context = _tabs_context(request, campaign, "groups")
    context.update({"groups": groups, "group_totals": totals})
    return render(request, "inspections/campaign_groups.html", context)


@login_required
@permission_required("inspections.add_inspectiongroup", raise_exception=True)
def group_create(request, pk):
    campaign = _campaign(request, pk)
    _may(request, "inspections.plan_campaign", campaign)
    return _group_form(request, campaign, InspectionGroup(campaign=campaign))


@login_required
@permission_required("inspections.change_inspectiongroup", raise_exception=True)
def group_edit(request, pk):
    group = get_visible_or_404(
        InspectionGroup.objects.select_related("campaign__district"), request.user, pk=pk
    )
    _may(request, "inspections.plan_campaign", group.campaign)
    return _group_form(request, group.campaign, group)


def _group_form(request, campaign, group):
    form = GroupForm(request.POST or None, user=request.user, campaign=campaign, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(
                group=form.instance, members=form.cleaned_data["members"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(group)s is saved.") % {"group": form.instance.name})
            return redirect("inspections:campaign_groups", campaign.pk)
    title = _("Edit %(group)s") % {"group": group.name} if group.pk else _("Add a group")
    context = _tabs_context(request, campaign, "groups")
    context.update({"form": form, "group": group, "title": title})
    return render(request, "inspections/group_form.html", context)


# --- Targets -----------------------------------------------------------------------------


@login_required
@permission_required("inspections.change_assignment", raise_exception=True)
def campaign_plan_targets(request, pk):
    campaign = _campaign(request, pk)
    _may(request, "inspections.plan_campaign", campaign)
    kind = "community" if request.GET.get("kind") == "community" else "courtyard"
    candidates = selectors.target_candidates(campaign, request.user, kind)
    filters = CandidateFilter(request, candidates, campaign=campaign, kind=kind)
    candidates = filters.qs
    action = TargetActionForm(
        request.POST or None, campaign=campaign, candidates=candidates, prefix="do"
    )
    if request.method == "POST" and action.is_valid():
        try:
            message = _apply(action, campaign, kind, request.user)
        except ValidationError as error:
            apply_errors(action, error)
        else:
            messages.success(request, message)
            return redirect(request.get_full_path())
    page = Paginator(candidates, 100).get_page(request.GET.get("page"))
    context = _tabs_context(request, campaign, "plan")
    context.update(
        {
            "kind": kind,
            "form": filters.form,
            "action": action,
            "page": page,
            "free_count": candidates.filter(target_group__isnull=True).count(),
            "groups": InspectionGroup.objects.filter(campaign=campaign).order_by("name"),
        }
    )
    return render(request, "inspections/campaign_plan_targets.html", context)


def _apply(action, campaign, kind, user):
    """Runs the chosen bulk change; returns what to tell the user."""
    targets = action.targets()
    if action.removes:
        lookup = {"community__in": targets} if kind == "community" else {"courtyard__in": targets}
        if kind == "community":
            lookup["courtyard__isnull"] = True
        removed = services.targets_remove(
            campaign=campaign,
            assignments=Assignment.objects.filter(campaign=campaign, **lookup),
            by=user,
        )
        return _("%(count)s targets removed from the campaign.") % {"count": removed}
    group = action.cleaned_data["group"]
    chosen = {"communities": targets} if kind == "community" else {"courtyards": targets}
    added, moved = services.targets_assign(group=group, by=user, **chosen)
    return _("%(group)s: %(added)s targets added, %(moved)s moved from another group.") % {
        "group": group.name,
        "added": added,
        "moved": moved,
    }
