"""Admin changelists at city scale (portal.changelist): estimated counts above the
threshold, every page's rows picked by key, filters from the visible units, and the date
drill-down (portal.templatetags.portal_admin) without a DISTINCT over every row."""

import datetime
import html
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from concerns.models import Concern
from councils.models import Meeting
from courtyards.models import Courtyard, Street
from portal import changelist
from portal.generate import BENCH_DISTRICT_ADMIN, BENCH_STREET, BENCH_SUPERUSER


@pytest.fixture
def city(db):
    call_command(
        "seed_city", scale="small", quiet=True, today=datetime.date(2026, 11, 22),
        stdout=io.StringIO(),
    )  # fmt: skip


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _executed(client, path):
    """The response to `path`, and the SQL of every query it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [query["sql"] for query in captured.captured_queries]


def _names(response):
    return [str(row) for row in response.context["cl"].result_list]


def test_a_later_page_lists_the_rows_of_that_page_in_order(city):
    client = _client(BENCH_SUPERUSER)
    first = client.get("/admin/courtyards/courtyard/")
    second = client.get("/admin/courtyards/courtyard/?p=2")
    ordered = first.context["cl"].queryset
    assert _names(first) == [str(c) for c in ordered[:50]]
    assert [c.pk for c in second.context["cl"].result_list] == [c.pk for c in ordered[50:100]]
    assert second.context["cl"].result_count == Courtyard.objects.count()


def test_street_filter_offers_only_the_streets_the_user_may_see(city):
    admin_user = get_user_model().objects.get(username=BENCH_DISTRICT_ADMIN)
    district = admin_user.role_assignment.district
    response = _client(BENCH_DISTRICT_ADMIN).get("/admin/courtyards/courtyard/")
    street_filter = next(
        spec for spec in response.context["cl"].filter_specs
        if spec.field_path == "community__street"
    )  # fmt: skip
    offered = {pk for pk, _name in street_filter.lookup_choices}
    assert offered == set(Street.objects.filter(district=district).values_list("pk", flat=True))
    assert offered != set(Street.objects.values_list("pk", flat=True))


def test_year_filter_reads_no_table(city):
    response, executed = _executed(_client(BENCH_SUPERUSER), "/admin/funds/expenditure/")
    assert not [sql for sql in executed if "DISTINCT" in sql and '"year"' in sql]
    year_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.field_path == "year"
    )
    assert 2025 in year_filter.lookup_choices


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_above_the_threshold_the_count_is_the_planners_estimate(city, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE courtyards_courtyard")
    monkeypatch.setattr(changelist, "ESTIMATE_ABOVE", 10)
    response, executed = _executed(_client(BENCH_SUPERUSER), "/admin/courtyards/courtyard/")
    assert response.status_code == 200
    counted = 'FROM "courtyards_courtyard"'
    assert not [sql for sql in executed if "COUNT(" in sql.upper() and counted in sql]
    assert [sql for sql in executed if sql.startswith("EXPLAIN")]
    assert 0 < response.context["cl"].result_count <= 10 * Courtyard.objects.count()


def _drill_down(response):
    """The date drill-down above the list, as the user reads it: [(link text, href)]."""
    nav = re.search(r'<nav class="toplinks">(.*?)</nav>', response.content.decode(), re.S)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav[1])
    return [(html.unescape(text).strip(), html.unescape(href)) for href, text in links]


def _with_distinct_dates(client, path):
    response, executed = _executed(client, path)
    assert response.status_code == 200
    distinct = [sql for sql in executed if "DISTINCT" in sql and "TRUNC" in sql.upper()]
    return response, distinct


def test_the_concerns_date_drill_down_offers_the_local_years_months_and_days_that_hold_rows(city):
    # Received in the first minutes of 2031 in Beijing, still 2030 in UTC; none in 2027-2030.
    newest = Concern.objects.order_by("-received_at").first()
    new_year = timezone.make_aware(datetime.datetime(2031, 1, 1, 0, 30))
    Concern.objects.filter(pk=newest.pk).update(received_at=new_year)
    local = [timezone.localtime(at) for at in Concern.objects.values_list("received_at", flat=True)]
    client = _client(BENCH_SUPERUSER)

    years, distinct = _with_distinct_dates(client, "/admin/concerns/concern/")
    assert [text for text, _href in _drill_down(years)] == [
        str(year) for year in sorted({at.year for at in local})
    ]
    assert "2031" in dict(_drill_down(years)) and "2030" not in dict(_drill_down(years))
    assert not distinct  # the years are found without a DISTINCT over every concern

    year = min(at.year for at in local)
    months, distinct = _with_distinct_dates(
        client, "/admin/concerns/concern/" + dict(_drill_down(years))[str(year)]
    )
    links = _drill_down(months)
    assert links[0][0].endswith("所有日期")
    assert [text for text, _href in links[1:]] == [
        f"{year}年{month}月" for month in sorted({at.month for at in local if at.year == year})
    ]
    assert not distinct

    month = min(at.month for at in local if at.year == year)
    days = client.get("/admin/concerns/concern/" + links[1][1])
    assert [text for text, _href in _drill_down(days)][1:] == [
        f"{month:02d}月{day}日"  # Django's MONTH_DAY_FORMAT for zh_Hans
        for day in sorted({at.day for at in local if (at.year, at.month) == (year, month)})
    ]
    assert len(days.context["cl"].result_list) > 0


def test_the_meetings_date_drill_down_offers_only_the_years_of_the_users_own_meetings(city):
    user = get_user_model().objects.get(username=BENCH_STREET)
    street = user.role_assignment.street
    own = Meeting.objects.filter(organisation__community__street=street)
    elsewhere = Meeting.objects.exclude(pk__in=own.values("pk")).filter(status="draft").first()
    Meeting.objects.filter(pk=elsewhere.pk).update(held_on=datetime.date(2031, 6, 1))
    response, distinct = _with_distinct_dates(_client(BENCH_STREET), "/admin/councils/meeting/")
    assert [text for text, _href in _drill_down(response)] == [
        str(year) for year in sorted({day.year for day in own.values_list("held_on", flat=True)})
    ]
    assert not distinct


def test_a_mistyped_year_far_ahead_is_listed_with_the_others(city):
    newest = Concern.objects.order_by("-received_at").first()
    typo = timezone.make_aware(datetime.datetime(2206, 3, 1, 9, 0))
    Concern.objects.filter(pk=newest.pk).update(received_at=typo)
    years = {
        timezone.localtime(at).year for at in Concern.objects.values_list("received_at", flat=True)
    }
    response = _client(BENCH_SUPERUSER).get("/admin/concerns/concern/")
    assert [text for text, _href in _drill_down(response)] == [str(year) for year in sorted(years)]
