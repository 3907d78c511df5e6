"""Excel import of courtyards: Chinese headers, a template, all or nothing, errors located."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from courtyards.models import Courtyard
from courtyards.resources import CourtyardResource

HEADERS = [
    "街道",
    "社区",
    "院落",
    "地址",
    "类型",
    "户数",
    "人数",
    "楼栋数",
    "物业公司",
    "业委会",
    "整治情况",
    "整治年份",
]


def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_row(name="新院落", community="锦里社区", street="浆洗街街道", households=50):
    return [
        street,
        community,
        name,
        "锦里路1号",
        "无物管老式院落",
        households,
        120,
        2,
        "",
        "",
        "已完成",
        2023,
    ]


def upload(client, content):
    return client.post(
        reverse("admin:courtyards_courtyard_import"),
        {"import_file": SimpleUploadedFile("院落.xlsx", content), "format": "0", "resource": "0"},
    )


def test_the_template_has_the_chinese_headers(people, login):
    response = login(people.street_a).get(reverse("admin:courtyards_courtyard_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 1


def test_a_good_file_imports_after_confirmation(people, geo, login):
    client = login(people.street_a)
    preview = upload(client, workbook(good_row("甲院"), good_row("乙院", community="洗面桥社区")))
    assert preview.context["confirm_form"] is not None
    assert not Courtyard.objects.filter(
        name__in=["甲院", "乙院"]
    ).exists()  # a preview writes nothing
    confirm = preview.context["confirm_form"].initial
    response = client.post(reverse("admin:courtyards_courtyard_process_import"), confirm)
    assert response.status_code == 302
    created = Courtyard.objects.get(name="甲院")
    assert created.community == geo.community_a1
    assert created.kind == Courtyard.Kind.NO_PROPERTY_MANAGEMENT
    assert created.remediation == Courtyard.Remediation.DONE
    assert created.history.first().history_user == people.street_a


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (good_row("丙院", community="不存在社区"), "社区", "找不到名为“不存在社区”的社区"),
        (good_row("丙院", households=-5), "户数", "确保该值大于或等于0"),
        (good_row("甲院"), "院落", "与本文件第2行重复"),
        ([*good_row("丙院")[:4], "别墅", *good_row()[5:]], "类型", "“别墅”不是可选值"),
        ([*good_row("丙院")[:6], 20, *good_row()[7:]], "人数", "人数不能少于户数"),
    ],
)
def test_one_bad_row_rejects_the_whole_file(people, geo, login, bad_row, column, message):
    before = Courtyard.objects.count()
    response = upload(login(people.street_a), workbook(good_row("甲院"), bad_row))
    result = response.context["result"]
    assert result.has_validation_errors()
    assert response.context.get("confirm_form") is None
    invalid = result.invalid_rows
    assert [row.number for row in invalid] == [3]  # the sheet row: the header is row 1
    assert column in invalid[0].error_dict
    assert message in response.content.decode()
    assert Courtyard.objects.count() == before


def test_an_import_cannot_reach_another_streets_community(people, geo, login):
    response = upload(
        login(people.street_a),
        workbook(good_row("越界院", community="九眼桥社区", street="望江路街道")),
    )
    assert response.context["result"].has_validation_errors()
    assert not Courtyard.objects.filter(name="越界院").exists()


def test_the_confirm_step_still_rolls_back_everything_on_a_bad_row(people, geo):
    dataset = tablib.Dataset(
        good_row("甲院"), good_row("丙院", community="不存在社区"), headers=HEADERS
    )
    result = CourtyardResource(user=people.street_a).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not Courtyard.objects.filter(name="甲院").exists()


def test_an_import_updates_an_existing_courtyard_by_community_and_name(people, geo):
    dataset = tablib.Dataset(good_row("锦里12号院", households=150), headers=HEADERS)
    dataset[0] = tuple(good_row("锦里12号院", households=150)[:6]) + (
        400,
        3,
        "",
        "",
        "已完成",
        2023,
    )
    result = CourtyardResource(user=people.street_a).import_data(dataset, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    geo.courtyard_a1.refresh_from_db()
    assert geo.courtyard_a1.households == 150
    assert Courtyard.objects.filter(name="锦里12号院").count() == 1


def test_the_template_sheet_is_named_after_what_it_holds(people, login):
    response = login(people.street_a).get(reverse("admin:courtyards_courtyard_import_template"))
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["院落"]


def test_a_refused_file_is_headed_in_plain_chinese(people, geo, login):
    response = upload(login(people.street_a), workbook(good_row("丙院", households="五十")))
    page = response.content.decode()
    assert "文件未导入" in page and "第2行" in page
    assert "某些行验数据证失败" not in page  # the library's garbled heading


def test_a_file_that_no_longer_imports_at_confirmation_saves_nothing_and_says_why(
    people, geo, login
):
    client = login(people.street_a)
    preview = upload(client, workbook(good_row("甲院"), good_row("乙院")))
    confirm = preview.context["confirm_form"].initial
    geo.community_a1.name = "锦里新社区"  # renamed by someone else in the meantime
    geo.community_a1.save()
    response = client.post(reverse("admin:courtyards_courtyard_process_import"), confirm)
    assert response.status_code == 200
    problems = [(p.row, p.column) for p in response.context["result"].problems]
    assert problems == [("第2行", "社区"), ("第3行", "社区")]
    assert "找不到名为“锦里社区”的社区" in response.content.decode()
    assert not Courtyard.objects.filter(name__in=["甲院", "乙院"]).exists()


def test_an_unexpected_failure_is_told_in_chinese_without_a_traceback(
    people, geo, login, monkeypatch
):
    def fail(self, *args, **kwargs):
        raise RuntimeError("boom at /srv/portal/courtyards/resources.py")

    monkeypatch.setattr(CourtyardResource, "save_instance", fail)
    response = upload(login(people.street_a), workbook(good_row("甲院")))
    page = response.content.decode()
    assert "系统处理这一行时出错，没有导入任何数据" in page
    assert "Traceback" not in page and "boom" not in page and "RuntimeError" not in page
    assert response.context.get("confirm_form") is None
    assert not Courtyard.objects.filter(name="甲院").exists()


def test_a_header_only_in_a_code_built_dataset_is_checked_too(people, geo):
    dataset = tablib.Dataset(good_row("甲院"), headers=[*HEADERS[:-1], "面积"])
    result = CourtyardResource(user=people.street_a).import_data(dataset, dry_run=False)
    assert [p.message for p in result.problems][0] == (
        "第1行是表头，其中“面积”（L列）不是本表的列。"
    )
    assert not Courtyard.objects.filter(name="甲院").exists()
