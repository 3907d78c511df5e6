"""The fund of the shared small district (tests/conftest.py) for 2026: a rate of 3,000 yuan
per 100 households; courtyard A1 (锦里12号院, 120 households) holds 3,600 yuan from the
district and 1,000 from its street, and a project of 3,000 yuan."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from funds.models import Income, Source
from tests.factories import CommunityFactory, CourtyardFactory, StreetFactory
from tests.funds.factories import (
    YEAR,
    AllocationFactory,
    ExpenditureFactory,
    FundRateFactory,
    IncomeFactory,
    ProjectFactory,
)


@pytest.fixture(autouse=True)
def _a_fixed_today(monkeypatch):
    """Entries may not be dated in the future; the tests' 2026 dates stay in the past."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(YEAR, 11, 22))


@pytest.fixture
def fund(geo):
    rate = FundRateFactory(district=geo.district)
    district = AllocationFactory(courtyard=geo.courtyard_a1, amount=Decimal("3600.00"))
    street = AllocationFactory(
        courtyard=geo.courtyard_a1, source=Source.STREET, amount=Decimal("1000.00")
    )
    project = ProjectFactory(
        courtyard=geo.courtyard_a1, title="楼道照明维修", budget=Decimal("3000.00")
    )
    return SimpleNamespace(rate=rate, district=district, street=street, project=project)


def fill(courtyard, *, project_budget=Decimal("3000.00")):
    """A year's worth of records for `courtyard`: allocations from both sources, a project
    with two expenditures (one reversed), income of two kinds."""
    AllocationFactory(courtyard=courtyard, amount=Decimal("5000.00"))
    AllocationFactory(courtyard=courtyard, source=Source.STREET, amount=Decimal("800.00"))
    project = ProjectFactory(courtyard=courtyard, budget=project_budget)
    spent = ExpenditureFactory.create_batch(2, project=project, amount=Decimal("150.00"))
    ExpenditureFactory(project=project, reverses=spent[0], amount=spent[0].amount)
    IncomeFactory(courtyard=courtyard, kind=Income.Kind.PARKING)
    IncomeFactory(courtyard=courtyard, kind=Income.Kind.DONATION)
    return project


@pytest.fixture
def grow(geo):
    """grow(): more streets, communities, courtyards and records of every kind, in and
    around each persona's scope, to check that query counts do not follow the data."""

    def _grow():
        street = StreetFactory(district=geo.district)
        communities = [
            CommunityFactory(street=street),
            CommunityFactory(street=geo.street_a),
            CommunityFactory(street=geo.street_b),
        ]
        for community in communities:
            for courtyard in CourtyardFactory.create_batch(3, community=community):
                fill(courtyard)
        for courtyard in [geo.courtyard_a1, geo.courtyard_a2, geo.courtyard_b1]:
            fill(courtyard)
        for courtyard in CourtyardFactory.create_batch(2, community=geo.community_a1):
            fill(courtyard)

    return _grow
