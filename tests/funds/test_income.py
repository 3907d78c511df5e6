"""The courtyard's own income: recorded, reversed, never spent through the fund."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funds.models import Income
from funds.selectors import available_balance, courtyard_figures
from funds.services import income_record, income_reverse
from tests.funds.factories import IncomeFactory


def test_income_is_reported_beside_the_fund_but_not_spendable(fund, geo, people):
    income_record(
        courtyard=geo.courtyard_a1,
        by=people.community,
        received_on=datetime.date(2026, 3, 31),
        kind=Income.Kind.PARKING,
        amount=Decimal("1800.00"),
        note="一季度停车费",
    )
    figures = courtyard_figures(geo.courtyard_a1, 2026)
    assert figures.income == Decimal("1800.00")
    assert available_balance(geo.courtyard_a1.pk, 2026) == Decimal("4600.00")


def test_income_counts_in_the_year_it_was_received(geo):
    IncomeFactory(courtyard=geo.courtyard_a1, received_on=datetime.date(2025, 12, 31))
    assert courtyard_figures(geo.courtyard_a1, 2026).income == Decimal("0.00")
    assert courtyard_figures(geo.courtyard_a1, 2025).income == Decimal("200.00")


def test_a_reversal_cancels_income_within_its_year(geo, people):
    original = IncomeFactory(courtyard=geo.courtyard_a1, amount=Decimal("500.00"))
    with pytest.raises(ValidationError) as error:
        income_reverse(
            income=original,
            by=people.community,
            received_on=datetime.date(2027, 1, 5),
            reason="录入错误",
        )
    assert "received_on" in error.value.message_dict
    income_reverse(
        income=original,
        by=people.community,
        received_on=datetime.date(2026, 5, 2),
        reason="录入错误",
    )
    assert courtyard_figures(geo.courtyard_a1, 2026).income == Decimal("0.00")
    assert Income.objects.count() == 2


def test_income_amounts_are_positive(geo):
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomeFactory(courtyard=geo.courtyard_a1, amount=Decimal("-1.00"))
    with pytest.raises(ValidationError) as error:
        IncomeFactory.build(courtyard=geo.courtyard_a1, amount=Decimal("0")).full_clean()
    assert "amount" in error.value.message_dict
