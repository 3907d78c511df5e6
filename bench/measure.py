"""Measurements against one generated database (DATABASE_URL), printed as JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_city .venv/bin/python \
        bench/measure.py pages|annual|export|import [--reps N]

Run by bench/run.py once per database and part; each part runs in its own process so that
peak memory is measured from a clean start. Times are medians of `--reps` runs after one
warm-up run; query counts come from the warm-up.
"""

import argparse
import gc
import io
import json
import logging
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # axes logs every login

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from portal.generate import (  # noqa: E402
    BENCH_COMMUNITY,
    BENCH_DISTRICT_ADMIN,
    BENCH_STREET,
    BENCH_SUPERUSER,
)

APPS = ["courtyards", "councils", "funds", "inspections", "concerns"]
ROLES = {
    "city": BENCH_SUPERUSER,
    "district": BENCH_DISTRICT_ADMIN,
    "street": BENCH_STREET,
    "community": BENCH_COMMUNITY,
}


def timed(function, reps):
    """(median seconds, queries of the warm-up run, result of the warm-up run)."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Django clears connection.queries at each request, so count through a wrapper.
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        result = function()
    if reps == 0:  # too slow to repeat: the one run is the measurement
        return time.perf_counter() - started, len(queries), result
    times = []
    for _rep in range(reps):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries), result


def user(name):
    return get_user_model().objects.get(username=name)


def client_for(name):
    client = Client()
    client.force_login(user(name))
    return client


def get(client, path):
    def fetch():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return fetch


def report_year():
    from django.utils import timezone

    return timezone.localdate().year - 1


def pages(reps):
    """The listed pages for each role: median time and query count. A page a role may not
    open (the community member's admin, another community's courtyard) is left out."""
    from django.db.models import F
    from django.db.models.functions import TruncDate

    from concerns.models import Concern
    from courtyards.models import Courtyard

    courtyard = Courtyard.objects.filter(community__street__district__code="510101").order_by(
        "community__street__code", "pk"
    )[0]
    # One concern every role sees (the community member's own community), all steps taken,
    # answered on a later day (as tests/portal/test_query_counts.py picks it).
    community = user(BENCH_COMMUNITY).role_assignment.community_id
    concern = (
        Concern.objects.filter(community=community, visited_at__isnull=False)
        .annotate(received_on=TruncDate("received_at"))
        .filter(answered_on__gt=F("received_on"))
        .order_by("-received_at", "-pk")[0]
    )
    results = []
    for role, username in ROLES.items():
        client = client_for(username)
        paths = {
            "dashboard": "/",
            "courtyard list": "/courtyards/",
            "courtyard list, page 40": "/courtyards/?page=40",
            "courtyard profile": f"/courtyards/{courtyard.pk}/",
            "concern register": "/concerns/",
            "concern register, page 40": "/concerns/?page=40",
            "concern register, overdue": "/concerns/?overdue=yes",
            "concern": f"/concerns/{concern.pk}/",
        }
        if role == "community":  # on duty today (concerns/generate.py): every open concern
            paths["my concerns (duty officer)"] = "/concerns/mine/"
        if role in ("city", "district"):
            for model in admin.site._registry:
                if model._meta.app_label in APPS:
                    name = f"admin {model._meta.app_label}.{model._meta.model_name}"
                    paths[name] = reverse(
                        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
                    )
        measured = []
        # Every page computed afresh: what a visit costs right after a record changed.
        with override_settings(FIGURES_CACHE_SECONDS=0):
            for label, path in paths.items():
                if client.get(path).status_code == 200:
                    measured.append((label, timed(get(client, path), reps)))
        # The dashboard as it is served again until a record changes (portal.scope_cache).
        client.get("/")
        measured.append(("dashboard, kept", timed(get(client, "/"), reps)))
        for label, (seconds, queries, _response) in measured:
            results.append({"role": role, "page": label, "seconds": seconds, "queries": queries})
            print(f"  {role:<9}{label:<36}{seconds * 1000:8.0f} ms {queries:4} q", file=sys.stderr)
    return results


def annual(reps):
    """The annual report page (city view and one street) against the SQL floor."""
    from bench import floor
    from courtyards.models import Street
    from portal.reports.figures import annual_report, report_date

    year = report_year()
    street = Street.objects.get(pk=user(BENCH_STREET).role_assignment.street_id)
    results = []
    for role, street_id in (("city", None), ("street", street.pk)):
        client = client_for(ROLES[role])
        path = f"/reports/annual/?year={year}"
        with override_settings(FIGURES_CACHE_SECONDS=0):  # computed afresh
            page_seconds, page_queries, _response = timed(get(client, path), reps)
        get(client, path)()  # computes and keeps the figures
        kept_seconds, kept_queries, _response = timed(get(client, path), reps)
        floor_seconds, floor_queries, (rows, totals, previous) = timed(
            lambda street_id=street_id: floor.report(
                year, report_date(year), report_date(year - 1), street_id
            ),
            reps,
        )
        report = annual_report(user(ROLES[role]), year)
        mismatches = [
            key
            for key in floor.KEYS
            if round(float(report.totals[key]), 2) != round(float(totals[key]), 2)
        ]
        results.append(
            {
                "role": role,
                "page_seconds": page_seconds,
                "page_queries": page_queries,
                "kept_seconds": kept_seconds,
                "kept_queries": kept_queries,
                "floor_seconds": floor_seconds,
                "floor_queries": floor_queries,
                "figures_agree": not mismatches,
                "mismatches": mismatches,
            }
        )
        print(f"  annual {role}: page {page_seconds:.3f}s kept {kept_seconds:.3f}s "
              f"floor {floor_seconds:.3f}s "
              f"mismatches {mismatches}", file=sys.stderr)  # fmt: skip
    return results


def _naive_workbook(username, year):
    """The same rows through django-import-export's default path: a ModelResource per sheet's
    model, exported to tablib datasets, a databook, then xlsx (all in memory): the
    courtyards, the organisations (自治组织: one row each), the streets (专项资金 by
    category: one row each) and the inspections."""
    import tablib
    from import_export.resources import modelresource_factory

    from courtyards.models import Street
    from inspections.models import Inspection
    from portal.reports.figures import organisation_rows
    from portal.reports.workbook import CourtyardsSheet

    account = user(username)
    querysets = [
        CourtyardsSheet(account, year).base,
        organisation_rows(account, year),
        Street.objects.visible_to(account),
        Inspection.objects.visible_to(account).filter(assignment__campaign__year=year).current(),
    ]
    book = tablib.Databook()
    for queryset in querysets:
        # Related rows joined in, as the admin's export does with list_select_related.
        queryset = queryset.select_related()
        dataset = modelresource_factory(queryset.model)().export(queryset=queryset)
        dataset.title = queryset.model._meta.model_name
        book.add_sheet(dataset)
    return book.export("xlsx")


def _portal_workbook(username, year):
    from portal.reports.workbook import workbook_download

    response = workbook_download(user(username), year)
    # Read as a client would: chunk by chunk (the file is spooled on disk, never in memory).
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def _asked_in_request(username, year):
    """The superuser's 下载Excel工作簿 as the portal answers it: at city scale a redirect to
    the export job's page (docs/exports.md), the workbook left to the worker. Rolled back."""
    from django.db import transaction

    client = client_for(username)
    with transaction.atomic():
        response = client.get(f"/reports/annual/?year={year}&format=xlsx")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response.status_code


