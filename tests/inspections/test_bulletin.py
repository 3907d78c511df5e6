"""The district bulletin: its figures against hand-counted data, the ranking of streets, the
freeze on publication, and its page, print page and workbook."""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from inspections import selectors, services
from inspections.models import Bulletin
from tests.inspections.factories import days_ago, problem, record, scores_for


@pytest.fixture
def closed(insp, people):
    """Hand-counted campaign (full marks 100, commend ≥ 90, criticise < 60, streets ranked
    from 2 courtyards):

    锦里12号院 (street A): 60 then re-inspected 91 → commend (counts 91)
    洗面桥3号院 (street A): 50 → criticise, two problems: one overdue, one verified
    锦里社区 itself (street A): 80 → pass
    九眼桥花园 (street B): 90 → commend (one courtyard: listed, not ranked)
    """
    record(insp.a1, 40, 10, 10, by=people.inspector, days=12)
    record(
        insp.a1,
        55,
        18,
        18,
        by=people.inspector,
        days=6,
        is_reinspection=True,
        reinspection_reason="组长不在",
    )
    a2 = record(insp.a2, 30, 10, 10, by=insp.member, days=10)
    overdue = problem(a2, people.inspector, deadline_in=5, text="议事会会议记录不完整")
    fixed = problem(a2, people.inspector, deadline_in=20, text="楼道堆放杂物")
    services.rectification_report(
        rectification=fixed, noted_on=days_ago(2), text="已清理", done=True, by=people.community
    )
    services.rectification_verify(rectification=fixed, accepted=True, by=people.inspector)
    record(insp.community_a1, 50, 15, 15, by=people.inspector, days=8)
    record(insp.b1, 50, 20, 20, by=insp.outsider, days=7)
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    return {"bulletin": bulletin, "a2": a2, "overdue": overdue, "fixed": fixed}


def test_the_bulletins_figures_match_the_hand_count(closed):
    content = selectors.bulletin_snapshot(closed["bulletin"])
    assert content["figures"] == {
        "staff": 4,  # campaign leader, group leaders and the member
        "groups": 2,
        "targets": 4,
        "visits": 5,
        "reinspections": 1,
        "courtyards": 3,
        "communities": 3,
        "commended": 2,
        "passed": 1,
        "criticised": 1,
        "average": "77.8",  # (91 + 50 + 80 + 90) / 4 = 77.75
        "rectifications": 2,
        "unfinished": 1,
        "overdue": 1,
        "verified": 1,
    }
    assert content["campaign"]["full_marks"] == "100"


def test_the_lists_name_the_commended_and_the_criticised_with_problems_and_deadlines(closed):
    content = selectors.bulletin_snapshot(closed["bulletin"])
    assert [(r["target"], r["total"]) for r in content["commended"]] == [
        ("锦里12号院", "91.0"),
        ("九眼桥花园", "90.0"),
    ]
    [criticised] = content["criticised"]
    assert (criticised["target"], criticised["street"], criticised["total"]) == (
        "洗面桥3号院",
        "浆洗街街道",
        "50.0",
    )
    assert criticised["problems"] == [
        {"problem": "议事会会议记录不完整", "deadline": closed["overdue"].deadline.isoformat()},
        {"problem": "楼道堆放杂物", "deadline": closed["fixed"].deadline.isoformat()},
    ]
    assert [(r["problem"], r["overdue"]) for r in content["open_rectifications"]] == [
        ("议事会会议记录不完整", True)
    ]


def test_a_street_with_too_few_courtyards_is_listed_but_not_ranked(closed):
    streets = selectors.bulletin_snapshot(closed["bulletin"])["streets"]
    assert streets == [
        {"name": "浆洗街街道", "courtyards": 2, "average": "70.5", "rank": 1},
        {"name": "望江路街道", "courtyards": 1, "average": "90.0", "rank": None},
    ]


def test_streets_with_equal_averages_share_a_rank():
    rows = [
        {"name": "甲", "courtyards": 3, "average": "80.0", "rank": None},
        {"name": "乙", "courtyards": 4, "average": "85.5", "rank": None},
        {"name": "丙", "courtyards": 5, "average": "80.0", "rank": None},
        {"name": "丁", "courtyards": 3, "average": "70.0", "rank": None},
        {"name": "戊", "courtyards": 1, "average": "99.0", "rank": None},
        {"name": "己", "courtyards": 0, "average": None, "rank": None},
    ]
    ranked = selectors._rank(rows, minimum=3)
    assert [(r["name"], r["rank"]) for r in ranked] == [
        ("乙", 1),
        ("甲", 2),
        ("丙", 2),
        ("丁", 4),
        ("戊", None),
        ("己", None),
    ]


