"""Recording expenditures: the balance refusal, the budget, vouchers, reversing entries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from funds.models import Expenditure, Project
from funds.selectors import available_balance, courtyard_figures
from funds.services import expenditure_record, expenditure_reverse
from tests.funds.factories import ExpenditureFactory, ProjectFactory

SPENT_ON = datetime.date(2026, 6, 1)


def spend(project, by, amount, voucher="记-001", **kwargs):
    return expenditure_record(
        project=project,
        by=by,
        spent_on=kwargs.pop("spent_on", SPENT_ON),
        amount=Decimal(amount),
        payee=kwargs.pop("payee", "锦里保洁服务社"),
        voucher_number=voucher,
        description=kwargs.pop("description", "楼道灯具更换"),
        **kwargs,
    )


def test_spending_lowers_the_courtyards_balance(fund, geo, people):
    spend(fund.project, people.community, "1200.50")
    assert available_balance(geo.courtyard_a1.pk, 2026) == Decimal("3399.50")
    figures = courtyard_figures(geo.courtyard_a1, 2026)
    assert figures.allocated == Decimal("4600.00") and figures.spent == Decimal("1200.50")
    assert figures.balance == Decimal("3399.50")


def test_spending_more_than_is_left_is_refused_with_the_balance(fund, geo, people):
    fund.project.budget = Decimal("9000.00")
    fund.project.save()
    spend(fund.project, people.community, "4000.00")
    with pytest.raises(ValidationError) as error:
        spend(fund.project, people.community, "600.01", voucher="记-002")
    assert list(error.value.message_dict) == ["amount"]
    assert "600.00" in error.value.message_dict["amount"][0]
    assert Expenditure.objects.count() == 1
    spend(fund.project, people.community, "600.00", voucher="记-002")
    assert available_balance(geo.courtyard_a1.pk, 2026) == Decimal("0.00")


def test_no_spending_without_an_allocation_to_spend_from(geo, people):
    project = ProjectFactory(courtyard=geo.courtyard_a2)
    with pytest.raises(ValidationError) as error:
        spend(project, people.street_a, "1.00")
    assert "0.00" in error.value.message_dict["amount"][0]
    assert not Expenditure.objects.exists()


def test_another_years_allocation_cannot_be_spent(fund, geo, people):
    project = ProjectFactory(courtyard=geo.courtyard_a1, year=2025)
    with pytest.raises(ValidationError):
        spend(project, people.community, "10.00")


def test_spending_beyond_the_projects_budget_is_refused(fund, people):
    spend(fund.project, people.community, "2500.00")
    with pytest.raises(ValidationError) as error:
        spend(fund.project, people.community, "600.00", voucher="记-002")
    assert "500.00" in error.value.message_dict["amount"][0]


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_a_finished_or_cancelled_project_takes_no_spending(fund, people, status):
    fund.project.status = status
    fund.project.ended_on = datetime.date(2026, 5, 1)
    fund.project.cancel_reason = "居民议事会决定取消"
    fund.project.save()
    with pytest.raises(ValidationError) as error:
        spend(fund.project, people.community, "10.00")
    assert "project" in error.value.message_dict


def test_the_first_spending_puts_a_planned_project_in_progress(fund, people):
    Project.objects.filter(pk=fund.project.pk).update(status="planned", started_on=None)
    spend(fund.project, people.community, "10.00")
    fund.project.refresh_from_db()
    assert fund.project.status == "in_progress" and fund.project.started_on == SPENT_ON


def test_voucher_numbers_are_unique_within_the_courtyard_and_year(fund, geo, people):
    spend(fund.project, people.community, "10.00", voucher="记-001")
    with pytest.raises(ValidationError) as error:
        spend(fund.project, people.community, "10.00", voucher="记-001")
    assert list(error.value.message_dict) == ["voucher_number"]
    other_year = ProjectFactory(courtyard=geo.courtyard_a1, year=2025)
    ExpenditureFactory(project=other_year, voucher_number="记-001")  # another year: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenditureFactory(project=fund.project, voucher_number="记-001")


def test_a_date_in_the_future_is_refused(fund, people):
    with pytest.raises(ValidationError) as error:
        spend(fund.project, people.community, "10.00", spent_on=datetime.date(2027, 1, 1))
    assert "spent_on" in error.value.message_dict


def test_amounts_are_positive_in_the_database(fund):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenditureFactory(project=fund.project, amount=Decimal("-5.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenditureFactory(project=fund.project, amount=Decimal("0"))


def test_a_reversing_entry_restores_the_balance_and_keeps_the_original(fund, geo, people):
    original = spend(fund.project, people.community, "800.00")
    reversal = expenditure_reverse(
        expenditure=original,
        by=people.community,
        spent_on=datetime.date(2026, 6, 3),
        voucher_number="记-002",
        reason="重复录入，冲销",
    )
    assert reversal.amount == Decimal("800.00") and reversal.reverses == original
    assert reversal.signed_amount == Decimal("-800.00")
    assert available_balance(geo.courtyard_a1.pk, 2026) == Decimal("4600.00")
    original.refresh_from_db()
    assert original.amount == Decimal("800.00") and original.is_reversed
    assert reversal.history.first().history_user == people.community


def test_an_entry_is_reversed_once_and_a_reversal_never(fund, people):
    original = spend(fund.project, people.community, "800.00")
    reversal = expenditure_reverse(
        expenditure=original,
        by=people.community,
        spent_on=SPENT_ON,
        voucher_number="记-002",
        reason="冲销",
    )
    for entry, voucher in [(original, "记-003"), (reversal, "记-004")]:
        with pytest.raises(ValidationError):
            expenditure_reverse(
                expenditure=entry,
                by=people.community,
                spent_on=SPENT_ON,
                voucher_number=voucher,
                reason="再次冲销",
            )
    assert Expenditure.objects.count() == 2


def test_a_reversal_may_be_recorded_on_a_finished_project(fund, people):
    original = spend(fund.project, people.community, "800.00")
    Project.objects.filter(pk=fund.project.pk).update(
        status="done", ended_on=datetime.date(2026, 7, 1)
    )
    expenditure_reverse(
        expenditure=original,
        by=people.community,
        spent_on=datetime.date(2026, 7, 2),
        voucher_number="记-002",
        reason="供应商退款",
    )
    assert fund.project.expenditures.total() == Decimal("0.00")


def test_expenditures_cannot_be_deleted_with_their_project(fund, people):
    spend(fund.project, people.community, "10.00")
    with pytest.raises(ProtectedError):
        fund.project.delete()
    with pytest.raises(ProtectedError):
        Expenditure.objects.get().courtyard.delete()