def _peak(function, *args):
    gc.collect()
    tracemalloc.start()
    function(*args)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def export(reps):
    """The annual workbook (city view) against the naive export of the same rows."""
    year = report_year()
    portal_seconds, portal_queries, content = timed(
        lambda: _portal_workbook(BENCH_SUPERUSER, year), reps
    )
    naive_seconds, naive_queries, naive = timed(
        lambda: _naive_workbook(BENCH_SUPERUSER, year), reps
    )
    request_seconds, _queries, request_status = timed(
        lambda: _asked_in_request(BENCH_SUPERUSER, year), reps
    )
    result = {
        "request_seconds": request_seconds,
        "request_status": request_status,
        "portal_seconds": portal_seconds,
        "portal_bytes": content,
        "naive_seconds": naive_seconds,
        "naive_bytes": len(naive),
        "portal_peak": _peak(_portal_workbook, BENCH_SUPERUSER, year),
        "naive_peak": _peak(_naive_workbook, BENCH_SUPERUSER, year),
    }
    print(f"  export {result}", file=sys.stderr)
    return result


def import_(reps):
    """Importing 20,000 new people: the portal's import against the default one. Each run
    is rolled back, so the database stays as generated."""
    from bench import importfile

    account = user(BENCH_SUPERUSER)
    content = importfile.people_workbook(20000)
    results = {}
    for label, run in importfile.PATHS.items():

        def once(run=run):
            with transaction.atomic():
                result = run(account, io.BytesIO(content))
                transaction.set_rollback(True)
            return result

        seconds, queries, result = timed(once, 0)
        results[label] = {"seconds": seconds, "queries": queries, "rows": result}
        print(f"  import {label}: {seconds:.1f}s {queries} q {result}", file=sys.stderr)
    return results


PARTS = {"pages": pages, "annual": annual, "export": export, "import": import_}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=sorted(PARTS))
    parser.add_argument("--reps", type=int, default=5)
    options = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)
    print(json.dumps(PARTS[options.part](options.reps)))


if __name__ == "__main__":
    main()
