"""The sections inspections add to shared pages, and query counts that do not grow with the
data on every page and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections import services
from inspections.models import Assignment, Bulletin
from tests.factories import CourtyardFactory
from tests.inspections.factories import days_ago, problem, record
from tests.kept import settle

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_the_courtyard_profile_shows_its_inspection_history_and_open_items(
    insp, people, login, geo
):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=20)
    problem(visit, people.inspector, deadline_in=5, text="会议记录缺失")
    response = login(people.district_staff).get(geo.courtyard_a1.get_absolute_url())
    page = response.content.decode()
    assert "督查记录" in page and visit.get_absolute_url() in page
    assert "会议记录缺失" in page and "逾期" in page


def test_the_community_sees_open_items_on_the_profile_but_results_only_once_published(
    insp, people, login, geo
):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=20)
    problem(visit, people.inspector, deadline_in=5, text="会议记录缺失")
    page = login(people.community).get(geo.courtyard_a1.get_absolute_url()).content.decode()
    assert "会议记录缺失" in page
    assert visit.get_absolute_url() not in page
    assert "督查结果公布后将在此显示" in page


def test_the_community_page_lists_its_unfinished_items(insp, people, login, geo):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=20)
    problem(visit, people.inspector, deadline_in=5, text="会议记录缺失")
    response = login(people.community).get(geo.community_a1.get_absolute_url())
    [panel] = [p for p in response.context["panels"] if p["template"].startswith("inspections/")]
    assert (panel["figures"]["unfinished"], panel["figures"]["overdue"]) == (1, 1)
    assert "会议记录缺失" in response.content.decode()


def test_the_street_page_counts_items_by_community(insp, people, login, geo):
    problem(record(insp.a1, 40, 10, 10, by=people.inspector, days=20), people.inspector)
    response = login(people.street_a).get(geo.street_a.get_absolute_url())
    [panel] = [
        p
        for p in response.context["panels"]
        if p["template"].startswith("inspections/") and "street" in p["template"]
    ]
    assert {row.name: row.total for row in panel["rows"]} == {"锦里社区": 1, "洗面桥社区": 0}
    assert panel["totals"]["total"] == 1


def test_the_dashboard_shows_overdue_items_and_campaigns_under_way(insp, people, login):
    problem(
        record(insp.a1, 40, 10, 10, by=people.inspector, days=20), people.inspector, deadline_in=5
    )
    response = login(people.district_staff).get(reverse("dashboard"))
    [panel] = [
        p
        for p in response.context["panels"]
        if p["template"].startswith("inspections/") and "dashboard" in p["template"]
    ]
    assert panel["overdue_count"] == 1
    assert [c.title for c in panel["campaigns"]] == ["院落自治督查"]
    community = login(people.community).get(reverse("dashboard"))
    [panel] = [
        p
        for p in community.context["panels"]
        if p["template"].startswith("inspections/") and "dashboard" in p["template"]
    ]
    assert panel["overdue_count"] == 1 and panel["campaigns"] is None


def test_panels_stay_out_for_users_without_the_permission(insp, people, login, geo):
    from django.contrib.auth.models import Permission

    people.street_a.groups.first().permissions.remove(
        *Permission.objects.filter(content_type__app_label="inspections")
    )
    response = login(people.street_a).get(geo.street_a.get_absolute_url())
    assert not [p for p in response.context["panels"] if "inspections" in p["template"]]


# --- Query counts at two data sizes ------------------------------------------------------


def _count(client, url):
    settle(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, url
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(queries)


def _grow(insp, people, geo, visit, size):
    """More targets, visits, re-inspections, problems, notes and photos."""
    for index in range(size):
        courtyard = CourtyardFactory(community=geo.community_a1)
        target = Assignment.objects.create(
            campaign=insp.campaign,
            group=insp.group1,
            courtyard=courtyard,
            community=geo.community_a1,
        )
        other = record(target, 20 + index, 10, 10, by=people.inspector, days=8)
        for deadline in (2, 30):
            rect = problem(other, people.inspector, deadline_in=deadline)
            services.rectification_report(
                rectification=rect, noted_on=days_ago(1), text="进展", by=people.community
            )
        problem(visit, people.inspector, deadline_in=index + 1)
        services.inspection_add_photo(
            inspection=visit, file=SimpleUploadedFile("照片.jpg", JPEG), by=people.inspector
        )
    record(
        visit.assignment,
        45,
        15,
        15,
        by=people.inspector,
        days=1,
        is_reinspection=True,
        reinspection_reason="复查",
    )


PAGES = {
    "campaigns": lambda s: reverse("inspections:campaigns"),
    "campaign": lambda s: s["campaign"].get_absolute_url(),
    "targets": lambda s: reverse("inspections:campaign_targets", args=[s["campaign"].pk]),
    "results": lambda s: reverse("inspections:campaign_visits", args=[s["campaign"].pk]),
    "results.xlsx": lambda s: (
        reverse("inspections:campaign_visits", args=[s["campaign"].pk]) + "?format=xlsx"
    ),
    "visit": lambda s: s["visit"].get_absolute_url(),
    "visit form": lambda s: reverse("inspections:visit_record", args=[s["visit"].assignment_id]),
    "rectifications": lambda s: reverse("inspections:rectifications") + "?state=all",
    "rectifications.xlsx": lambda s: reverse("inspections:rectifications") + "?format=xlsx",
    "overview": lambda s: reverse("inspections:rectification_overview"),
    "rectification": lambda s: s["rect"].get_absolute_url(),
    "dashboard": lambda s: reverse("dashboard"),
    "street": lambda s: s["geo"].street_a.get_absolute_url(),
    "community": lambda s: s["geo"].community_a1.get_absolute_url(),
    "courtyard": lambda s: s["geo"].courtyard_a1.get_absolute_url(),
}


@pytest.mark.parametrize("screen", list(PAGES))
@pytest.mark.parametrize("persona", ["district_staff", "inspector"])
def test_query_counts_do_not_grow_with_the_data(insp, people, login, geo, screen, persona):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=10)
    rect = problem(visit, people.inspector)
    state = {"campaign": insp.campaign, "visit": visit, "rect": rect, "geo": geo}
    url = PAGES[screen](state)
    small = _count(login(getattr(people, persona)), url)
    _grow(insp, people, geo, visit, size=6)
    large = _count(login(getattr(people, persona)), url)
    assert large == small, f"{screen}: {small} queries with little data, {large} with more"


@pytest.mark.parametrize(
    "screen", ["rectifications", "overview", "community", "courtyard", "dashboard"]
)
def test_query_counts_do_not_grow_for_a_community_member(insp, people, login, geo, screen):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=10)
    state = {
        "campaign": insp.campaign,
        "visit": visit,
        "rect": problem(visit, people.inspector),
        "geo": geo,
    }
    url = PAGES[screen](state)
    small = _count(login(people.community), url)
    _grow(insp, people, geo, visit, size=6)
    assert _count(login(people.community), url) == small


@pytest.mark.parametrize("published", [False, True])
def test_the_bulletins_query_counts_do_not_grow_with_the_data(insp, people, login, geo, published):
    visit = record(insp.a1, 40, 10, 10, by=people.inspector, days=10)
    problem(visit, people.inspector)
    _grow(insp, people, geo, visit, size=1)

    def close_and_count():
        services.campaign_close(
            campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff
        )
        bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
        if published:
            services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
        client = login(people.district_staff)
        counts = [
            _count(client, bulletin.get_absolute_url()),
            _count(client, reverse("inspections:bulletin_print", args=[bulletin.pk])),
            _count(client, reverse("inspections:bulletin_workbook", args=[bulletin.pk])),
        ]
        # Undo, so that the campaign can grow and be closed again.
        Bulletin.objects.filter(pk=bulletin.pk).delete()
        type(insp.campaign).objects.filter(pk=insp.campaign.pk).update(
            status="under_way", closed_on=None, results_published_on=None
        )
        return counts

    small = close_and_count()
    _grow(insp, people, geo, visit, size=6)
    assert close_and_count() == small
