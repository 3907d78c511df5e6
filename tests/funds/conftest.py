"""The fund of the shared small district (tests/conftest.py) for 2026: a rate of 3,000 yuan
per 100 households; courtyard A1 (锦里12号院, 120 households) holds 3,600 yuan from the
district and 1,000 from its street, and a project of 3,000 yuan."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from funds.models import Source
from tests.funds.factories import (
    YEAR,
    AllocationFactory,
    FundRateFactory,
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
