"""The selectors the annual report will use: a year's inspection figures, per scope."""

import datetime

import pytest

from inspections import selectors, services
from tests.inspections.factories import days_ago, make_campaign, make_group, record


@pytest.fixture
def year(insp, people, geo):
    """This year's campaign (insp) with:
    锦里12号院 visited, then re-inspected → commend; 洗面桥3号院 → criticise;
    锦里社区 itself → criticise; 九眼桥花园 → pass. Published.
    Plus a campaign of last year that must not count."""
    record(insp.a1, 30, 10, 10, by=people.inspector, days=9)
    record(
        insp.a1,
        55,
        18,
        18,
        by=people.inspector,
        days=3,
        is_reinspection=True,
        reinspection_reason="复查",
    )
    record(insp.a2, 30, 10, 10, by=insp.member)
    record(insp.community_a1, 20, 10, 10, by=people.inspector)
    record(insp.b1, 50, 10, 10, by=insp.outsider)
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    services.bulletin_publish(bulletin=bulletin, by=people.district_staff)

    last_year = insp.campaign.year - 1
    old = make_campaign(
        geo.district,
        people.district_staff,
        title="去年督查",
        year=last_year,
        starts_on=datetime.date(last_year, 3, 1),
        ends_on=datetime.date(last_year, 4, 1),
    )
    group = make_group(old, "旧组", people.district_admin, courtyards=[geo.courtyard_b1])
    old.status = "under_way"
    old.save()
    record(
        group.assignments.get(),
        60,
        20,
        20,
        by=people.district_admin,
        visited_on=datetime.date(last_year, 3, 10),
    )
    return insp.campaign.year


def test_the_district_figures_of_a_year(year, people):
    assert selectors.year_figures(year, people.district_staff) == {
        "staff": 4,  # campaign leader, two group leaders, one member
        "groups": 2,
        "courtyards_inspected": 3,
        "communities_inspected": 3,
        "commended_courtyards": 1,  # the re-inspection counts, not the first visit
        "commended_communities": 0,
        "criticised_courtyards": 1,
        "criticised_communities": 1,
    }


def test_the_figures_of_last_year_are_its_own(year, people):
    figures = selectors.year_figures(year - 1, people.district_staff)
    assert figures["courtyards_inspected"] == 1 and figures["commended_courtyards"] == 1
    assert figures["staff"] == 2 and figures["groups"] == 1


def test_a_streets_figures_cover_its_own_courtyards_and_communities(year, people):
    figures = selectors.year_figures(year, people.street_a)
    assert figures["courtyards_inspected"] == 2
    assert figures["communities_inspected"] == 2
    assert (figures["criticised_courtyards"], figures["criticised_communities"]) == (1, 1)
    assert list(
        selectors.commended(year, people.street_a).values_list(
            "assignment__courtyard__name", flat=True
        )
    ) == ["锦里12号院"]


def test_the_lists_behind_the_figures(year, people):
    names = set(
        selectors.courtyards_inspected(year, people.district_staff).values_list("name", flat=True)
    )
    assert names == {"锦里12号院", "洗面桥3号院", "九眼桥花园"}
    assert set(
        selectors.criticised(year, people.district_staff).values_list(
            "assignment__community__name", flat=True
        )
    ) == {"洗面桥社区", "锦里社区"}
    assert selectors.inspection_staff(year, people.district_staff).count() == 4
    assert selectors.campaigns_of_year(year, people.community).count() == 1


def test_unpublished_campaigns_do_not_count_for_streets(insp, people):
    record(insp.a1, 55, 18, 18, by=people.inspector)
    assert selectors.year_figures(insp.campaign.year, people.street_a)["courtyards_inspected"] == 0
    assert (
        selectors.year_figures(insp.campaign.year, people.district_staff)["courtyards_inspected"]
        == 1
    )


def test_the_figures_take_a_fixed_number_of_queries(year, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        selectors.year_figures(year, people.district_staff)
