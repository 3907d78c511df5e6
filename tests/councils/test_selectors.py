"""The figures the annual report will read, each by its stated definition."""

import datetime

import pytest

from councils import selectors, services
from councils.models import DistrictRules, Organisation
from tests.councils.factories import PersonFactory, elect, organisation_for
from tests.factories import CommunityFactory, CourtyardFactory

D = datetime.date


def test_an_organisation_counts_as_established_from_its_establishment_until_its_dissolution(
    council, people
):
    """Seed 000 counts the organisations 建立 (the portal's 已成立): acceptance (验收, on
    2023-06-01) is not needed; it was counted only from then."""
    user = people.district_staff
    assert not selectors.organisations_established(user, D(2023, 3, 14)).exists()
    assert selectors.organisations_established(user, D(2023, 3, 15)).count() == 1
    assert selectors.organisations_established(user, D(2023, 5, 31)).count() == 1
    accepted = Organisation.objects.accepted_on
    assert not accepted(D(2023, 5, 31)).exists() and accepted(D(2023, 6, 1)).exists()
    services.organisation_dissolve(
        organisation=council.organisation, on=D(2025, 1, 1), reason="合并", by=None
    )
    assert selectors.organisations_established(user, D(2024, 12, 31)).count() == 1
    assert not selectors.organisations_established(user, D(2025, 1, 1)).exists()


def test_courtyards_covered_are_those_of_established_organisations(council, people, geo):
    preparing = organisation_for(geo.courtyard_a2)
    assert preparing.status == Organisation.Status.PREPARING
    covered = selectors.courtyards_covered(people.district_staff, D(2024, 1, 1))
    assert list(covered) == [geo.courtyard_a1]


def test_a_closed_courtyard_is_covered_no_more_whatever_its_coverage_row_says(council, people, geo):
    """Closing a courtyard leaves its coverage row open: the figure must not follow it."""
    geo.courtyard_a1.closed_on = D(2024, 6, 30)
    geo.courtyard_a1.closed_reason = "demolished"
    geo.courtyard_a1.save()
    user = people.district_staff
    assert list(selectors.courtyards_covered(user, D(2024, 6, 29))) == [geo.courtyard_a1]
    assert not selectors.courtyards_covered(user, D(2024, 6, 30)).exists()
    figures = selectors.council_figures(user, D(2024, 7, 1))
    assert (figures["courtyards_covered"], figures["courtyards_open"]) == (0, 3)


def test_people_serving_on_a_day(council, people):
    """Counted in the organisations established that day: elected on 2023-03-01, the
    organisation was established on 2023-03-15."""
    user = people.district_staff
    assert selectors.representatives_serving(user, D(2023, 2, 28)).count() == 0
    assert selectors.representatives_serving(user, D(2023, 3, 1)).count() == 0
    assert selectors.representatives_serving(user, D(2023, 3, 15)).count() == 3
    assert selectors.group_members_serving(user, D(2023, 3, 15)).count() == 3
    services.membership_end(
        membership=council.member("deputy"), on=D(2024, 1, 1), reason="resigned", by=None
    )
    assert selectors.group_members_serving(user, D(2023, 12, 31)).count() == 3
    assert selectors.group_members_serving(user, D(2024, 1, 1)).count() == 2


def test_figures_stay_within_the_users_scope(council, people, geo):
    organisation = organisation_for(geo.courtyard_b1)
    elect(organisation, "council", ["convener", "representative"], held_on=D(2023, 4, 1))
    elect(organisation, "group", ["leader"], held_on=D(2023, 4, 1))
    services.organisation_establish(organisation=organisation, on=D(2023, 4, 2), by=None)
    day = D(2024, 1, 1)
    assert selectors.representatives_serving(people.district_staff, day).count() == 5
    assert selectors.representatives_serving(people.street_a, day).count() == 3
    assert selectors.representatives_serving(people.street_b, day).count() == 2
    assert selectors.representatives_serving(people.no_role, day).count() == 0


def test_training_sessions_and_person_times_of_a_year(council, people, geo):
    leader, convener = council.member("leader").person, council.member("convener").person
    services.training_save(
        district=geo.district,
        held_on=D(2023, 5, 1),
        topic="议事规则",
        organiser="区民政局",
        other_attendees=30,
        people=[leader, convener],
        by=None,
    )
    services.training_save(
        community=geo.community_a1,
        held_on=D(2023, 9, 1),
        topic="财务公开",
        organiser="锦里社区",
        other_attendees=2,
        people=[leader],
        by=None,
    )
    services.training_save(
        community=geo.community_a1,
        held_on=D(2024, 3, 1),
        topic="调解",
        organiser="锦里社区",
        people=[leader],
        by=None,
    )
    district = selectors.training_figures(people.district_staff, 2023)
    assert district == {"sessions": 2, "named": 3, "others": 32, "attendees": 35}
    # the district's own session is not the street's: streets add up to the district
    street = selectors.training_figures(people.street_a, 2023)
    assert street == {"sessions": 1, "named": 1, "others": 2, "attendees": 3}
    assert selectors.training_figures(people.street_b, 2023)["sessions"] == 0


# The representation rule: the district's own, off unless it sets a band


def _band(geo, low, high):
    return DistrictRules.objects.create(
        district=geo.district,
        households_per_representative_min=low,
        households_per_representative_max=high,
    )


def _council_of(courtyard, representatives):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", ["convener"] + ["representative"] * (representatives - 1))
    return organisation


