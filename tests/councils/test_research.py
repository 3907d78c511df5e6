"""Research visits (调研): who records them, where they may go, who reads them, and the
places the year's visits count."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils import services
from councils.models import ResearchVisit
from councils.selectors import research_figures

DAY = datetime.date(2026, 5, 12)


def visit(by_street=None, by_district=None, streets=(), communities=(), courtyards=(), on=DAY):
    return services.research_visit_save(
        street=by_street,
        district=by_district,
        visited_on=on,
        topic="院落自治组织运行情况调研",
        led_by="分管副局长",
        staff=3,
        streets=list(streets),
        communities=list(communities),
        courtyards=list(courtyards),
        by=None,
    )


def test_a_street_office_visits_only_its_own_street_and_nothing_is_kept_otherwise(geo):
    with pytest.raises(ValidationError) as error:
        visit(by_street=geo.street_a, courtyards=[geo.courtyard_a1, geo.courtyard_b1])
    assert error.value.message_dict["courtyards"] == ["九眼桥花园不在组织单位的辖区内。"]
    assert not ResearchVisit.objects.exists()


def test_a_visit_names_at_least_one_place(geo):
    with pytest.raises(ValidationError) as error:
        visit(by_district=geo.district)
    assert error.value.message_dict["courtyards"] == ["请至少填写一个调研的街道、社区或院落。"]
    assert not ResearchVisit.objects.exists()


def test_a_visit_is_not_recorded_before_it_happens(geo):
    with pytest.raises(ValidationError) as error:
        visit(by_district=geo.district, streets=[geo.street_a], on=datetime.date(2099, 1, 1))
    assert error.value.message_dict["visited_on"] == ["该日期晚于今天。"]


def test_each_place_counts_once_and_a_courtyard_counts_for_its_community_and_street(geo, people):
    visit(by_district=geo.district, streets=[geo.street_a], courtyards=[geo.courtyard_b1])
    visit(by_street=geo.street_a, communities=[geo.community_a1], courtyards=[geo.courtyard_a1])
    visit(by_street=geo.street_a, courtyards=[geo.courtyard_a1, geo.courtyard_a2])
    visit(by_street=geo.street_a, courtyards=[geo.courtyard_a2], on=datetime.date(2025, 5, 1))

    district = research_figures(people.district_staff, 2026)
    assert district == {
        "visits": 3,
        "staff": 9,
        "streets": 2,
        "communities": 3,  # a1 itself, a2 and b1 through their courtyards
        "courtyards": 3,
    }
    street_b = research_figures(people.street_b, 2026)
    # the district's visit reached street B; street B's office organised none
    assert street_b == {"visits": 0, "staff": 0, "streets": 1, "communities": 1, "courtyards": 1}


def test_street_staff_read_their_visits_and_the_districts_to_their_street(geo, people, login):
    own = visit(by_street=geo.street_a, courtyards=[geo.courtyard_a1])
    districts = visit(by_district=geo.district, courtyards=[geo.courtyard_b1])
    street_b = login(people.street_b)

    assert street_b.get(reverse("councils:research_visit", args=[own.pk])).status_code == 404
    page = street_b.get(reverse("councils:research_visit", args=[districts.pk]))
    assert page.status_code == 200 and "九眼桥花园" in page.content.decode()
    listing = street_b.get(reverse("councils:research") + "?year=2026").content.decode()
    assert listing.count("院落自治组织运行情况调研") == 1
    # theirs to read, not to change
    edit = reverse("councils:research_visit_edit", args=[districts.pk])
    assert street_b.get(edit).status_code == 403


def test_district_staff_record_a_visit_from_the_page(geo, people, login):
    response = login(people.district_staff).post(
        reverse("councils:research_visit_add"),
        {
            "office": f"district:{geo.district.pk}",
            "visited_on": "2026-05-12",
            "topic": "专项资金使用管理情况调研",
            "led_by": "分管副局长",
            "staff": "4",
            "streets": [geo.street_b.pk],
            "courtyards": [geo.courtyard_a1.pk],
            "findings": "资金公示及时。",
        },
    )
    recorded = ResearchVisit.objects.get()
    assert response.status_code == 302 and response.url == recorded.get_absolute_url()
    assert list(recorded.courtyards.all()) == [geo.courtyard_a1]
    assert recorded.history.latest().history_user == people.district_staff


def test_a_street_cannot_record_a_visit_for_another_street(geo, people, login):
    response = login(people.street_a).post(
        reverse("councils:research_visit_add"),
        {
            "office": f"street:{geo.street_b.pk}",
            "visited_on": "2026-05-12",
            "topic": "调研",
            "led_by": "副主任",
            "staff": "2",
            "streets": [geo.street_b.pk],
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not ResearchVisit.objects.exists()


def test_the_list_runs_the_same_queries_whatever_the_number_of_visits(
    geo, people, login, django_assert_num_queries
):
    client = login(people.district_staff)
    url = reverse("councils:research") + "?year=2026"
    visit(by_district=geo.district, streets=[geo.street_a])
    client.get(url)
    with django_assert_num_queries(QUERIES := _count_queries(client, url)):
        client.get(url)
    for _ in range(5):
        visit(by_street=geo.street_a, courtyards=[geo.courtyard_a1, geo.courtyard_a2])
    with django_assert_num_queries(QUERIES):
        client.get(url)


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)
