"""Generating a year's district allocations from the rate: preview, idempotency, updates
while nothing is spent, and refusal to overwrite what has spending against it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courtyards.models import Courtyard
from funds.models import Allocation
from funds.selectors import PlanAction, allocation_plan
from funds.services import allocations_generate
from tests.factories import CommunityFactory, CourtyardFactory, DistrictFactory, StreetFactory
from tests.funds.factories import ExpenditureFactory, FundRateFactory, ProjectFactory

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture
def rate(geo):
    # 锦里12号院 120 户, 电力局宿舍 80, 洗面桥3号院 60, 九眼桥花园 300; 2,500 yuan a 100
    return FundRateFactory(district=geo.district, yuan_per_unit=Decimal("2500.00"))


def generated(year=2026):
    return {
        a.courtyard.name: a.amount
        for a in Allocation.objects.filter(year=year, rate__isnull=False, withdrawn_on=None)
    }


def test_the_preview_shows_each_courtyards_entitlement_and_saves_nothing(rate, geo):
    plan = allocation_plan(rate)
    entitlements = {row.courtyard: row.entitlement for row in plan.rows}
    assert entitlements == {
        "锦里12号院": Decimal(3000),
        "电力局宿舍": Decimal(2000),
        "洗面桥3号院": Decimal(1500),
        "九眼桥花园": Decimal(7500),
    }
    assert plan.entitlement == Decimal(14000) and plan.households == 560
    assert {row.action for row in plan.rows} == {PlanAction.NEW}
    assert not Allocation.objects.exists()


def test_the_preview_subtotals_streets_and_communities(rate, geo):
    plan = allocation_plan(rate)
    streets = {street.name: street for street in plan.streets}
    assert streets["浆洗街街道"].entitlement == Decimal(6500)
    assert streets["浆洗街街道"].households == 260
    communities = {c.name: c.entitlement for c in streets["浆洗街街道"].groups}
    assert communities == {"锦里社区": Decimal(5000), "洗面桥社区": Decimal(1500)}
    assert sum(s.entitlement for s in plan.streets) == plan.entitlement


def test_confirming_creates_one_allocation_per_courtyard(rate, geo, people):
    result = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert len(result.created) == 4
    assert generated() == {
        "锦里12号院": Decimal(3000),
        "电力局宿舍": Decimal(2000),
        "洗面桥3号院": Decimal(1500),
        "九眼桥花园": Decimal(7500),
    }
    allocation = Allocation.objects.get(courtyard=geo.courtyard_a1)
    assert allocation.households == 120 and allocation.source == "district"
    assert allocation.history.first().history_user == people.district_admin


def test_running_it_twice_pays_nothing_twice(rate, geo, people):
    allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    second = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert not second.created and not second.updated and not second.withdrawn
    assert len(second.unchanged) == 4
    assert Allocation.objects.count() == 4


def test_a_changed_household_count_updates_an_unspent_allocation(rate, geo, people):
    allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    Courtyard.objects.filter(pk=geo.courtyard_a2.pk).update(households=100)
    plan = allocation_plan(rate)
    assert {row.courtyard: row.action for row in plan.changes} == {"洗面桥3号院": "update"}
    result = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert [row.courtyard for row in result.updated] == ["洗面桥3号院"]
    assert generated()["洗面桥3号院"] == Decimal(2500)
    assert Allocation.objects.filter(courtyard=geo.courtyard_a2).count() == 1


def test_an_allocation_with_spending_is_not_overwritten_and_is_named(rate, geo, people):
    allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    project = ProjectFactory(courtyard=geo.courtyard_a1)
    ExpenditureFactory(project=project, amount=Decimal("500.00"))
    Courtyard.objects.filter(pk=geo.courtyard_a1.pk).update(households=200)
    result = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert [row.courtyard for row in result.locked] == ["锦里12号院"]
    assert result.locked[0].entitlement == Decimal(5000)
    assert result.locked[0].current == Decimal(3000)
    assert generated()["锦里12号院"] == Decimal(3000)


def test_a_fully_reversed_spending_no_longer_locks_the_allocation(rate, geo, people):
    allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    spent = ExpenditureFactory(project=ProjectFactory(courtyard=geo.courtyard_a1))
    ExpenditureFactory(project=spent.project, reverses=spent, amount=spent.amount)
    Courtyard.objects.filter(pk=geo.courtyard_a1.pk).update(households=200)
    result = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert [row.courtyard for row in result.updated] == ["锦里12号院"]


def test_a_closed_courtyard_gets_nothing_and_its_unspent_allocation_is_withdrawn(rate, geo, people):
    allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    Courtyard.objects.filter(pk=geo.courtyard_a2.pk).update(
        closed_on=datetime.date(2026, 2, 1), closed_reason="demolished"
    )
    result = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert [row.courtyard for row in result.withdrawn] == ["洗面桥3号院"]
    allocation = Allocation.objects.get(courtyard=geo.courtyard_a2)
    assert allocation.withdrawn_on == TODAY and allocation.withdrawn_reason
    assert "洗面桥3号院" not in generated()
    again = allocations_generate(rate=rate, by=people.district_admin, today=TODAY)
    assert not again.withdrawn and not again.created


def test_a_courtyard_without_households_is_left_out(rate, geo):
    CourtyardFactory(community=geo.community_a1, name="空置院", households=0, residents=0)
    assert "空置院" not in {row.courtyard for row in allocation_plan(rate).rows}


def test_another_districts_courtyards_are_not_counted(rate, geo):
    other = DistrictFactory(name="锦江区")
    CourtyardFactory(
        name="外区院落",
        households=500,
        community=CommunityFactory(street=StreetFactory(district=other)),
    )
    assert "外区院落" not in {row.courtyard for row in allocation_plan(rate).rows}


def test_a_confirmation_of_an_outdated_preview_is_refused(rate, geo, people):
    fingerprint = allocation_plan(rate).fingerprint
    Courtyard.objects.filter(pk=geo.courtyard_a2.pk).update(households=100)
    with pytest.raises(ValidationError):
        allocations_generate(rate=rate, by=people.district_admin, expected=fingerprint, today=TODAY)
    assert not Allocation.objects.exists()
    fresh = allocation_plan(rate).fingerprint
    allocations_generate(rate=rate, by=people.district_admin, expected=fresh, today=TODAY)
    assert Allocation.objects.count() == 4
