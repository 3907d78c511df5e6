import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

# Rules that test a record's state are asked through rules.has_perm, not user.has_perm,
# which lets any superuser through: see inspections/rules.py.
from inspections import selectors, services
from inspections.exports import campaign_sheets
from inspections.forms import CloseForm, TargetFilter, VisitFilter
from inspections.models import Bulletin, Campaign
from inspections.views.common import dated_filename
from portal.access import get_visible_or_404, scope_label
from portal.excel import workbook_response
from portal.forms import apply_errors


def _campaign(request, pk):
    return get_visible_or_404(
        Campaign.objects.select_related("district", "leader", "criteria_template"),
        request.user,
        pk=pk,
    )


def _bulletin_of(campaign, user):
    return Bulletin.objects.visible_to(user).filter(campaign=campaign).first()


def _tabs_context(request, campaign, tab):
    return {
        "campaign": campaign,
        "tab": tab,
        "bulletin": _bulletin_of(campaign, request.user),
        "may_manage": request.user.has_perm("inspections.manage_campaign", campaign),
        "may_plan": request.user.has_perm("inspections.plan_campaign", campaign),
        "may_see_targets": request.user.has_perm("inspections.view_assignment"),
    }


@login_required
@permission_required("inspections.view_campaign", raise_exception=True)
def campaign_list(request):
    campaigns = selectors.campaigns_with_progress(request.user).order_by("-year", "-starts_on")
    page = Paginator(campaigns, 30).get_page(request.GET.get("page"))
    return render(request, "inspections/campaign_list.html", {"page": page})


@login_required
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    groups, group_totals = selectors.groups_with_progress(campaign, request.user)
    areas = list(selectors.criteria_of(campaign))
    context = _tabs_context(request, campaign, "overview")
    context.update(
        {
            "groups": groups,
            "group_totals": group_totals,
            "areas": areas,
            "full_marks": selectors.criteria_full_marks(campaign),
            "close_form": CloseForm(),
            "criteria_locked": services.criteria_locked(campaign),
            "may_write_bulletin": request.user.has_perm("inspections.write_bulletin"),
        }
    )
    return render(request, "inspections/campaign_detail.html", context)


@login_required
def campaign_targets(request, pk):
    campaign = _campaign(request, pk)
    # Checked after the campaign, not by decorator: a campaign the user cannot see stays 404.
    if not request.user.has_perm("inspections.view_assignment"):
        raise PermissionDenied
    filters = TargetFilter(request, selectors.targets_of(campaign, request.user), campaign=campaign)
    targets = filters.qs
    page = Paginator(targets, 50).get_page(request.GET.get("page"))
    context = _tabs_context(request, campaign, "targets")
    context.update(
        {
            "form": filters.form,
            "page": page,
            "may_record": rules.has_perm("inspections.record_visit", request.user, campaign),
        }
    )
    return render(request, "inspections/campaign_targets.html", context)


@login_required
def campaign_visits(request, pk):
    campaign = _campaign(request, pk)
    # Checked after the campaign, not by decorator: a campaign the user cannot see stays 404.
    if not request.user.has_perm("inspections.view_inspection"):
        raise PermissionDenied
    filters = VisitFilter(request, selectors.visits_of(campaign, request.user), campaign=campaign)
    visits = filters.qs
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            campaign_sheets(campaign, visits, selectors.criteria_of(campaign)),
            filename=dated_filename(campaign.title),
            heading=campaign.title,
            scope_label=scope_label(request.user),
        )
    totals = visits.order_by().aggregate(
        visits_count=Count("pk", distinct=True), average=Avg("total")
    )
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    context = _tabs_context(request, campaign, "visits")
    context.update({"form": filters.form, "page": page, "totals": totals})
    return render(request, "inspections/campaign_visits.html", context)


@login_required
@require_POST
def campaign_start(request, pk):
    campaign = _campaign(request, pk)
    if not request.user.has_perm("inspections.manage_campaign", campaign):
        raise PermissionDenied
    try:
        services.campaign_start(campaign=campaign, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The campaign is under way: inspectors can record visits."))
    return redirect(campaign)


@login_required
@require_POST
def campaign_close(request, pk):
    campaign = _campaign(request, pk)
    if not request.user.has_perm("inspections.manage_campaign", campaign):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_close(
                campaign=campaign, closed_on=form.cleaned_data["closed_on"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign is closed: the bulletin can be written."))
            return redirect(campaign)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(campaign)
