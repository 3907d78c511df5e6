"""Admin changelists at city scale (portal.changelist): estimated counts above the
threshold, pages after the first read by key, filters from the visible units."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client

from courtyards.models import Courtyard, Street
from portal import changelist
from portal.generate import BENCH_DISTRICT_ADMIN, BENCH_SUPERUSER


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
    client = _client(BENCH_SUPERUSER)
    executed = []

    def record(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get("/admin/funds/expenditure/")
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
    client = _client(BENCH_SUPERUSER)
    executed = []

    def record(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get("/admin/courtyards/courtyard/")
    assert response.status_code == 200
    counted = 'FROM "courtyards_courtyard"'
    assert not [sql for sql in executed if "COUNT(" in sql.upper() and counted in sql]
    assert [sql for sql in executed if sql.startswith("EXPLAIN")]
    assert 0 < response.context["cl"].result_count <= 10 * Courtyard.objects.count()
