"""Allocations entered by hand: who may record which source, and what may change once the
courtyard has spent."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funds.models import Allocation, Source
from funds.services import allocation_save, allocations_generate
from tests.funds.factories import AllocationFactory, ExpenditureFactory, FundRateFactory


def new_allocation(courtyard, source=Source.STREET, amount="2000.00"):
    return Allocation(
        year=2026,
        courtyard=courtyard,
        source=source,
        amount=Decimal(amount),
        allocated_on=datetime.date(2026, 4, 1),
        document_number="浆街发〔2026〕8号",
    )


def test_street_staff_record_their_streets_contribution(geo, people):
    allocation = allocation_save(allocation=new_allocation(geo.courtyard_a1), by=people.street_a)
    assert allocation.pk and allocation.history.first().history_user == people.street_a


def test_street_staff_may_not_record_district_money(geo, people):
    with pytest.raises(ValidationError) as error:
        allocation_save(
            allocation=new_allocation(geo.courtyard_a1, Source.DISTRICT), by=people.street_a
        )
    assert list(error.value.message_dict) == ["source"]
    assert not Allocation.objects.exists()


def test_district_staff_record_both_sources(geo, people):
    for source in (Source.DISTRICT, Source.STREET):
        allocation_save(
            allocation=new_allocation(geo.courtyard_b1, source), by=people.district_staff
        )
    assert Allocation.objects.count() == 2


def test_community_members_record_no_allocations(geo, people):
    with pytest.raises(ValidationError):
        allocation_save(allocation=new_allocation(geo.courtyard_a1), by=people.community)


def test_an_unspent_allocation_may_be_corrected_or_withdrawn(geo, people):
    allocation = allocation_save(allocation=new_allocation(geo.courtyard_a1), by=people.street_a)
    allocation.amount = Decimal("1500.00")
    allocation_save(allocation=allocation, by=people.street_a)
    allocation.withdrawn_on = datetime.date(2026, 5, 1)
    allocation.withdrawn_reason = "重复下达"
    allocation_save(allocation=allocation, by=people.street_a)
    assert [h.amount for h in allocation.history.all()] == [
        Decimal("1500.00"),
        Decimal("1500.00"),
        Decimal("2000.00"),
    ]


def test_once_spent_an_allocations_amount_is_fixed_but_its_note_is_not(fund, geo, people):
    ExpenditureFactory(project=fund.project, amount=Decimal("10.00"))
    fund.street.amount = Decimal("500.00")
    with pytest.raises(ValidationError) as error:
        allocation_save(allocation=fund.street, by=people.street_a)
    assert "10.00" in error.value.message_dict["amount"][0]
    fund.street.refresh_from_db()
    fund.street.note = "街道配套资金"
    allocation_save(allocation=fund.street, by=people.street_a)
    fund.street.refresh_from_db()
    assert fund.street.amount == Decimal("1000.00") and fund.street.note == "街道配套资金"


def test_an_allocation_computed_from_the_rate_is_changed_only_by_generating(geo, people):
    rate = FundRateFactory(district=geo.district)
    allocations_generate(rate=rate, by=people.district_admin)
    allocation = Allocation.objects.get(courtyard=geo.courtyard_a1)
    allocation.amount = Decimal("9999.00")
    with pytest.raises(ValidationError) as error:
        allocation_save(allocation=allocation, by=people.district_admin)
    assert "amount" in error.value.message_dict


def test_a_withdrawn_allocation_needs_a_reason(geo):
    allocation = AllocationFactory.build(
        courtyard=geo.courtyard_a1, withdrawn_on=datetime.date(2026, 5, 1)
    )
    with pytest.raises(ValidationError) as error:
        allocation.full_clean()
    assert "withdrawn_reason" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        allocation.save()


def test_withdrawn_allocations_do_not_count(fund, geo):
    from funds.selectors import available_balance

    fund.street.withdrawn_on = datetime.date(2026, 5, 1)
    fund.street.withdrawn_reason = "重复下达"
    fund.street.save()
    assert available_balance(geo.courtyard_a1.pk, 2026) == Decimal("3600.00")


def test_only_one_computed_allocation_per_courtyard_and_year(geo):
    rate = FundRateFactory(district=geo.district)
    AllocationFactory(courtyard=geo.courtyard_a1, rate=rate)
    AllocationFactory(courtyard=geo.courtyard_a1)  # by hand: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationFactory(courtyard=geo.courtyard_a1, rate=rate)


def test_a_street_allocation_is_never_computed_from_the_rate(geo):
    rate = FundRateFactory(district=geo.district)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationFactory(courtyard=geo.courtyard_a1, rate=rate, source=Source.STREET)
