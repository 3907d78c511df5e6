"""Rectification pages: the list, figures by street and community, reporting and verifying."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from inspections import services
from inspections.models import ProgressNote, Rectification
from tests.inspections.factories import days_ago, problem, record

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def items(insp, people, geo):
    """锦里12号院 (A1): one overdue; 洗面桥3号院 (A2): one due later; 九眼桥花园 (B1): one done."""
    a1 = record(insp.a1, 40, 10, 10, by=people.inspector, days=20)
    a2 = record(insp.a2, 40, 10, 10, by=people.inspector, days=2)
    b1 = record(insp.b1, 40, 10, 10, by=insp.outsider, days=20)
    overdue = problem(a1, people.inspector, deadline_in=5, text="会议记录缺失")
    later = problem(a2, people.inspector, deadline_in=30, text="公示栏未更新")
    done = problem(b1, insp.outsider, deadline_in=5, text="消防通道堵塞")
    services.rectification_report(
        rectification=done, noted_on=days_ago(1), text="已清理", done=True, by=people.street_b
    )
    return {"overdue": overdue, "later": later, "done": done}


def test_the_list_shows_what_is_not_yet_verified_with_overdue_marked(items, people, login):
    response = login(people.district_staff).get(reverse("inspections:rectifications"))
    rows = {r.problem: r for r in response.context["page"]}
    assert set(rows) == {"会议记录缺失", "公示栏未更新", "消防通道堵塞"}
    assert rows["会议记录缺失"].is_overdue and not rows["公示栏未更新"].is_overdue
    figures = response.context["figures"]
    assert (figures["total"], figures["overdue"], figures["awaiting"]) == (3, 1, 1)
    assert 'class="overdue"' in response.content.decode()


def test_the_list_filters_overdue_items(items, people, login):
    response = login(people.district_staff).get(
        reverse("inspections:rectifications"), {"state": "overdue"}
    )
    assert [r.problem for r in response.context["page"]] == ["会议记录缺失"]


def test_a_community_member_sees_only_their_communitys_items(items, people, login):
    response = login(people.community).get(reverse("inspections:rectifications"))
    assert [r.problem for r in response.context["page"]] == ["会议记录缺失"]
    client = login(people.community)
    assert client.get(items["overdue"].get_absolute_url()).status_code == 200
    assert client.get(items["later"].get_absolute_url()).status_code == 404
    assert client.get(items["done"].get_absolute_url()).status_code == 404


def test_an_inspector_outside_the_group_gets_404_on_its_items(items, insp, login):
    client = login(insp.outsider)
    assert client.get(items["overdue"].get_absolute_url()).status_code == 404
    assert client.get(items["done"].get_absolute_url()).status_code == 200


def test_the_figures_by_street_add_up_to_their_total(items, people, login):
    response = login(people.district_staff).get(reverse("inspections:rectification_overview"))
    rows = {row.name: row for row in response.context["rows"]}
    assert (rows["浆洗街街道"].total, rows["浆洗街街道"].overdue) == (2, 1)
    assert (rows["望江路街道"].total, rows["望江路街道"].awaiting) == (1, 1)
    totals = response.context["totals"]
    for figure in ["total", "unfinished", "overdue", "awaiting", "verified"]:
        assert totals[figure] == sum(getattr(row, figure) for row in rows.values())


def test_street_staff_see_figures_by_community_of_their_street(items, people, login):
    response = login(people.street_a).get(reverse("inspections:rectification_overview"))
    assert response.context["unit"] == "community"
    assert {row.name: row.total for row in response.context["rows"]} == {
        "锦里社区": 1,
        "洗面桥社区": 1,
    }
    assert response.context["totals"]["total"] == 2


def test_the_community_reports_progress_with_evidence(items, people, login):
    rect = items["overdue"]
    client = login(people.community)
    page = client.get(rect.get_absolute_url()).content.decode()
    assert "报送整改进展" in page and "复核整改情况" not in page
    response = client.post(
        reverse("inspections:rectification_report", args=[rect.pk]),
        {
            "noted_on": days_ago(0).isoformat(),
            "text": "已补齐会议记录",
            "evidence": SimpleUploadedFile("记录.pdf", b"%PDF-1.7\n"),
            "done": "on",
        },
    )
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.status == "done"
    note = ProgressNote.objects.get(rectification=rect)
    evidence = client.get(reverse("inspections:evidence", args=[note.pk]))
    assert evidence["Content-Type"] == "application/pdf"
    assert (
        login(people.street_b).get(reverse("inspections:evidence", args=[note.pk])).status_code
        == 404
    )


def test_a_report_without_words_is_refused_next_to_the_field(items, people, login):
    rect = items["overdue"]
    response = login(people.community).post(
        reverse("inspections:rectification_report", args=[rect.pk]),
        {"noted_on": days_ago(0).isoformat(), "text": ""},
    )
    assert response.status_code == 400
    assert response.context["report_form"].errors["text"] == ["这个字段是必填项。"]
    assert not ProgressNote.objects.filter(rectification=rect).exists()


def test_the_inspector_verifies_and_closes_an_item_reported_done(items, insp, login):
    rect = items["done"]
    client = login(insp.outsider)
    response = client.post(
        reverse("inspections:rectification_verify", args=[rect.pk]),
        {"decision": "return", "noted_on": days_ago(0).isoformat(), "note": ""},
    )
    assert response.status_code == 400
    assert response.context["verify_form"].errors["note"] == ["请说明退回整改的原因。"]
    client.post(
        reverse("inspections:rectification_verify", args=[rect.pk]),
        {"decision": "accept", "noted_on": days_ago(0).isoformat(), "note": ""},
    )
    rect.refresh_from_db()
    assert rect.status == "verified" and rect.verified_by == insp.outsider


def test_communities_cannot_verify_and_inspectors_cannot_report(items, insp, people, login):
    done = items["done"]
    assert (
        login(people.street_b)
        .post(
            reverse("inspections:rectification_verify", args=[done.pk]),
            {"decision": "accept", "noted_on": days_ago(0).isoformat()},
        )
        .status_code
        == 403
    )
    overdue = items["overdue"]
    assert (
        login(people.inspector)
        .post(
            reverse("inspections:rectification_report", args=[overdue.pk]),
            {"noted_on": days_ago(0).isoformat(), "text": "x"},
        )
        .status_code
        == 403
    )
    assert Rectification.objects.get(pk=done.pk).status == "done"


def test_the_list_exports_to_excel_within_the_scope(items, people, login):
    response = login(people.street_a).get(
        reverse("inspections:rectifications"), {"format": "xlsx", "state": "all"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(min_row=4, values_only=True))
    assert rows[0][:4] == ("序号", "街道", "责任社区", "督查对象")
    problems = {row[5]: row for row in rows[1:-1]}
    assert set(problems) == {"会议记录缺失", "公示栏未更新"}
    assert problems["会议记录缺失"][8] == "是"
    assert rows[-1][0] == "合计" and rows[-1][8] == "逾期1项"
