"""Excel import of expenditures and income: Chinese headers, a template, new entries only,
the balance checked row by row, and one bad row rejecting the whole file."""

import io
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from funds.models import Expenditure, Income, Project
from funds.resources import ExpenditureResource
from tests.funds.factories import ExpenditureFactory

EXPENDITURE_HEADERS = [
    "街道",
    "社区",
    "院落",
    "年度",
    "项目",
    "日期",
    "金额（元）",
    "收款方",
    "收款方类型",
    "凭证号",
    "摘要",
    "冲销凭证号",
]
INCOME_HEADERS = ["街道", "社区", "院落", "日期", "类型", "金额（元）", "备注", "冲销记录编号"]


def workbook(headers, *rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def spending(
    voucher="记-201",
    amount=1000,
    project="楼道照明维修",
    courtyard="锦里12号院",
    community="锦里社区",
    kind="单位",
    year=2026,
):
    return [
        "浆洗街街道",
        community,
        courtyard,
        year,
        project,
        "2026-06-01",
        amount,
        "锦里保洁服务社",
        kind,
        voucher,
        "保洁费",
        "",
    ]


def upload(client, model, content):
    """The portal's import page (community members have no back office)."""
    return client.post(
        reverse(f"funds:{model}_import"), {"import_file": SimpleUploadedFile("导入.xlsx", content)}
    )


def confirm(client, model, preview):
    return client.post(
        reverse(f"funds:{model}_import"), {**preview.context["confirm"], "confirm": "1"}
    )


@pytest.mark.parametrize(
    ("model", "headers"), [("expenditure", EXPENDITURE_HEADERS), ("income", INCOME_HEADERS)]
)
def test_the_templates_have_the_chinese_headers(people, login, model, headers):
    response = login(people.community).get(reverse(f"funds:{model}_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == headers


def test_a_good_file_records_new_expenditures_after_confirmation(people, geo, fund, login):
    client = login(people.community)
    preview = upload(
        client,
        "expenditure",
        workbook(EXPENDITURE_HEADERS, spending("记-201", 1000), spending("记-202", 500.5)),
    )
    assert preview.context["confirm"] is not None
    assert not Expenditure.objects.exists()
    response = confirm(client, "expenditure", preview)
    assert response.status_code == 302
    assert Expenditure.objects.total() == Decimal("1500.50")
    entry = Expenditure.objects.get(voucher_number="记-201")
    assert entry.courtyard == geo.courtyard_a1 and entry.project == fund.project
    assert entry.history.first().history_user == people.community


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (spending("记-202", project="不存在的项目"), "项目", "找不到名为“不存在的项目”的项目"),
        (spending("记-202", amount=-10), "金额（元）", "请填写大于零的金额"),
        (spending("记-202", kind="机器人"), "收款方类型", "“机器人”不是可选值"),
        (spending("记-201"), "凭证号", "与本文件第2行重复"),
        (spending("记-202", amount=2500), "金额（元）", "超出项目预算"),
        (spending("记-202", courtyard="洗面桥3号院", community="洗面桥社区"), "项目", "找不到"),
    ],
)
def test_one_bad_row_rejects_the_whole_file(people, geo, fund, login, bad_row, column, message):
    response = upload(
        login(people.community), "expenditure", workbook(EXPENDITURE_HEADERS, spending(), bad_row)
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    assert response.context.get("confirm") is None
    invalid = result.invalid_rows
    assert [row.number for row in invalid] == [3]  # the sheet row: the header is row 1
    assert column in invalid[0].error_dict
    assert message in response.content.decode()
    assert not Expenditure.objects.exists()


def test_rows_cannot_together_overdraw_the_courtyard(people, geo, fund, login):
    Project.objects.filter(pk=fund.project.pk).update(budget=Decimal("9000.00"))
    response = upload(
        login(people.community),
        "expenditure",
        workbook(EXPENDITURE_HEADERS, spending("记-201", 3000), spending("记-202", 2000)),
    )
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [3]  # the sheet row: the header is row 1
    assert "可用余额为1,600.00元" in str(invalid[0].error_dict["金额（元）"])
    assert not Expenditure.objects.exists()


def test_an_existing_voucher_is_never_overwritten(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, voucher_number="记-201", amount=Decimal("10.00"))
    response = upload(
        login(people.community),
        "expenditure",
        workbook(EXPENDITURE_HEADERS, spending("记-201", 999)),
    )
    assert "该凭证号在本院落本年度已使用" in response.content.decode()
    assert Expenditure.objects.get().amount == Decimal("10.00")


def test_the_confirm_step_rolls_back_everything_on_a_bad_row(people, geo, fund):
    dataset = tablib.Dataset(
        spending("记-201", 100), spending("记-202", 99999), headers=EXPENDITURE_HEADERS
    )
    result = ExpenditureResource(user=people.community).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not Expenditure.objects.exists()


def test_an_import_cannot_reach_another_communitys_courtyard(people, geo, login):
    Project.objects.create(
        courtyard=geo.courtyard_a2, year=2026, title="外院项目", category="other", budget=10
    )
    response = upload(
        login(people.community),
        "expenditure",
        workbook(
            EXPENDITURE_HEADERS,
            spending(courtyard="洗面桥3号院", community="洗面桥社区", project="外院项目", amount=1),
        ),
    )
    assert response.context["result"].has_validation_errors()
    assert not Expenditure.objects.exists()


def test_income_imports_and_a_bad_kind_rejects_the_file(people, geo, login):
    client = login(people.community)
    good = ["浆洗街街道", "锦里社区", "锦里12号院", "2026-03-31", "停车收费", 1800, "一季度", ""]
    bad = ["浆洗街街道", "锦里社区", "锦里12号院", "2026-03-31", "罚款", 100, "", ""]
    response = upload(client, "income", workbook(INCOME_HEADERS, good, bad))
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [
        3
    ]  # the sheet row: the header is row 1 and "类型" in invalid[0].error_dict
    assert not Income.objects.exists()
    preview = upload(client, "income", workbook(INCOME_HEADERS, good))
    confirm(client, "income", preview)
    assert Income.objects.get().amount == Decimal("1800.00")


def test_the_expenditure_export_masks_individuals_for_district_staff(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, payee="刘德明", payee_kind="person")
    fields = {f"expenditureresource_{f}": "on" for f in ["courtyard", "payee", "voucher_number"]}
    response = login(people.district_staff).post(
        reverse("admin:funds_expenditure_export"), {"format": "0", "resource": "0", **fields}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == ("锦里12号院", "刘**")
