"""The pages listed in the benchmark (bench/run.py) run the same number of queries whatever
the amount of data: measured on two generated scales and pinned."""

import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.db.models.functions import TruncDate
from django.test import Client
from django.urls import reverse

from concerns.models import Concern
from courtyards.models import Courtyard
from portal.generate import BENCH_COMMUNITY, BENCH_DISTRICT_ADMIN, BENCH_STREET, BENCH_SUPERUSER

TODAY = datetime.date(2026, 11, 22)
APPS = ["courtyards", "councils", "funds", "inspections", "concerns"]
ACCOUNTS = (
    ("city", BENCH_SUPERUSER),
    ("district", BENCH_DISTRICT_ADMIN),
    ("street", BENCH_STREET),
    ("community", BENCH_COMMUNITY),
)


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _queries(client, path):
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, path
    return len(executed)


def _a_concern(community):
    """The community's latest concern with every step taken, answered on a later day than
    received (the page counts that answer's working days from the calendar: one query)."""
    return (
        Concern.objects.filter(community=community, visited_at__isnull=False)
        .annotate(received_on=TruncDate("received_at"))
        .filter(answered_on__gt=F("received_on"))
        .order_by("-received_at", "-pk")
        .first()
    )


def _counts():
    courtyard = Courtyard.objects.order_by("pk").first()  # of the community member's community
    concern = _a_concern(courtyard.community_id)
    counts = {}
    for role, username in ACCOUNTS:
        client = _client(username)
        paths = {
            "dashboard": "/",
            "courtyard list": "/courtyards/",
            "courtyard": f"/courtyards/{courtyard.pk}/",
            "concern register": "/concerns/",
            "concern register, overdue": "/concerns/?overdue=yes",
            "concern": f"/concerns/{concern.pk}/",
        }
        if role == "community":
            paths["my concerns"] = "/concerns/mine/"
        else:
            paths["annual report"] = "/reports/annual/?year=2025"
        if role in ("city", "district"):
            for model in admin.site._registry:
                if model._meta.app_label in APPS:
                    meta = model._meta
                    paths[f"admin {meta.model_name}"] = reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_changelist"
                    )
        for label, path in paths.items():
            client.get(path)  # caches that fill once per process (content types, sessions)
            counts[(role, label)] = _queries(client, path)
    return counts


@pytest.mark.parametrize("scale", ["tiny", "small"])
def test_pages_run_the_pinned_queries_at_every_scale(db, settings, scale):
    settings.FIGURES_CACHE_SECONDS = 0  # count what computing the figures costs
    call_command("seed_city", scale=scale, quiet=True, today=TODAY, stdout=io.StringIO())
    counts = _counts()
    assert {f"{role}|{page}": n for (role, page), n in counts.items()} == _expected()


@pytest.mark.parametrize("scale", ["tiny", "small"])
def test_kept_figures_cost_the_same_few_queries_at_every_scale(db, scale):
    call_command("seed_city", scale=scale, quiet=True, today=TODAY, stdout=io.StringIO())
    counts = {}
    for role, username in ACCOUNTS:
        client = _client(username)
        paths = ("/",) if role == "community" else ("/", "/reports/annual/?year=2025")
        for path in paths:
            client.get(path)  # the figures, and the page with a new CSRF cookie
            client.get(path)  # the dashboard's page for this session and cookie
            counts[f"{role}|{path}"] = _queries(client, path)
    assert counts == {  # the dashboard: session and user
        "city|/": 2,
        "city|/reports/annual/?year=2025": 3,
        "district|/": 2,
        "district|/reports/annual/?year=2025": 5,
        "street|/": 2,
        "street|/reports/annual/?year=2025": 5,
        "community|/": 2,
    }


def _expected():
    if connection.vendor != "postgresql":
        return PINNED
    return {key: n + key.split("|")[1].startswith("admin ") for key, n in PINNED.items()}


