"""Sections the concerns app adds to shared pages (see portal.navigation): the year's figures
on the dashboard, and a courtyard's counts on its public page. A fixed number of queries
whatever the data (concerns.figures)."""

from django.utils import timezone

from concerns.figures import BY_KEY as FIGURES_BY_KEY
from concerns.figures import PUBLIC_MIN_VISITS, concern_table, courtyard_counts, display


def dashboard_panel(request, _obj):
    """This year's figures per street (district users) or community (street staff, community
    members), with the 合计."""
    user = request.user
    if not user.has_perm("concerns.view_concern"):
        return None
    return {
        "template": "concerns/panels/dashboard.html",
        "table": concern_table(user, timezone.localdate().year),
    }


def public_panel(request, courtyard):
    """居务公开: this year's counts for the courtyard, nothing about any resident. It does not
    by itself publish a courtyard (`publishes`): a courtyard with nothing else published
    stays not found, so its page does not come to exist for the sake of a few counts."""
    counts = courtyard_counts(courtyard)
    counts["satisfied_rate_shown"] = display(
        counts["satisfied_rate"], FIGURES_BY_KEY["satisfied_rate"]
    )
    return {
        "template": "concerns/panels/public.html",
        "counts": counts,
        "min_visits": PUBLIC_MIN_VISITS,
        "publishes": False,
    }
