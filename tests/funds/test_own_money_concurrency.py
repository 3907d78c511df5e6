"""Two people spending a courtyard's own money at once cannot overdraw it: the service locks
the courtyard's row before it reads the balance, as for the special fund (PostgreSQL; SQLite
has no row locks and lets one writer at a time into the whole database)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from funds.models import OwnExpenditure
from funds.own_money import own_balance
from funds.services import own_expenditure_add
from tests.councils.conftest import council  # noqa: F401 (the organisation of courtyard A1)
from tests.funds.race import second_while_first_holds_the_lock
from tests.funds.test_own_money import parking, resolution, spending  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_second_spending_waits_for_the_first_and_sees_its_balance(
    geo,
    people,
    resolution,  # noqa: F811
    parking,  # noqa: F811
):
    def first():
        OwnExpenditure.objects.create(
            courtyard_id=geo.courtyard_a1.pk,
            year=2026,
            spent_on=datetime.date(2026, 6, 1),
            amount=Decimal("600.00"),
            payee="甲",
            voucher_number="自-001",
            description="先到的支出",
            resolution_id=resolution.pk,
        )

    def second():
        own_expenditure_add(
            expenditure=spending(
                geo.courtyard_a1,
                resolution,
                "500",
                spent_on=datetime.date(2026, 6, 1),
                voucher_number="自-002",
            ),
            by=people.community,
        )

    refused = second_while_first_holds_the_lock(geo.courtyard_a1.pk, first, second)
    assert refused != "recorded"
    assert "400.00" in refused
    assert own_balance(geo.courtyard_a1.pk) == Decimal("400.00")
