"""The rate and its rounding rule: households / X × Y, rounded half up to the whole yuan,
the same in Python and in the database."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyards.models import Courtyard
from funds.models import FundRate
from tests.funds.factories import FundRateFactory


def rate(households_per_unit, yuan_per_unit):
    return FundRate(households_per_unit=households_per_unit, yuan_per_unit=Decimal(yuan_per_unit))


@pytest.mark.parametrize(
    ("x", "y", "households", "expected"),
    [
        (100, "3000.00", 120, 3600),
        (100, "2500.00", 1, 25),
        (200, "1.00", 100, 1),  # 0.50 rounds up
        (200, "1.00", 99, 0),  # 0.495 rounds down
        (3, "1.00", 1, 0),  # 0.333…
        (3, "2.00", 1, 1),  # 0.666…
        (100, "2999.99", 150, 4500),  # 4499.985
        (7, "1000.00", 0, 0),
    ],
)
def test_the_entitlement_is_rounded_half_up_to_the_yuan(x, y, households, expected):
    assert rate(x, y).entitlement(households) == Decimal(expected)


@given(
    x=st.integers(min_value=1, max_value=1000),
    cents=st.integers(min_value=1, max_value=10_000_000),
    households=st.integers(min_value=0, max_value=20_000),
)
def test_the_integer_rule_is_exactly_decimal_half_up_rounding(x, cents, households):
    y = Decimal(cents) / 100
    exact = (Decimal(households) * y / Decimal(x)).quantize(Decimal("1"), ROUND_HALF_UP)
    assert rate(x, y).entitlement(households) == exact


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    x=st.integers(min_value=1, max_value=500),
    cents=st.integers(min_value=1, max_value=100_000_000),
    households=st.lists(st.integers(min_value=0, max_value=5_000), min_size=1, max_size=5),
)
def test_the_database_computes_the_same_entitlement(geo, x, cents, households):
    fund_rate = rate(x, Decimal(cents) / 100)
    with transaction.atomic():
        Courtyard.objects.filter(pk=geo.courtyard_a1.pk).update(households=households[0])
        rows = Courtyard.objects.annotate(entitled=fund_rate.entitlement_expression()).values_list(
            "households", "entitled"
        )
        for count, entitled in rows:
            assert Decimal(entitled) == fund_rate.entitlement(count)
        for count in households:
            Courtyard.objects.filter(pk=geo.courtyard_a1.pk).update(households=count)
            entitled = (
                Courtyard.objects.filter(pk=geo.courtyard_a1.pk)
                .annotate(entitled=fund_rate.entitlement_expression())
                .values_list("entitled", flat=True)
                .get()
            )
            assert Decimal(entitled) == fund_rate.entitlement(count)
        transaction.set_rollback(True)


def test_a_district_has_one_rate_a_year(geo):
    FundRateFactory(district=geo.district, year=2026)
    FundRateFactory(district=geo.district, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundRateFactory(district=geo.district, year=2026)


@pytest.mark.parametrize(
    ("field", "value"),
    [("households_per_unit", 0), ("yuan_per_unit", Decimal("0")), ("year", 1999)],
)
def test_a_rate_needs_positive_figures_in_the_database(geo, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundRateFactory(district=geo.district, **{field: value})


def test_a_bad_rate_is_explained_on_its_field(geo):
    fund_rate = FundRateFactory.build(
        district=geo.district, households_per_unit=0, yuan_per_unit=Decimal("-1")
    )
    with pytest.raises(ValidationError) as error:
        fund_rate.full_clean()
    assert set(error.value.message_dict) >= {"households_per_unit", "yuan_per_unit"}
    assert error.value.message_dict["households_per_unit"] == ["请填写大于零的户数。"]
    assert error.value.message_dict["yuan_per_unit"] == ["请填写大于零的金额。"]
