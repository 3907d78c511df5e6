"""Allowances to group members: where the district decided so (a round's flag), a special-
fund expenditure of an "allowances" project, refused beyond what the fund has left."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commendations import services
from commendations.models import Allowance
from funds.models import Expenditure, Project
from tests.commendations.conftest import open_round
from tests.funds.factories import AllocationFactory, ProjectFactory


@pytest.fixture
def project(geo):
    year = timezone.localdate().year
    AllocationFactory(courtyard=geo.courtyard_a1, year=year, amount=Decimal("1000.00"),
                      allocated_on=datetime.date(year, 1, 10))  # fmt: skip
    return ProjectFactory(
        courtyard=geo.courtyard_a1,
        year=year,
        title="自治管理小组成员补贴",
        category=Project.Category.ALLOWANCES,
        budget=Decimal("2000.00"),
    )


def _data(org, project, amount="300.00", voucher="补-001"):
    return {"person": org.member.pk, "project": project.pk, "amount": amount,
            "period": "2026年1—6月", "paid_on": timezone.localdate().isoformat(),
            "voucher_number": voucher}  # fmt: skip


def test_an_allowance_is_a_fund_expenditure_listed_on_the_pages(org, project, geo, people, login):
    open_round(geo, people)
    client = login(people.community)
    url = reverse("commendations:allowance_new", args=[org.organisation.pk])
    assert org.member.name in client.get(url).text
    response = client.post(url, _data(org, project))
    assert response.status_code == 302
    allowance = Allowance.objects.get()
    expenditure = allowance.expenditure
    assert (expenditure.amount, expenditure.payee, expenditure.payee_kind) == (
        Decimal("300.00"), org.member.name, Expenditure.PayeeKind.PERSON)  # fmt: skip
    assert expenditure.project == project
    organisation_page = client.get(org.organisation.get_absolute_url()).text
    assert "2026年1—6月" in organisation_page and org.member.name in organisation_page
    assert "2026年1—6月" in client.get(org.member.get_absolute_url()).text
    # District staff may not see personal data: the member's name is masked.
    district = login(people.district_staff).get(org.organisation.get_absolute_url()).text
    assert org.member.name not in district.split("补贴")[-1]


def test_the_fund_balance_cannot_go_negative(org, project, geo, people, login):
    open_round(geo, people)
    client = login(people.street_a)
    url = reverse("commendations:allowance_new", args=[org.organisation.pk])
    response = client.post(url, _data(org, project, amount="1200.00"))
    assert response.status_code == 200
    assert "超出院落可用余额" in response.text
    assert not Allowance.objects.exists() and not Expenditure.objects.exists()


def test_without_the_districts_decision_no_allowance_is_paid(org, project, geo, people):
    open_round(geo, people, allowances=False)
    with pytest.raises(ValidationError, match="区里未决定"):
        services.allowance_record(organisation=org.organisation, person=org.member,
                                  project=project, by=people.community, amount=Decimal("100"),
                                  period="2026年", paid_on=timezone.localdate(),
                                  voucher_number="补-002")  # fmt: skip
    assert not Expenditure.objects.exists()


def test_only_group_members_and_allowance_projects(org, project, geo, people):
    open_round(geo, people)
    other = ProjectFactory(courtyard=geo.courtyard_a1, year=project.year, title="楼道照明")
    with pytest.raises(ValidationError) as refused:
        services.allowance_record(organisation=org.organisation, person=org.representative,
                                  project=other, by=people.community, amount=Decimal("100"),
                                  period="2026年", paid_on=timezone.localdate(),
                                  voucher_number="补-003")  # fmt: skip
    assert set(refused.value.message_dict) == {"person", "project"}
    assert not Expenditure.objects.exists()


def test_another_streets_organisation_is_not_found(org, project, people, login):
    url = reverse("commendations:allowance_new", args=[org.organisation.pk])
    assert login(people.street_b).get(url).status_code == 404
