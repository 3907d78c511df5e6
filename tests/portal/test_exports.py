"""Long exports off the request (issue 19, point 3; docs/exports.md).

With BACKGROUND_EXPORT_COURTYARDS at 3, the test district (4 courtyards) is large and street A
(3 courtyards) small. Jobs are queued in the test database by django-tasks' database backend
and run by its worker, in-process (`db_worker --batch`: every queued task, then it stops).
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal import exports
from portal.models import ExportJob, PersonalDataAccess
from portal.reports import workbook as annual
from tests.councils.factories import PersonFactory

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.BACKGROUND_EXPORT_COURTYARDS = 3
    settings.BACKGROUND_EXPORT_ROWS = 2


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """The worker closes connections Django would drop after a request; inside a test's
    transaction (autocommit off) that is the test's own connection on PostgreSQL."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command("db_worker", batch=True, verbosity=0)


def values(book):
    """Every cell of every sheet, but for the time of generation (row 2)."""
    return {
        sheet.title: [row for n, row in enumerate(sheet.iter_rows(values_only=True)) if n != 1]
        for sheet in book.worksheets
    }


def ask_workbook(client):
    return client.get(reverse("annual_report"), {"year": YEAR, "format": "xlsx"})


def test_a_district_workbook_becomes_a_job_and_is_not_written_in_the_request(
    people, login, monkeypatch
):
    written = []
    monkeypatch.setattr(annual, "annual_sheets", lambda *a: written.append(a) or [])
    client = login(people.district_staff)
    with CaptureQueriesContext(connection) as queries:
        response = ask_workbook(client)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert not written  # the workbook's sheets were not even made
    assert len(queries) < 25
    assert (job.user, job.kind, job.params, job.status) == (
        people.district_staff,
        "annual_workbook",
        {"year": YEAR},
        ExportJob.Status.QUEUED,
    )
    assert job.scope == "武侯区"


def test_the_job_writes_the_same_workbook_as_the_immediate_download(people, login, settings):
    client = login(people.district_staff)
    ask_workbook(client)
    job = ExportJob.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert (job.sheets_done, job.sheets_total) == (8, 8)
    assert job.started_at and job.finished_at
    assert job.file.name.startswith("exports/")
    assert job.filename == f"武侯区{YEAR}年度院落自治工作报告.xlsx"
    response = client.get(reverse("export_file", args=[job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    from_job = load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    settings.BACKGROUND_EXPORT_COURTYARDS = 100
    immediate = ask_workbook(client)
    assert immediate.status_code == 200
    at_once = load_workbook(io.BytesIO(b"".join(immediate.streaming_content)))
    assert from_job.sheetnames == at_once.sheetnames == annual_sheet_names()
    assert values(from_job) == values(at_once)


def annual_sheet_names():
    return ["总览", "分街道", "分社区", "院落明细", "自治组织", "专项资金", "督查结果", "民情诉求"]


def test_the_job_page_shows_progress_then_the_download(people, login):
    client = login(people.district_staff)
    job_url = ask_workbook(client)["Location"]
    page = client.get(job_url)
    html = page.content.decode()
    assert 'data-refresh="3"' in html and "export_job.js" in html
    assert "<progress" in html and "等待" in html
    assert "下载" not in html.split("<main")[1]

    job = ExportJob.objects.get()
    job.status, job.sheets_total, job.sheets_done, job.rows_done = "running", 7, 3, 1200
    job.save()
    html = client.get(job_url).content.decode()
    assert 'data-refresh="3"' in html and "export_job.js" in html
    assert "已写" in html and "1,200" in html

    job.status, job.sheets_done = "queued", 0
    job.save()
    run_worker()
    html = client.get(job_url).content.decode()
    assert "data-refresh" not in html and "export_job.js" not in html
    assert reverse("export_file", args=[job.pk]) in html
    listing = client.get(reverse("export_list")).content.decode()
    assert job_url in listing and reverse("export_file", args=[job.pk]) in listing
    assert 'class="table-wrap" tabindex="0"' in listing
    # The header links every page to the list.
    assert reverse("export_list") in client.get(reverse("dashboard")).content.decode()


def test_another_user_meets_404_for_the_job_and_its_file(people, login, admin_user):
    ask_workbook(login(people.district_staff))
    job = ExportJob.objects.get()
    run_worker()
    for other in (people.district_admin, people.street_a):
        client = login(other)
        assert client.get(reverse("export_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("export_file", args=[job.pk])).status_code == 404
        assert job.title not in client.get(reverse("export_list")).content.decode()
    superuser = login(admin_user)
    assert superuser.get(reverse("export_job", args=[job.pk])).status_code == 200
    assert superuser.get(reverse("export_file", args=[job.pk])).status_code == 200


def test_the_file_is_offered_only_once_written(people, login):
    client = login(people.district_staff)
    ask_workbook(client)
    job = ExportJob.objects.get()
    assert client.get(reverse("export_file", args=[job.pk])).status_code == 404


def test_a_failing_job_shows_its_failure_in_chinese(people, login, monkeypatch):
    def broken(user, report):
        raise RuntimeError("boom")

    monkeypatch.setattr(annual, "annual_sheets", broken)
    client = login(people.district_staff)
    job_url = ask_workbook(client)["Location"]
    run_worker()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    assert not job.file
    html = client.get(job_url).content.decode()
    assert "失败" in html and "RuntimeError" in html and f"{job.pk}" in html
    assert "文件未能生成" in job.error
    assert "data-refresh" not in html and "export_job.js" not in html


def test_a_street_user_still_gets_the_file_at_once(people, login):
    response = ask_workbook(login(people.street_a))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_a_long_people_list_goes_to_the_background_with_its_filters(geo, people, login):
    for n in range(3):
        PersonFactory(courtyard=geo.courtyard_a1, name=f"张{n}")
    PersonFactory(courtyard=geo.courtyard_b1, name="李四")
    client = login(people.district_admin)
    asked = {"format": "xlsx", "status": "all", "community": geo.community_a1.pk}
    response = client.get(reverse("councils:people"), asked)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("export_job", args=[job.pk])
    assert job.kind == "people" and job.rows_total == 3
    assert "format" not in job.params["query"]
    assert PersonalDataAccess.objects.filter(action="export", records=3).exists()
    run_worker()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_done == 3
    book = load_workbook(job.file.path)
    names = [row[4] for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)]
    assert names == ["张0", "张1", "张2"]
    # A short list is still written at once.
    short = client.get(reverse("councils:people"), {**asked, "community": geo.community_b1.pk})
    assert short.status_code == 200 and ExportJob.objects.count() == 1


def test_old_jobs_and_their_files_are_pruned(people, login):
    ask_workbook(login(people.district_staff))
    run_worker()
    job = ExportJob.objects.get()
    path = job.file.path
    call_command("prune_exports", days=7, stdout=io.StringIO())
    assert ExportJob.objects.exists()
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timezone.timedelta(days=8),
        created_at=timezone.now() - timezone.timedelta(days=8),
    )
    assert exports.prune(7) == 1
    assert not ExportJob.objects.exists()
    assert not Path(path).exists()
