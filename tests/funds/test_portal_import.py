"""Expenditures and income imported from the courtyard's fund page (portal/imports.py):
the clerk's workbook previewed, then saved on 确认导入, back to the page it came from; a bad
row saves nothing; another community's courtyard is refused; inspectors get 403."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models import Expenditure, Income
from tests.funds.test_import import EXPENDITURE_HEADERS, INCOME_HEADERS, spending, workbook

SPENDING = reverse("funds:expenditure_import")
INCOME = reverse("funds:income_import")


def upload(client, url, content):
    return client.post(url, {"import_file": SimpleUploadedFile("支出.xlsx", content)})


def confirm(client, url, preview):
    return client.post(url, {**preview.context["confirm"], "confirm": "1"})


def test_the_fund_page_offers_both_imports_to_the_community(people, geo, fund, login):
    url = reverse("funds:courtyard", args=[geo.courtyard_a1.pk])
    page = login(people.community).get(url).content.decode()
    assert "从Excel导入支出" in page and "从Excel导入收入" in page
    page = login(people.inspector).get(url).content.decode()
    assert SPENDING not in page and INCOME not in page


def test_expenditures_preview_then_save_and_go_back_to_the_fund_page(people, geo, fund, login):
    client = login(people.community)
    back = reverse("funds:courtyard", args=[geo.courtyard_a1.pk])
    url = f"{SPENDING}?next={back}"
    content = workbook(EXPENDITURE_HEADERS, spending("记-201", 1000), spending("记-202", 500.5))
    preview = upload(client, url, content)
    assert preview.context["confirm"] is not None
    assert not Expenditure.objects.exists()
    response = confirm(client, url, preview)
    assert response["Location"] == back
    assert Expenditure.objects.total() == Decimal("1500.50")
    assert Expenditure.objects.get(voucher_number="记-201").history.first().history_user == (
        people.community
    )


def test_a_bad_row_saves_nothing_and_is_named(people, geo, fund, login):
    content = workbook(EXPENDITURE_HEADERS, spending("记-201"), spending("记-202", amount=-10))
    response = upload(login(people.community), SPENDING, content)
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [("第3行", "金额（元）")]
    assert "请填写大于零的金额" in response.content.decode()
    assert not Expenditure.objects.exists()


def test_another_communitys_courtyard_is_refused(people, geo, fund, login):
    row = spending("记-301", courtyard="洗面桥3号院", community="洗面桥社区")
    response = upload(login(people.community), SPENDING, workbook(EXPENDITURE_HEADERS, row))
    assert response.context["confirm"] is None
    assert "找不到名为“洗面桥3号院”的院落" in response.content.decode()
    assert not Expenditure.objects.exists()


def test_income_imports_after_confirmation(people, geo, login):
    client = login(people.community)
    good = ["浆洗街街道", "锦里社区", "锦里12号院", "2026-03-31", "停车收费", 1800, "一季度", ""]
    preview = upload(client, INCOME, workbook(INCOME_HEADERS, good))
    assert not Income.objects.exists()
    assert confirm(client, INCOME, preview)["Location"] == reverse("funds:report")
    assert Income.objects.get().amount == Decimal("1800.00")


def test_an_outside_next_is_not_followed(people, geo, login):
    client = login(people.community)
    good = ["浆洗街街道", "锦里社区", "锦里12号院", "2026-03-31", "停车收费", 1800, "一季度", ""]
    url = f"{INCOME}?next=https://example.com/"
    preview = upload(client, url, workbook(INCOME_HEADERS, good))
    assert confirm(client, url, preview)["Location"] == reverse("funds:report")


def test_inspectors_and_streets_get_403(people, login):
    for persona in ("inspector", "street_a"):
        client = login(getattr(people, persona))
        assert client.get(SPENDING).status_code == 403
        assert client.get(INCOME).status_code == 403
