"""Two people spending from the same courtyard at once cannot overdraw it: the service
locks the courtyard's row before it reads the balance (PostgreSQL; SQLite has no row locks
and lets one writer at a time into the whole database)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from funds.models import Expenditure, Project
from funds.selectors import available_balance
from funds.services import expenditure_record
from tests.funds.race import second_while_first_holds_the_lock

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_second_spend_waits_for_the_first_and_sees_its_balance(fund, geo, people):
    Project.objects.filter(pk=fund.project.pk).update(budget=Decimal("9000.00"))

    def first():
        Expenditure.objects.create(
            project_id=fund.project.pk,
            courtyard_id=geo.courtyard_a1.pk,
            year=2026,
            spent_on=datetime.date(2026, 6, 1),
            amount=Decimal("3000.00"),
            payee="甲",
            voucher_number="记-001",
            description="先到的支出",
        )

    def second():
        expenditure_record(
            project=Project.objects.get(pk=fund.project.pk),
            by=people.community,
            spent_on=datetime.date(2026, 6, 1),
            amount=Decimal("2000.00"),
            payee="乙",
            voucher_number="记-002",
            description="后到的支出",
        )

    refused = second_while_first_holds_the_lock(geo.courtyard_a1.pk, first, second)
    assert refused != "recorded"
    assert "1,600.00" in refused
    assert available_balance(geo.courtyard_a1.pk, 2026) == Decimal("1600.00")
