"""The pages that gather every app: the dashboard and the public courtyard page (居务公开).

They sit in the top layer with the annual report: the courtyards' figures come from
courtyards, what other apps add comes through their panels (portal.navigation.panels_for)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from councils.selectors.meetings import my_courtyards
from courtyards.models import Community, Courtyard
from courtyards.selectors import kept_courtyard_rows, totals, totals_of
from portal.access import scope_of
from portal.navigation import panels_for
from portal.roles import Level
from portal.scope_cache import cached_for_scope, kept_for_session


@login_required
@kept_for_session
def dashboard(request):
    """The user's scope at a glance: one row per street (district users), per community
    (street staff) or per courtyard (community members), with a 合计 row. The figures are
    rendered once per role and unit, the page once per session, and both kept until a
    record changes (portal.scope_cache)."""
    level = scope_of(request.user).level
    if level == Level.NONE:
        return render(request, "portal/no_role.html", status=403)
    figures, computed_at = cached_for_scope(
        "dashboard",
        request.user,
        lambda: render_to_string(
            "portal/_dashboard_figures.html", _figures(request, level), request
        ),
    )
    return render(
        request, "portal/dashboard.html", {"figures": figures, "computed_at": computed_at}
    )


def _figures(request, level):
    user = request.user
    context = {"level": level}
    if level in (Level.ALL, Level.DISTRICT, Level.STREET):
        unit = "community" if level == Level.STREET else "street"
        context["rows"] = kept_courtyard_rows(user, unit)
        context["totals"] = totals_of(context["rows"], unit)
    else:
        courtyards = Courtyard.objects.visible_to(user)
        context["totals"] = totals(courtyards, Community.objects.visible_to(user))
        context["courtyards"] = courtyards.open().select_related("community")
        context["record_meeting"] = _record_meeting_url(user)
    context["show_communities"] = level != Level.COMMUNITY  # "1 community" says nothing
    context["panels"] = panels_for("dashboard", request, None)
    return context


def _record_meeting_url(user):
    """A community member's shortcut to record a meeting: straight to the form when they
    have one courtyard with an organisation, else to their courtyards to pick one."""
    if not user.has_perm("councils.add_meeting"):
        return None
    ids = list(my_courtyards(user).values_list("pk", flat=True)[:2])
    if not ids:
        return None
    if len(ids) == 1:
        return f"{reverse('councils:meeting_add')}?courtyard={ids[0]}"
    return reverse("councils:meetings")


def public_community(request, pk):
    """A community's public page: what it has published of its own (社区本级), such as the
    use of the special fund paid directly to it. Apps add sections through their
    "public_community" panels, which carry no personal data; a community with nothing
    published is not found."""
    community = get_object_or_404(Community.objects.select_related("street"), pk=pk)
    panels = panels_for("public_community", request, community)
    if not panels:
        raise Http404
    return render(
        request, "portal/public_community.html", {"community": community, "panels": panels}
    )


def public_courtyard(request, pk):
    """居务公开: what a courtyard has published, for residents without an account.

    Apps add sections through their "public" panels, which must carry no personal data;
    a courtyard with nothing published is not found. A panel marked `"publishes": False`
    (the concerns' counts) is shown beside what is published but does not by itself make
    the page exist."""
    courtyard = get_object_or_404(Courtyard.objects.select_related("community__street"), pk=pk)
    panels = panels_for("public", request, courtyard)
    if not any(panel.get("publishes", True) for panel in panels):
        raise Http404
    return render(
        request, "portal/public_courtyard.html", {"courtyard": courtyard, "panels": panels}
    )
