"""The fund's admin screens: scope, history, no deletion, entries never edited, and the
same money rules as the pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funds.models import Allocation, Expenditure, Income, Source
from tests.factories import DistrictFactory, UserFactory
from tests.funds.factories import (
    AllocationFactory,
    ExpenditureFactory,
    FundRateFactory,
    IncomeFactory,
    ProjectFactory,
)

MODELS = ["fundrate", "allocation", "project", "expenditure", "income"]


@pytest.fixture
def system_admin(db):
    """Only community members record spending and income, and they have no back office: the
    admin's own rules for these records are proven as the system administrator meets them."""
    return UserFactory(username="xitong", is_superuser=True, is_staff=True)


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:funds_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_every_persona_opens_the_screens_their_role_reads(people, geo, fund, login, model):
    for persona in ["district_admin", "district_staff", "street_a"]:
        assert login(getattr(people, persona)).get(admin_url(model)).status_code == 200
    for persona in ["community", "inspector", "no_role"]:  # no back office: the portal's pages
        assert login(getattr(people, persona)).get(admin_url(model)).status_code == 403


def test_changelists_hold_only_the_scope(people, geo, fund, login):
    AllocationFactory(courtyard=geo.courtyard_b1, document_number="望街发〔2026〕1号")
    response = login(people.street_a).get(admin_url("allocation"))
    listed = {a.courtyard.name for a in response.context["cl"].result_list}
    assert listed == {"锦里12号院"}
    assert "望街发" not in response.content.decode()


@pytest.mark.parametrize("view", ["change", "history"])
@pytest.mark.parametrize("model", MODELS)
def test_another_scopes_records_answer_404(people, geo, login, model, view):
    other_district = DistrictFactory(name="锦江区")
    obj = {
        "fundrate": FundRateFactory(district=other_district),
        "allocation": AllocationFactory(courtyard=geo.courtyard_b1),
        "project": ProjectFactory(courtyard=geo.courtyard_b1),
        "expenditure": ExpenditureFactory(project__courtyard=geo.courtyard_b1),
        "income": IncomeFactory(courtyard=geo.courtyard_b1),
    }[model]
    persona = people.district_admin if model == "fundrate" else people.street_a
    assert login(persona).get(admin_url(model, view, obj.pk)).status_code == 404
    assert (
        login(people.street_b if model != "fundrate" else people.district_admin)
        .get(admin_url(model, "changelist"))
        .status_code
        == 200
    )


@pytest.mark.parametrize("model", MODELS)
def test_nothing_financial_is_deleted_not_even_by_a_superuser(geo, fund, login, model):
    root = UserFactory(is_superuser=True, is_staff=True)
    obj = {
        "fundrate": fund.rate,
        "allocation": fund.district,
        "project": fund.project,
        "expenditure": ExpenditureFactory(project=fund.project),
        "income": IncomeFactory(courtyard=geo.courtyard_a1),
    }[model]
    assert login(root).get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


def add_expenditure(client, project, amount):
    return client.post(
        admin_url("expenditure", "add"),
        {
            "project": project.pk,
            "spent_on": "2026-06-01",
            "amount": amount,
            "payee": "锦里保洁服务社",
            "payee_kind": "organisation",
            "voucher_number": "记-900",
            "description": "保洁",
        },
    )


def test_spending_in_admin_obeys_the_balance(people, geo, fund, login, system_admin):
    client = login(system_admin)
    fund.project.budget = Decimal("9000.00")
    fund.project.save()
    response = add_expenditure(client, fund.project, "5000.00")
    assert response.status_code == 200
    assert "可用余额为4,600.00元" in response.content.decode()
    assert not Expenditure.objects.exists()
    assert add_expenditure(client, fund.project, "4600.00").status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.courtyard == geo.courtyard_a1
    assert expenditure.history.first().history_user == system_admin


def test_a_recorded_expenditure_only_takes_a_receipt(people, geo, fund, login, system_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entry = ExpenditureFactory(project=fund.project, amount=Decimal("100.00"))
    client = login(system_admin)
    response = client.post(
        admin_url("expenditure", "change", entry.pk),
        {
            "amount": "1.00",
            "receipt": SimpleUploadedFile("票据.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00") and entry.receipt_name == "票据.png"


def test_income_is_never_edited_in_admin(people, geo, login, system_admin):
    income = IncomeFactory(courtyard=geo.courtyard_a1, amount=Decimal("200.00"))
    client = login(system_admin)
    client.post(
        admin_url("income", "change", income.pk),
        {
            "courtyard": geo.courtyard_a1.pk,
            "received_on": "2026-05-01",
            "kind": "parking",
            "amount": "1.00",
        },
    )
    income.refresh_from_db()
    assert income.amount == Decimal("200.00")
    response = client.post(
        admin_url("income", "add"),
        {
            "courtyard": geo.courtyard_a1.pk,
            "received_on": "2026-05-01",
            "kind": "rental",
            "amount": "300.00",
            "note": "活动室出租",
        },
    )
    assert response.status_code == 302 and Income.objects.count() == 2


def test_individual_payees_are_masked_in_admin_for_district_staff(people, geo, fund, login):
    entry = ExpenditureFactory(project=fund.project, payee="刘德明", payee_kind="person")
    for url in [admin_url("expenditure"), admin_url("expenditure", "change", entry.pk)]:
        page = login(people.district_staff).get(url).content.decode()
        assert "刘德明" not in page and "刘**" in page
    assert "刘德明" in login(people.street_a).get(admin_url("expenditure")).content.decode()


def test_street_staff_are_offered_only_their_streets_money(people, geo, login):
    client = login(people.street_a)
    form = client.get(admin_url("allocation", "add")).context["adminform"].form
    assert [c[0] for c in form.fields["source"].choices if c[0]] == [Source.STREET]
    response = client.post(
        admin_url("allocation", "add"),
        {
            "courtyard": geo.courtyard_a1.pk,
            "year": 2026,
            "source": "district",
            "amount": "500",
            "allocated_on": "2026-04-01",
        },
    )
    assert response.status_code == 200 and not Allocation.objects.exists()
    response = client.post(
        admin_url("allocation", "add"),
        {
            "courtyard": geo.courtyard_a1.pk,
            "year": 2026,
            "source": "street",
            "amount": "500",
            "allocated_on": "2026-04-01",
            "document_number": "浆街发〔2026〕3号",
        },
    )
    assert response.status_code == 302
    assert Allocation.objects.get().history.first().history_user == people.street_a


def test_an_allocation_with_spending_keeps_its_amount_in_admin(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("50.00"))
    response = login(people.street_a).post(
        admin_url("allocation", "change", fund.street.pk),
        {
            "courtyard": geo.courtyard_a1.pk,
            "year": 2026,
            "source": "street",
            "amount": "10",
            "allocated_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "已支出50.00元" in response.content.decode()
    fund.street.refresh_from_db()
    assert fund.street.amount == Decimal("1000.00")


def test_an_inspector_reads_but_records_nothing(people, geo, fund, login):
    client = login(people.inspector)
    assert client.get(admin_url("expenditure", "add")).status_code == 403
    assert add_expenditure(client, fund.project, "1.00").status_code == 403
    assert not Expenditure.objects.exists()
