"""The daily follow-up: today's duty officer's list of every open concern of their
community ("我的待办"), and a community's duty roster with the end-of-day handover."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concerns import services
from concerns.forms import HandoverForm, RosterForm
from concerns.models import DutyRoster
from concerns.selectors import open_concerns_of
from courtyards.models import Community
from portal.access import get_visible_or_404
from portal.forms import apply_errors
from portal.roles import Role

ROSTER_DAYS = 14


@login_required
@permission_required("concerns.view_concern", raise_exception=True)
def mine(request):
    today = timezone.localdate()
    duties = DutyRoster.objects.visible_to(request.user).filter(officer=request.user, date=today)
    communities = Community.objects.filter(duty_days__in=duties).select_related("street")
    concerns = open_concerns_of(communities) if duties else []
    return render(
        request,
        "concerns/mine.html",
        {"today": today, "communities": communities, "concerns": concerns},
    )


def _officers(community):
    return (
        get_user_model()
        .objects.filter(
            role_assignment__role=Role.COMMUNITY_MEMBER,
            role_assignment__community=community,
            is_active=True,
        )
        .order_by("last_name", "first_name", "username")
    )


def _roster_page(request, community, roster_form=None, handover_form=None):
    today = timezone.localdate()
    days = DutyRoster.objects.filter(
        community=community, date__gte=today - timedelta(days=ROSTER_DAYS)
    ).select_related("officer")
    return render(
        request,
        "concerns/roster.html",
        {
            "community": community,
            "days": days.order_by("date")[: ROSTER_DAYS * 3],
            "today": today,
            "roster_form": roster_form
            or RosterForm(officers=_officers(community), initial={"date": today}),
            "handover_form": handover_form or HandoverForm(initial={"day": today}),
            "may_edit": request.user.has_perm("concerns.change_dutyroster"),
            "may_hand_over": request.user.has_perm("concerns.handover_concern"),
        },
    )


@login_required
@permission_required("concerns.view_dutyroster", raise_exception=True)
def roster(request, pk):
    community = get_visible_or_404(Community, request.user, pk=pk)
    if request.method != "POST":
        return _roster_page(request, community)
    if not request.user.has_perm("concerns.change_dutyroster"):
        raise PermissionDenied
    form = RosterForm(request.POST, officers=_officers(community))
    if form.is_valid():
        try:
            services.roster_set(by=request.user, community=community, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("concerns:roster", pk=community.pk)
    return _roster_page(request, community, roster_form=form)


@login_required
@permission_required("concerns.handover_concern", raise_exception=True)
@require_POST
def handover(request, pk):
    community = get_visible_or_404(Community, request.user, pk=pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            events = services.hand_over(community, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(count)s open concerns handed over.") % {"count": len(events)}
            )
            return redirect("concerns:roster", pk=community.pk)
    return _roster_page(request, community, handover_form=form)