def test_the_chart_draws_one_bar_per_inspected_street_scaled_to_full_marks(closed):
    content = selectors.bulletin_snapshot(closed["bulletin"])
    chart = selectors.street_chart(content)
    bars = {bar["name"]: bar for bar in chart["bars"]}
    assert set(bars) == {"浆洗街街道", "望江路街道"}
    assert bars["望江路街道"]["width"] > bars["浆洗街街道"]["width"]
    assert not bars["望江路街道"]["ranked"] and bars["浆洗街街道"]["ranked"]


def test_a_bulletin_is_written_only_for_a_closed_campaign(insp, people):
    with pytest.raises(ValidationError) as error:
        services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    assert error.value.messages == ["督查结束后方可起草通报。"]


def test_a_campaign_has_one_bulletin(closed, people, insp):
    with pytest.raises(ValidationError):
        services.bulletin_create(campaign=insp.campaign, by=people.district_staff)


# --- The freeze --------------------------------------------------------------------------


def _publish(closed, people):
    return services.bulletin_publish(bulletin=closed["bulletin"], by=people.district_staff)


def test_publishing_stores_what_the_bulletin_says_and_publishes_the_results(closed, people, insp):
    live = selectors.bulletin_snapshot(closed["bulletin"])
    bulletin = _publish(closed, people)
    assert bulletin.snapshot["figures"] == live["figures"]
    assert bulletin.snapshot["title"] == "关于院落自治督查情况的通报"
    assert bulletin.published_by == people.district_staff
    insp.campaign.refresh_from_db()
    assert insp.campaign.results_published_on == days_ago(0)


def test_later_edits_of_visits_and_rectifications_never_change_a_published_bulletin(
    closed, people, login
):
    bulletin = _publish(closed, people)
    client = login(people.district_staff)
    page_before = client.get(bulletin.get_absolute_url()).content.decode()
    print_before = client.get(reverse("inspections:bulletin_print", args=[bulletin.pk]))
    workbook_before = _workbook(client, bulletin)

    visit = closed["a2"]
    services.inspection_update(
        inspection=visit,
        visited_on=visit.visited_on,
        scores=scores_for(visit.assignment.campaign, 60, 20, 20),
        by=people.district_staff,
    )
    services.rectification_report(
        rectification=closed["overdue"],
        noted_on=days_ago(0),
        text="已补齐",
        done=True,
        by=people.community,
    )
    services.rectification_verify(
        rectification=closed["overdue"], accepted=True, by=people.inspector
    )
    assert selectors.bulletin_snapshot(bulletin)["figures"]["criticised"] == 0  # the data moved

    bulletin.refresh_from_db()
    assert selectors.bulletin_content(bulletin)["figures"]["criticised"] == 1
    page_after = client.get(bulletin.get_absolute_url()).content.decode()
    assert _without_tokens(page_after) == _without_tokens(page_before)
    print_after = client.get(reverse("inspections:bulletin_print", args=[bulletin.pk]))
    assert _without_tokens(print_after.content.decode()) == _without_tokens(
        print_before.content.decode()
    )
    assert _workbook(client, bulletin) == workbook_before


