"""A year's inspection figures in the annual report (portal.reports.figures), per scope: what
tests/portal/test_annual_report.py does not cover (re-inspections, other years, unpublished
campaigns)."""

import datetime

import pytest

from inspections import services
from portal.reports.figures import annual_report
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


INSPECTION_FIGURES = (
    "courtyards_inspected",
    "communities_inspected",
    "commended",
    "criticised",
    "inspection_staff",
    "inspection_groups",
)


def inspection_figures(user, year):
    overview = annual_report(user, year).overview
    return {key: overview[key] for key in INSPECTION_FIGURES}


def test_the_district_figures_of_a_year(year, people):
    assert inspection_figures(people.district_staff, year) == {
        "courtyards_inspected": 3,
        "communities_inspected": 3,
        "commended": 1,  # the re-inspection counts, not the first visit
        "criticised": 1,  # courtyards only: 锦里社区 itself is not one
        "inspection_staff": 4,  # campaign leader, two group leaders, one member
        "inspection_groups": 2,
    }


def test_the_figures_of_last_year_are_its_own(year, people):
    figures = inspection_figures(people.district_staff, year - 1)
    assert (figures["courtyards_inspected"], figures["commended"]) == (1, 1)
    assert (figures["inspection_staff"], figures["inspection_groups"]) == (2, 1)


def test_a_streets_figures_cover_its_own_courtyards_and_communities(year, people):
    figures = inspection_figures(people.street_a, year)
    assert (figures["courtyards_inspected"], figures["communities_inspected"]) == (2, 2)
    assert (figures["commended"], figures["criticised"]) == (1, 1)


def test_unpublished_campaigns_do_not_count_for_streets(insp, people):
    record(insp.a1, 55, 18, 18, by=people.inspector)
    year = insp.campaign.year
    assert inspection_figures(people.street_a, year)["courtyards_inspected"] == 0
    assert inspection_figures(people.district_staff, year)["courtyards_inspected"] == 1