@pytest.mark.parametrize(
    ("households", "representatives", "outside"),
    [(120, 1, False), (200, 1, False), (201, 1, True), (100, 2, False), (99, 2, True)],
)
def test_a_district_band_of_50_to_200_lists_the_courtyards_below_or_above_it(
    geo, people, households, representatives, outside
):
    _band(geo, 50, 200)
    courtyard = CourtyardFactory(community=geo.community_a1, households=households, residents=900)
    _council_of(courtyard, representatives)
    rows = selectors.courtyards_outside_representation_rule(people.district_staff, D(2024, 1, 1))
    assert (courtyard in [row.courtyard for row in rows]) == outside


def test_without_a_district_band_no_courtyard_is_outside_any_rule(geo, people):
    for households, representatives in [(500, 1), (20, 2)]:
        courtyard = CourtyardFactory(
            community=geo.community_a1, households=households, residents=900
        )
        _council_of(courtyard, representatives)
    organisation_for(geo.courtyard_a1)  # no representative at all
    user = people.district_staff
    assert not selectors.courtyards_outside_representation_rule(user).exists()
    assert selectors.council_figures(user)["outside_rule"] == 0
    # the households per representative are still there, as information
    shown = {
        row.courtyard.households: row for row in selectors.courtyards_with_representation(user)
    }
    assert (shown[500].households_covered, shown[500].representatives) == (500, 1)
    assert shown[500].band_min is None
    assert selectors.representation_bands(user) == []


def test_a_district_band_of_30_to_150_lists_exactly_the_courtyards_outside_it(geo, people):
    rules = _band(geo, 30, 150)
    within = {(150, 1), (60, 2), (300, 2)}  # 150, 30 and 150 households per representative
    outside = {(151, 1), (59, 2), (301, 2)}
    courtyards = {}
    for households, representatives in within | outside:
        courtyard = CourtyardFactory(
            community=geo.community_a1, households=households, residents=900
        )
        _council_of(courtyard, representatives)
        courtyards[courtyard.pk] = (households, representatives)
    rows = selectors.courtyards_outside_representation_rule(people.district_staff)
    assert {courtyards[row.courtyard_id] for row in rows} == outside
    assert {(row.band_min, row.band_max) for row in rows} == {(30, 150)}
    assert selectors.representation_bands(people.district_staff) == [rules]


def test_an_organisation_without_representatives_is_outside_the_district_band(geo, people):
    _band(geo, 50, 200)
    organisation_for(geo.courtyard_a1)
    rows = list(selectors.courtyards_outside_representation_rule(people.district_staff))
    assert [(row.courtyard, row.representatives) for row in rows] == [(geo.courtyard_a1, 0)]


def test_small_courtyards_count_together_under_one_organisation(geo, people):
    _band(geo, 50, 200)
    small = [
        CourtyardFactory(community=geo.community_a1, households=40, residents=90) for _ in range(3)
    ]
    organisation = organisation_for(*small)
    elect(organisation, "council", ["convener", "representative"], courtyard=small[0])
    rows = selectors.courtyards_outside_representation_rule(people.district_staff)
    assert not rows.exists()  # 120 households for 2 representatives: 60 each
    annotated = selectors._coverage_with_representation(datetime.date.today())
    assert {row.households_covered for row in annotated} == {120}


def test_courtyards_without_an_organisation_are_not_listed(geo, people):
    assert not selectors.courtyards_outside_representation_rule(people.district_staff).exists()


# Tables and their totals


def _a_second_organisation(geo):
    courtyard = CourtyardFactory(community=geo.community_b1, households=500, residents=1200)
    organisation = _council_of(courtyard, 1)
    elect(organisation, "group", ["leader", "member"])
    services.organisation_establish(organisation=organisation, on=D(2023, 3, 2), by=None)
    services.organisation_accept(organisation=organisation, on=D(2023, 3, 3), by=None)
    return organisation


def test_the_totals_row_equals_the_sum_of_the_streets(council, geo, people):
    _band(geo, 50, 200)
    _a_second_organisation(geo)
    user = people.district_staff
    rows = list(selectors.streets_with_council_figures(user))
    totals = selectors.totals_of(selectors.streets_with_council_figures(user))
    for name in selectors.FIGURE_NAMES:
        assert totals[name] == sum(getattr(row, name) for row in rows), name
    assert totals == selectors.council_figures(user)
    assert totals["organisations_established"] == 2
    assert totals["representatives"] == 4 and totals["group_members"] == 5
    # 120 households for 3 representatives (40 each), 500 for one: both outside
    assert totals["outside_rule"] == 2
    assert all(row.band_set for row in rows)


def test_the_community_rows_of_a_street(council, geo, people):
    rows = {
        row.name: row
        for row in selectors.communities_with_council_figures(people.street_a, street=geo.street_a)
    }
    assert rows["锦里社区"].organisations_established == 1
    assert rows["锦里社区"].courtyards_covered == 1
    assert rows["洗面桥社区"].representatives == 0


def test_people_with_their_roles_today(council, people, geo):
    idle = PersonFactory(courtyard=geo.courtyard_a1)
    listed = {p.pk: p for p in selectors.people_with_roles(people.community)}
    convener = council.member("convener").person
    assert listed[convener.pk].council_role == "convener"
    assert listed[convener.pk].group_role is None
    assert listed[idle.pk].council_role is None and listed[idle.pk].group_role is None


def test_organisations_with_their_state(council, people, geo):
    other = CommunityFactory(street=geo.street_a)
    CourtyardFactory(community=other)
    organisation = selectors.organisations_with_state(people.community).get()
    assert organisation.courtyards_covered == 1
    assert organisation.households_covered == 120
    assert organisation.representatives == 3 and organisation.group_members == 3
    assert organisation.council_term_ends_on == D(2028, 2, 29)  # five years by default
