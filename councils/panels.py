"""The sections councils adds to the shared pages (see portal.navigation): the courtyard
profile, the community, street and dashboard pages. Each runs a fixed number of queries."""

from django.utils import timezone

from councils.models import Coverage
from councils.selectors import (
    communities_with_council_figures,
    kept_council_rows,
    organisation_state,
    organisations_with_state,
    outside_rule_preview,
    totals_of,
    training_figures,
)
from councils.selectors.meetings import public_decisions
from courtyards.models import Courtyard
from portal.access import may_see_personal_data, scope_of
from portal.roles import Level

OUTSIDE_RULE_SHOWN = 10


def _may_read(request):
    return request.user.has_perm("councils.view_organisation")


def courtyard_panel(request, courtyard):
    """The organisation covering the courtyard today, as it stands, with its history; or,
    without one, what to do next and the organisations that covered it before."""
    if not _may_read(request):
        return None
    coverage = list(
        Coverage.objects.visible_to(request.user)
        .filter(courtyard=courtyard)
        .select_related("organisation")
        .order_by("-started_on")
    )
    current = next((row for row in coverage if row.ended_on is None), None)
    return {
        "template": "councils/_courtyard_panel.html",
        "courtyard": courtyard,
        "state": organisation_state(current.organisation) if current else None,
        "past": [row for row in coverage if row.ended_on is not None],
        "may_see": may_see_personal_data(request.user),
    }


def community_panel(request, community):
    if not _may_read(request):
        return None
    organisations = organisations_with_state(request.user).filter(community=community)
    covered = Coverage.objects.open().values("courtyard")
    return {
        "template": "councils/_community_panel.html",
        "community": community,
        "organisations": organisations.order_by("dissolved_on", "name"),
        "uncovered": Courtyard.objects.visible_to(request.user)
        .open()
        .filter(community=community)
        .exclude(pk__in=covered)
        .order_by("name"),
    }


def _outside_rule(request, band_set=True, **narrow):
    """The first courtyards outside the representation rule; not looked for when no district
    of the rows sets a band (the default: then no courtyard can be outside)."""
    if not band_set:
        return {"outside": [], "outside_count": 0}
    rows, count = outside_rule_preview(request.user, OUTSIDE_RULE_SHOWN, **narrow)
    return {"outside": rows, "outside_count": count}


def street_panel(request, street):
    if not _may_read(request):
        return None
    rows = communities_with_council_figures(request.user, street=street)
    band_set = any(row.band_set for row in rows)
    return {
        "template": "councils/_figures_panel.html",
        "unit": "community",
        "rows": rows,
        "totals": totals_of(rows),
        "band_set": band_set,
        "filter": {"street": street.pk},
        **_outside_rule(request, band_set, courtyard__community__street=street),
    }


def dashboard_panel(request, _obj):
    """District users: one row per street; street staff: per community; community members:
    their organisations. With this year's trainings."""
    if not _may_read(request):
        return None
    level = scope_of(request.user).level
    trainings = training_figures(request.user, timezone.localdate().year)
    if level == Level.COMMUNITY:
        return {
            "template": "councils/_community_panel.html",
            "organisations": organisations_with_state(request.user).order_by(
                "dissolved_on", "name"
            ),
            "trainings": trainings,
            **_outside_rule(request),
        }
    unit = "street" if level in (Level.ALL, Level.DISTRICT) else "community"
    rows = kept_council_rows(request.user, unit)
    band_set = any(row.band_set for row in rows)
    return {
        "template": "councils/_figures_panel.html",
        "unit": unit,
        "rows": rows,
        "totals": totals_of(rows),
        "band_set": band_set,
        "trainings": trainings,
        "filter": {},
        **_outside_rule(request, band_set),
    }


def public_panel(request, courtyard):
    """居务公开: the courtyard's published decisions, newest first, for residents without
    an account. Roles and figures only: no names, no attendance, no attachments."""
    meetings = public_decisions(courtyard)
    if not meetings:
        return None
    return {"template": "councils/_public_meetings.html", "meetings": meetings}
