"""The campaign list and a campaign's overview, targets and results, per persona."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.models import Campaign
from tests.inspections.factories import days_ago, problem, record


def test_district_staff_see_each_campaign_with_its_progress(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    record(
        insp.a1,
        45,
        10,
        10,
        by=people.inspector,
        days=1,
        is_reinspection=True,
        reinspection_reason="复查",
    )
    response = login(people.district_staff).get(reverse("inspections:campaigns"))
    [campaign] = response.context["page"]
    assert (campaign.groups_count, campaign.assigned, campaign.visited, campaign.visits) == (
        2,
        4,
        1,
        2,
    )
    assert "25.0%" in response.content.decode()


def test_an_inspector_sees_the_progress_of_their_own_targets(insp, people, login):
    record(insp.b1, 40, 10, 10, by=insp.outsider)
    [campaign] = login(insp.outsider).get(reverse("inspections:campaigns")).context["page"]
    assert (campaign.assigned, campaign.visited) == (1, 1)


def test_the_overview_shows_progress_by_group_with_a_total_row(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    record(insp.b1, 40, 10, 10, by=insp.outsider)
    response = login(people.district_staff).get(insp.campaign.get_absolute_url())
    groups = {g.name: g for g in response.context["groups"]}
    assert (groups["第一督查组"].assigned, groups["第一督查组"].visited) == (3, 1)
    assert groups["第一督查组"].members_count == 1
    assert (groups["第二督查组"].assigned, groups["第二督查组"].visited) == (1, 1)
    totals = response.context["group_totals"]
    assert (totals["assigned"], totals["visited"]) == (4, 2)
    assert totals["assigned"] == sum(g.assigned for g in groups.values())
    page = response.content.decode()
    assert "组织健全" in page and "结束督查" in page
    assert response.context["full_marks"] == 100


def test_an_inspector_sees_only_their_group_in_the_overview(insp, people, login):
    response = login(people.inspector).get(insp.campaign.get_absolute_url())
    assert [g.name for g in response.context["groups"]] == ["第一督查组"]
    assert "结束督查" not in response.content.decode()


def test_the_targets_tab_offers_to_record_or_reinspect(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    response = login(people.inspector).get(
        reverse("inspections:campaign_targets", args=[insp.campaign.pk])
    )
    targets = list(response.context["page"])
    assert sorted(t.target_name for t in targets) == ["洗面桥3号院", "锦里12号院", "锦里社区"]
    page = response.content.decode()
    assert page.count("填报督查记录") == 2 and "复查" in page
    pending = login(people.inspector).get(
        reverse("inspections:campaign_targets", args=[insp.campaign.pk]), {"state": "pending"}
    )
    assert len(pending.context["page"]) == 2


def test_the_targets_filter_ignores_another_groups_id(insp, people, login):
    response = login(people.inspector).get(
        reverse("inspections:campaign_targets", args=[insp.campaign.pk]),
        {"group": insp.group2.pk},
    )
    assert "九眼桥花园" not in response.content.decode()
    assert response.context["form"].errors["group"]


def test_streets_and_communities_have_no_targets_tab(insp, people, login):
    insp.campaign.status, insp.campaign.closed_on = "closed", days_ago(0)
    insp.campaign.results_published_on = days_ago(0)
    insp.campaign.save()
    client = login(people.community)
    assert client.get(insp.campaign.get_absolute_url()).status_code == 200
    url = reverse("inspections:campaign_targets", args=[insp.campaign.pk])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["street_a", "community", "no_role"])
def test_an_unpublished_campaign_is_not_found_outside_the_district_roles(
    insp, people, login, persona
):
    client = login(getattr(people, persona))
    assert client.get(insp.campaign.get_absolute_url()).status_code in (403, 404)
    assert client.get(
        reverse("inspections:campaign_visits", args=[insp.campaign.pk])
    ).status_code in (403, 404)


def test_the_results_tab_lists_visits_with_an_average_and_exports_them(insp, people, login):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector)
    problem(visit, people.inspector)
    problem(visit, people.inspector, text="公示栏未更新")
    record(insp.b1, 50, 20, 20, by=insp.outsider)
    client = login(people.district_staff)
    url = reverse("inspections:campaign_visits", args=[insp.campaign.pk])
    response = client.get(url)
    assert response.context["totals"]["visits_count"] == 2
    assert response.context["totals"]["average"] == 75  # (60 + 90) / 2, each visit once
    assert {v.problems for v in response.context["page"]} == {0, 2}

    export = client.get(url, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    results = list(book["督查结果"].iter_rows(min_row=4, values_only=True))
    header = results[0]
    assert header[:4] == ("序号", "街道", "社区", "督查对象")
    assert "自治运行" in header and "环境安全" in header and "总分" in header
    rows = {row[3]: row for row in results[1:-1]}
    area = header.index("自治运行")
    assert rows["锦里12号院"][area] == 50 and rows["九眼桥花园"][area] == 70  # not doubled
    assert rows["锦里12号院"][header.index("问题数")] == 2
    assert results[-1][0] == "平均" and results[-1][header.index("总分")] == 75
    rectifications = list(book["整改事项"].iter_rows(min_row=5, values_only=True))
    assert rectifications[0][3] == "锦里12号院" and rectifications[-1][0] == "合计"


def test_the_export_holds_only_what_the_inspector_sees(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    record(insp.b1, 50, 20, 20, by=insp.outsider)
    response = login(insp.outsider).get(
        reverse("inspections:campaign_visits", args=[insp.campaign.pk]), {"format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    targets = [row[3] for row in book["督查结果"].iter_rows(min_row=5, values_only=True)][:-1]
    assert targets == ["九眼桥花园"]


def test_district_staff_start_and_close_a_campaign_from_its_page(geo, people, login):
    from tests.inspections.factories import make_campaign, make_group

    campaign = make_campaign(geo.district, people.district_staff, title="新督查")
    make_group(campaign, "一组", people.inspector, courtyards=[geo.courtyard_a1])
    client = login(people.district_staff)
    client.post(reverse("inspections:campaign_start", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.is_under_way
    response = client.post(
        reverse("inspections:campaign_close", args=[campaign.pk]),
        {"closed_on": days_ago(-3).isoformat()},
        follow=True,
    )
    assert "结束日期不能晚于今天。" in response.content.decode()
    client.post(
        reverse("inspections:campaign_close", args=[campaign.pk]),
        {"closed_on": days_ago(0).isoformat()},
    )
    campaign.refresh_from_db()
    assert campaign.is_closed


def test_inspectors_cannot_start_or_close_a_campaign(insp, people, login):
    client = login(people.inspector)
    assert (
        client.post(reverse("inspections:campaign_close", args=[insp.campaign.pk])).status_code
        == 403
    )
    assert Campaign.objects.get().is_under_way
    assert (
        client.get(reverse("inspections:campaign_close", args=[insp.campaign.pk])).status_code
        == 405  # POST only
    )
