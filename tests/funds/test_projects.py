"""Projects: their budget, status and dates, and what spending fixes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from funds.models import Project
from funds.services import project_save
from tests.funds.factories import ExpenditureFactory, ProjectFactory


def test_a_project_is_registered_with_who_registered_it(geo, people):
    project = Project(
        courtyard=geo.courtyard_a1,
        year=2026,
        title="院落安全巡逻",
        category=Project.Category.SECURITY,
        budget=Decimal("2400.00"),
    )
    project_save(project=project, by=people.community)
    assert project.status == "planned"
    assert project.history.first().history_user == people.community


def test_the_budget_cannot_drop_below_what_was_spent(fund, people):
    ExpenditureFactory(project=fund.project, amount=Decimal("1200.00"))
    fund.project.budget = Decimal("1000.00")
    with pytest.raises(ValidationError) as error:
        project_save(project=fund.project, by=people.community)
    assert "1,200.00" in error.value.message_dict["budget"][0]


def test_a_project_with_spending_cannot_be_cancelled(fund, people):
    ExpenditureFactory(project=fund.project, amount=Decimal("10.00"))
    fund.project.status = Project.Status.CANCELLED
    fund.project.ended_on = datetime.date(2026, 8, 1)
    fund.project.cancel_reason = "改由物业承担"
    with pytest.raises(ValidationError) as error:
        project_save(project=fund.project, by=people.community)
    assert "status" in error.value.message_dict


def test_a_project_with_expenditures_stays_in_its_year(fund, people):
    ExpenditureFactory(project=fund.project, amount=Decimal("10.00"))
    fund.project.year = 2025
    with pytest.raises(ValidationError) as error:
        project_save(project=fund.project, by=people.community)
    assert "year" in error.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "done", "ended_on": None}, "ended_on"),
        ({"status": "cancelled", "ended_on": datetime.date(2026, 5, 1)}, "cancel_reason"),
        (
            {"started_on": datetime.date(2026, 5, 1), "ended_on": datetime.date(2026, 4, 1)},
            "ended_on",
        ),
        ({"budget": Decimal("0.00")}, "budget"),
    ],
)
def test_inconsistent_projects_are_explained_on_the_field(geo, changes, field):
    project = ProjectFactory.build(courtyard=geo.courtyard_a1, **changes)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "done", "ended_on": None},
        {"status": "cancelled", "ended_on": datetime.date(2026, 5, 1), "cancel_reason": ""},
        {"started_on": datetime.date(2026, 5, 1), "ended_on": datetime.date(2026, 4, 1)},
        {"budget": Decimal("-1.00")},
    ],
)
def test_the_database_refuses_inconsistent_projects(geo, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(courtyard=geo.courtyard_a1, **changes)


def test_titles_are_unique_within_a_courtyard_and_year(geo):
    ProjectFactory(courtyard=geo.courtyard_a1, title="绿化补植")
    ProjectFactory(courtyard=geo.courtyard_a1, title="绿化补植", year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(courtyard=geo.courtyard_a1, title="绿化补植")