def _without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _workbook(client, bulletin):
    response = client.get(reverse("inspections:bulletin_workbook", args=[bulletin.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {
        sheet.title: [row for row in sheet.iter_rows(min_row=4, values_only=True)]
        for sheet in book.worksheets
    }


def test_a_published_bulletin_cannot_be_changed_or_published_again(closed, people):
    bulletin = _publish(closed, people)
    with pytest.raises(ValidationError):
        services.bulletin_update(bulletin=bulletin, title="改标题", by=people.district_staff)
    with pytest.raises(ValidationError):
        services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
    bulletin.title = "改标题"
    with pytest.raises(ValidationError) as error:
        bulletin.full_clean()
    assert "已发布的通报不能修改。" in error.value.messages


# --- Pages -------------------------------------------------------------------------------


def test_district_staff_generate_edit_and_publish_the_bulletin_on_its_page(insp, people, login):
    record(insp.a1, 55, 18, 18, by=people.inspector)
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    client = login(people.district_staff)
    response = client.post(reverse("inspections:bulletin_create", args=[insp.campaign.pk]))
    bulletin = Bulletin.objects.get()
    assert response.url == bulletin.get_absolute_url()
    page = client.get(bulletin.get_absolute_url()).content.decode()
    assert "草稿" in page and "锦里12号院" in page
    response = client.post(
        bulletin.get_absolute_url(),
        {
            "title": "关于督查情况的通报",
            "number": "武民督〔2026〕3号",
            "introduction": "",
            "requirements": "",
        },
    )
    assert response.status_code == 302
    client.post(reverse("inspections:bulletin_publish", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.is_published and bulletin.snapshot["number"] == "武民督〔2026〕3号"
    assert "武民督〔2026〕3号" in client.get(bulletin.get_absolute_url()).content.decode()


def test_an_empty_title_is_refused_next_to_its_field(closed, people, login):
    bulletin = closed["bulletin"]
    response = login(people.district_staff).post(
        bulletin.get_absolute_url(), {"title": "", "number": "x"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["title"] == ["这个字段是必填项。"]
    bulletin.refresh_from_db()
    assert bulletin.number == ""


def test_only_district_staff_see_a_draft(closed, people, login):
    url = closed["bulletin"].get_absolute_url()
    assert login(people.district_staff).get(url).status_code == 200
    for persona in [people.inspector, people.street_a, people.community]:
        assert login(persona).get(url).status_code == 404


def test_everyone_in_the_district_reads_the_published_bulletin(closed, people, login):
    bulletin = _publish(closed, people)
    for persona in [people.inspector, people.street_b, people.community, people.district_admin]:
        client = login(persona)
        response = client.get(bulletin.get_absolute_url())
        assert response.status_code == 200
        assert "洗面桥3号院" in response.content.decode()
        assert bulletin in client.get(reverse("inspections:bulletins")).context["page"]
    response = login(people.community).post(
        reverse("inspections:bulletin_publish", args=[bulletin.pk])
    )
    assert response.status_code == 403


def test_nobody_but_district_staff_publishes(closed, people, login):
    url = reverse("inspections:bulletin_publish", args=[closed["bulletin"].pk])
    assert login(people.inspector).post(url).status_code == 404  # a draft is not theirs to see
    closed["bulletin"].refresh_from_db()
    assert not closed["bulletin"].is_published


def test_the_print_page_is_a_document_for_a4_with_an_inline_chart(closed, people, login):
    bulletin = _publish(closed, people)
    response = login(people.district_staff).get(
        reverse("inspections:bulletin_print", args=[bulletin.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "inspections/inspections.css" in page and "portal/print.js" in page
    assert "<svg" in page and "各街道平均得分" in page
    assert "关于院落自治督查情况的通报" in page and "浆洗街街道" in page
    assert 'style="' not in page and "<script>" not in page
    stylesheet = (settings.BASE_DIR / "static/inspections/inspections.css").read_text()
    assert "@page { size: A4" in stylesheet


def test_the_workbook_holds_the_bulletins_figures_and_lists(closed, people, login):
    bulletin = _publish(closed, people)
    sheets = _workbook(login(people.street_a), bulletin)
    assert list(sheets) == ["基本情况", "通报表扬", "通报批评", "街道排名", "未完成整改事项"]
    summary = {row[0]: row[1] for row in sheets["基本情况"][1:]}
    assert summary["督查院落（个）"] == 3 and summary["督查社区（个）"] == 3
    assert summary["平均得分"] == 77.8 and summary["满分"] == 100
    ranking = sheets["街道排名"]
    assert ranking[0] == ("序号", "街道", "督查院落（个）", "平均得分", "名次")
    assert ranking[1][1:] == ("浆洗街街道", 2, 70.5, 1)
    assert ranking[2][4] == "不参与排名（被督查院落不足2个）"
    assert ranking[-1][:3] == ("合计", None, 3)
    criticised = sheets["通报批评"]
    assert criticised[1][3] == "洗面桥3号院"
    assert "议事会会议记录不完整（" in criticised[1][7]
