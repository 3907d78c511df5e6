"""The forms community members use on their phones: spending, income, projects and
reversing entries; with the balance refusal, bad input and scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import Expenditure, Income, Project
from tests.funds.factories import ExpenditureFactory, IncomeFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def spend_url(courtyard, year=2026):
    return f"{reverse('funds:spend', args=[courtyard.pk])}?year={year}"


def spending(project, **changes):
    return {
        "project": project.pk,
        "spent_on": "2026-06-01",
        "amount": "1200.00",
        "payee": "锦里保洁服务社",
        "payee_kind": "organisation",
        "voucher_number": "记-101",
        "description": "六月保洁费",
        **changes,
    }


def test_the_form_shows_the_available_balance(people, geo, fund, login):
    response = login(people.community).get(spend_url(geo.courtyard_a1))
    assert response.context["balance"] == Decimal("4600.00")
    assert "4,600.00" in response.content.decode()
    assert list(response.context["form"].fields["project"].queryset) == [fund.project]


def test_a_community_member_records_an_expenditure(people, geo, fund, login):
    client = login(people.community)
    response = client.post(spend_url(geo.courtyard_a1), spending(fund.project))
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.courtyard == geo.courtyard_a1 and expenditure.year == 2026
    assert expenditure.history.first().history_user == people.community
    page = client.get(response.url).content.decode()
    assert "支出已登记" in page and "3,400.00" in page


def test_spending_more_than_is_left_is_refused_with_the_balance_next_to_the_amount(
    people, geo, fund, login
):
    Project.objects.filter(pk=fund.project.pk).update(budget=Decimal("9000.00"))
    response = login(people.community).post(
        spend_url(geo.courtyard_a1), spending(fund.project, amount="4600.01")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["amount"]
    assert "超出院落可用余额" in errors["amount"][0] and "4,600.00元" in errors["amount"][0]
    assert 'value="4600.01"' in response.content.decode()  # what was typed is kept
    assert not Expenditure.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": ""}, "amount", "这个字段是必填项"),
        ({"amount": "-5"}, "amount", "请填写大于零的金额"),
        ({"amount": "12.345"}, "amount", "确认小数不超过 2 位"),
        ({"voucher_number": ""}, "voucher_number", "这个字段是必填项"),
        ({"spent_on": "2027-01-01"}, "spent_on", "日期不能晚于今天"),
        ({"payee_kind": "robot"}, "payee_kind", "不在可用的选项中"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_stored(
    people, geo, fund, login, changes, field, message
):
    response = login(people.community).post(
        spend_url(geo.courtyard_a1), spending(fund.project, **changes)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Expenditure.objects.exists()


def test_a_used_voucher_number_is_refused_on_its_field(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, voucher_number="记-101")
    response = login(people.community).post(spend_url(geo.courtyard_a1), spending(fund.project))
    assert "该凭证号在本院落本年度已使用" in response.context["form"].errors["voucher_number"][0]


def test_a_receipt_scan_is_kept_and_served_only_within_the_scope(people, geo, fund, login):
    client = login(people.community)
    data = spending(fund.project, receipt=SimpleUploadedFile("发票.pdf", PDF))
    assert client.post(spend_url(geo.courtyard_a1), data).status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.receipt_name == "发票.pdf"
    receipt_url = reverse("funds:receipt", args=[expenditure.pk])
    response = client.get(receipt_url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert login(people.street_b).get(receipt_url).status_code == 404


def test_a_receipt_that_is_not_a_document_is_refused(people, geo, fund, login):
    data = spending(fund.project, receipt=SimpleUploadedFile("发票.pdf", b"<script>x</script>"))
    response = login(people.community).post(spend_url(geo.courtyard_a1), data)
    assert "不是PDF或图片" in response.context["form"].errors["receipt"][0]
    assert not Expenditure.objects.exists()


def test_street_staff_may_not_record_spending(people, geo, fund, login):
    client = login(people.street_a)
    assert client.get(spend_url(geo.courtyard_a1)).status_code == 403
    assert client.post(spend_url(geo.courtyard_a1), spending(fund.project)).status_code == 403
    assert not Expenditure.objects.exists()


def test_another_communitys_courtyard_or_project_is_out_of_reach(people, geo, fund, login):
    client = login(people.community)
    assert client.get(spend_url(geo.courtyard_a2)).status_code == 404
    other = Project.objects.create(
        courtyard=geo.courtyard_a2, year=2026, title="外院项目", category="other", budget=10
    )
    response = client.post(spend_url(geo.courtyard_a1), spending(other))
    assert "project" in response.context["form"].errors
    assert not Expenditure.objects.exists()


def test_without_a_project_the_form_says_to_register_one(people, geo, login):
    page = login(people.community).get(spend_url(geo.courtyard_a1)).content.decode()
    assert "尚无计划中或实施中的项目" in page and "登记项目" in page


def test_an_expenditure_is_reversed_once_from_its_page(people, geo, fund, login):
    original = ExpenditureFactory(project=fund.project, amount=Decimal("300.00"))
    client = login(people.community)
    url = reverse("funds:expenditure_reverse", args=[original.pk])
    assert "记-" in client.get(url).content.decode()
    response = client.post(
        url, {"spent_on": "2026-06-05", "voucher_number": "冲-1", "reason": "金额录错"}
    )
    assert response.status_code == 302
    reversal = Expenditure.objects.get(reverses=original)
    assert reversal.amount == Decimal("300.00") and reversal.description == "金额录错"
    again = client.get(url)
    assert "该记录已被冲销" in again.content.decode()
    client.post(url, {"spent_on": "2026-06-06", "voucher_number": "冲-2", "reason": "再冲"})
    assert Expenditure.objects.count() == 2


def test_income_is_recorded_and_reversed(people, geo, login):
    client = login(people.community)
    response = client.post(
        reverse("funds:income_add", args=[geo.courtyard_a1.pk]),
        {"received_on": "2026-03-31", "kind": "parking", "amount": "1800", "note": "一季度"},
    )
    assert response.status_code == 302
    income = Income.objects.get()
    response = client.post(
        reverse("funds:income_reverse", args=[income.pk]),
        {"received_on": "2026-04-02", "reason": "重复登记"},
    )
    assert response.status_code == 302
    assert Income.objects.filter(courtyard=geo.courtyard_a1).total() == Decimal("0.00")


def test_an_income_reversal_in_another_year_is_refused_on_the_date(people, geo, login):
    income = IncomeFactory(courtyard=geo.courtyard_a1)
    response = login(people.community).post(
        reverse("funds:income_reverse", args=[income.pk]),
        {"received_on": "2025-12-01", "reason": "错误"},
    )
    assert "received_on" in response.context["form"].errors
    assert Income.objects.count() == 1


def test_a_project_is_registered_and_edited_on_pages(people, geo, login):
    client = login(people.community)
    response = client.post(
        f"{reverse('funds:project_add', args=[geo.courtyard_a1.pk])}?year=2026",
        {
            "year": 2026,
            "title": "夜间巡逻",
            "category": "security",
            "budget": "2400",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(title="夜间巡逻")
    assert project.courtyard == geo.courtyard_a1
    response = client.post(
        reverse("funds:project_edit", args=[project.pk]),
        {
            "year": 2026,
            "title": "夜间巡逻",
            "category": "security",
            "budget": "2400",
            "status": "done",
        },
    )
    assert "请填写项目完成或取消的日期" in response.context["form"].errors["ended_on"][0]


def test_a_budget_below_what_was_spent_is_refused_on_the_budget(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("2500.00"))
    response = login(people.community).post(
        reverse("funds:project_edit", args=[fund.project.pk]),
        {
            "year": 2026,
            "title": fund.project.title,
            "category": "sanitation",
            "budget": "2000",
            "status": "in_progress",
        },
    )
    assert "2,500.00" in response.context["form"].errors["budget"][0]
    fund.project.refresh_from_db()
    assert fund.project.budget == Decimal("3000.00")


def test_a_duplicate_project_title_is_refused_on_the_title(people, geo, fund, login):
    response = login(people.community).post(
        reverse("funds:project_add", args=[geo.courtyard_a1.pk]),
        {
            "year": 2026,
            "title": "楼道照明维修",
            "category": "repairs",
            "budget": "100",
            "status": "planned",
        },
    )
    assert "该院落本年度已有同名项目" in response.context["form"].errors["title"][0]


def test_a_reversal_is_dated_no_earlier_than_its_entry(people, geo, fund, login):
    original = ExpenditureFactory(project=fund.project, spent_on=datetime.date(2026, 6, 1))
    response = login(people.community).post(
        reverse("funds:expenditure_reverse", args=[original.pk]),
        {"spent_on": "2026-05-01", "voucher_number": "冲-1", "reason": "错"},
    )
    assert "冲销日期不能早于原记录日期" in response.context["form"].errors["spent_on"][0]
