"""Fixtures the corpus cases name in `needs` (see build.py), beside those of tests/conftest.py.
Today is fixed late in 2026 as for the fund's tests (entries may not be dated ahead)."""

import pytest

from courtyards.models import Courtyard
from tests.councils.conftest import council  # noqa: F401
from tests.councils.factories import PersonFactory
from tests.funds.conftest import _a_fixed_today, fund  # noqa: F401
from tests.inspections.factories import make_template


@pytest.fixture
def people_to_appoint(geo):
    """Residents of 锦里12号院 born in 1962, not yet serving."""
    return [
        PersonFactory(courtyard=geo.courtyard_a1, name=name, birth_year=1962)
        for name in ["赵德明", "钱淑华", "孙丽华", "周建华"]
    ]


@pytest.fixture
def criteria_template(geo):
    return make_template(geo.district, name="2026年评分标准")


@pytest.fixture
def courtyard_saved_in_full_width(geo):
    """A courtyard typed into its form with full-width digits and brackets."""
    return Courtyard.objects.create(
        community=geo.community_a1,
        name="锦里１８号院（东区）",
        kind=Courtyard.Kind.NO_PROPERTY_MANAGEMENT,
        households=10,
        residents=25,
        buildings=1,
    )