PINNED = {  # on SQLite; PostgreSQL adds the changelists' table size check (one query)
    "city|dashboard": 19,  # computing the kept community rows (the first visit)
    "city|courtyard list": 8,
    "city|courtyard": 20,  # and its honours (commendations panel)
    "city|annual report": 22,  # computing the kept community rows of both years (first visit)
    "city|admin district": 5,
    "city|admin street": 6,
    "city|admin community": 6,
    "city|admin courtyard": 7,
    "city|admin organisation": 7,
    "city|admin coverage": 6,
    "city|admin body": 5,
    "city|admin term": 6,
    "city|admin membership": 6,
    "city|admin person": 7,  # and its line in the personal data audit
    "city|admin election": 7,
    "city|admin evaluation": 5,
    "city|admin inquiry": 5,
    "city|admin recall": 5,
    "city|admin training": 8,
    "city|admin researchvisit": 9,  # all in one month: the date drill-down lists its days as
    # Django does, which asks the first and last dates again
    "city|admin meeting": 7,
    "city|admin motion": 5,
    "city|admin attendance": 5,
    "city|admin attachment": 5,
    "city|admin revision": 5,
    "city|admin objection": 5,
    "city|admin districtrules": 5,
    "city|admin fundrate": 6,
    "city|admin allocation": 7,
    "city|admin project": 7,
    "city|admin expenditure": 8,  # and its line in the personal data audit
    "city|admin income": 7,
    "city|admin ownexpenditure": 8,  # and its line in the personal data audit
    "city|admin criteriatemplate": 6,
    "city|admin criteriaarea": 6,
    "city|admin criteriaitem": 6,
    "city|admin campaign": 6,
    "city|admin campaignarea": 6,
    "city|admin inspectiongroup": 6,
    "city|admin assignment": 8,
    "city|admin inspection": 10,
    "city|admin rectification": 7,
    "city|admin progressnote": 5,
    "city|admin bulletin": 5,
    "city|concern register": 9,  # the rows; the totals (which count them for the paging) are
    # the kept rows of the communities in scope: the communities, their rows
    "city|concern register, overdue": 9,
    "city|concern": 10,  # and its photos, the link form's motions, rectifications, projects
    "city|admin calendarday": 7,
    "city|admin responsedeadlines": 5,
    "city|admin concern": 9,
    "city|admin dutyroster": 8,
    "district|dashboard": 21,  # adding up the kept rows the city's visit computed
    "district|courtyard list": 10,
    "district|courtyard": 22,
    "district|annual report": 24,  # adding up the kept rows the city's visit computed
    "district|admin district": 7,
    "district|admin street": 8,
    "district|admin community": 8,
    "district|admin courtyard": 9,
    "district|admin organisation": 9,
    "district|admin coverage": 8,
    "district|admin body": 7,
    "district|admin term": 8,
    "district|admin membership": 8,
    "district|admin person": 9,
    "district|admin election": 9,
    "district|admin evaluation": 7,
    "district|admin inquiry": 7,
    "district|admin recall": 7,
    "district|admin training": 10,
    "district|admin researchvisit": 11,
    "district|admin meeting": 9,
    "district|admin motion": 7,
    "district|admin attendance": 7,
    "district|admin attachment": 7,
    "district|admin revision": 7,
    "district|admin objection": 7,
    "district|admin districtrules": 7,
    "district|admin fundrate": 8,
    "district|admin allocation": 9,
    "district|admin project": 9,
    "district|admin expenditure": 10,
    "district|admin income": 9,
    "district|admin ownexpenditure": 10,
    "district|admin criteriatemplate": 8,
    "district|admin criteriaarea": 8,
    "district|admin criteriaitem": 8,
    "district|admin campaign": 8,
    "district|admin campaignarea": 8,
    "district|admin inspectiongroup": 8,
    "district|admin assignment": 10,
    "district|admin inspection": 12,
    "district|admin rectification": 9,
    "district|admin progressnote": 7,
    "district|admin bulletin": 7,
    "district|concern register": 11,
    "district|concern register, overdue": 11,
    "district|concern": 9,  # no link form: the concern is the community's to act on
    "district|admin calendarday": 9,
    "district|admin responsedeadlines": 7,
    "district|admin concern": 11,
    "district|admin dutyroster": 10,
    "street|dashboard": 17,
    "street|courtyard list": 10,
    "street|courtyard": 22,
    "street|annual report": 16,
    "street|concern register": 11,
    "street|concern register, overdue": 11,
    "street|concern": 12,
    "community|dashboard": 19,
    "community|courtyard list": 10,
    "community|courtyard": 22,
    "community|concern register": 11,
    "community|concern register, overdue": 11,
    "community|concern": 12,
    "community|my concerns": 7,  # on duty today (concerns/generate.py)
}
