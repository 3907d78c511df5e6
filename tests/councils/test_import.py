"""Excel import of people and memberships: Chinese headers, a template, all or nothing,
each error located by row and column, and never beyond the importer's scope."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from councils.models import Membership, Person
from councils.resources import MembershipResource, PersonResource
from tests.councils.factories import PersonFactory

PERSON_HEADERS = [
    "街道",
    "社区",
    "院落",
    "姓名",
    "性别",
    "出生年份",
    "联系电话",
    "楼栋",
    "单元",
    "政治面貌",
    "文化程度",
    "职业",
]
MEMBERSHIP_HEADERS = [
    "街道",
    "社区",
    "院落自治组织",
    "机构",
    "届次",
    "姓名",
    "出生年份",
    "职务",
    "任职开始日期",
    "离任日期",
    "离任原因",
]


def workbook(headers, *rows):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person_row(name="张桂芳", courtyard="锦里12号院", community="锦里社区", born=1958, **kw):
    row = {
        "街道": "浆洗街街道",
        "社区": community,
        "院落": courtyard,
        "姓名": name,
        "性别": "女",
        "出生年份": born,
        "联系电话": "13812345678",
        "楼栋": "3栋",
        "单元": "2单元",
        "政治面貌": "中共党员",
        "文化程度": "高中或中专",
        "职业": "退休职工",
        **kw,
    }
    return [row[h] for h in PERSON_HEADERS]


def upload(client, model, content):
    """The portal's import page (community members have no back office)."""
    return client.post(
        reverse(f"councils:{model}_import"),
        {"import_file": SimpleUploadedFile("名单.xlsx", content)},
    )


def confirm(client, model, preview):
    return client.post(
        reverse(f"councils:{model}_import"), {**preview.context["confirm"], "confirm": "1"}
    )


def test_the_people_template_has_the_chinese_headers(people, login):
    response = login(people.community).get(reverse("councils:person_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == PERSON_HEADERS
    assert sheet.max_row == 1


def test_the_membership_template_has_the_chinese_headers(people, login):
    response = login(people.community).get(reverse("councils:membership_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == MEMBERSHIP_HEADERS


def test_a_good_people_file_imports_after_confirmation(geo, people, login):
    client = login(people.community)
    preview = upload(
        client,
        "person",
        workbook(PERSON_HEADERS, person_row("张桂芳"), person_row("李建国", 性别="男")),
    )
    assert preview.context["confirm"] is not None
    assert not Person.objects.exists()  # a preview writes nothing
    response = confirm(client, "person", preview)
    assert response.status_code == 302
    created = Person.objects.get(name="李建国")
    assert (created.courtyard, created.gender, created.education) == (
        geo.courtyard_a1,
        "male",
        "senior",
    )
    assert created.history.first().history_user == people.community


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (person_row("王五", courtyard="不存在院"), "院落", "找不到名为“不存在院”的院落"),
        (person_row("王五", 性别="未知"), "性别", "“未知”不是可选值"),
        (person_row("王五", born=2015), "出生年份", "任职人员须已成年"),
        (person_row("王五", 联系电话="打电话"), "联系电话", "请填写由数字组成的电话号码"),
        (person_row("张桂芳"), "出生年份", "与本文件第2行重复"),
    ],
)
def test_one_bad_person_row_rejects_the_whole_file(geo, people, login, bad_row, column, message):
    response = upload(
        login(people.community), "person", workbook(PERSON_HEADERS, person_row("张桂芳"), bad_row)
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    assert response.context.get("confirm") is None
    assert [row.number for row in result.invalid_rows] == [3]  # the sheet row
    assert column in result.invalid_rows[0].error_dict
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_people_cannot_be_imported_into_another_scope(geo, people, login):
    response = upload(
        login(people.community),
        "person",
        workbook(
            PERSON_HEADERS, person_row("越界", courtyard="洗面桥3号院", community="洗面桥社区")
        ),
    )
    assert response.context["result"].has_validation_errors()
    assert not Person.objects.exists()


def test_a_role_without_personal_data_neither_exports_nor_imports_phones(geo, people):
    resource = PersonResource(user=people.district_staff)
    headers = [str(field.column_name) for field in resource.get_export_fields()]
    assert "联系电话" not in headers and "楼栋" not in headers and "单元" not in headers


# Memberships


def membership_row(name, role="民情代表", number=1, started="2023-03-01", **kw):
    row = {
        "街道": "浆洗街街道",
        "社区": "锦里社区",
        "院落自治组织": "锦里12号院自治组织",
        "机构": "院落民情代表议事会",
        "届次": number,
        "姓名": name,
        "出生年份": 1962,
        "职务": role,
        "任职开始日期": started,
        "离任日期": "",
        "离任原因": "",
        **kw,
    }
    return [row[h] for h in MEMBERSHIP_HEADERS]


def test_past_memberships_import_into_their_term(council, geo, people):
    a = PersonFactory(courtyard=geo.courtyard_a1, name="赵德明", birth_year=1962)
    b = PersonFactory(courtyard=geo.courtyard_a1, name="钱淑华", birth_year=1962)
    dataset = tablib.Dataset(
        membership_row("赵德明", 离任日期="2023-09-01", 离任原因="辞职"),
        membership_row("钱淑华", 离任日期="2023-10-01", 离任原因="迁出"),
        headers=MEMBERSHIP_HEADERS,
    )
    result = MembershipResource(user=people.community).import_data(dataset, dry_run=False)
    assert not result.has_validation_errors() and not result.has_errors()
    imported = Membership.objects.get(person=a)
    assert imported.term == council.council_election.term
    assert imported.body == imported.term.body
    assert (str(imported.ended_on), imported.end_reason) == ("2023-09-01", "resigned")
    assert Membership.objects.get(person=b).end_reason == "moved_away"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            membership_row("赵德明", number=9),
            "届次",
            "找不到“锦里12号院自治组织”院落民情代表议事会第9届",
        ),
        (membership_row("无此人"), "姓名", "没有登记名为“无此人”的人员"),
        (membership_row("赵德明", role="组长"), "职务", "院落民情代表议事会没有这一职务"),
        (membership_row("赵德明", 离任日期="2023-09-01"), "离任原因", "请填写离任原因"),
        (
            membership_row("赵德明", started="2020-01-01"),
            "任职开始日期",
            "任职开始日期须在本届任期内",
        ),
    ],
)
def test_one_bad_membership_row_rejects_the_whole_file(
    council, geo, people, login, row, column, message
):
    PersonFactory(courtyard=geo.courtyard_a1, name="赵德明", birth_year=1962)
    PersonFactory(courtyard=geo.courtyard_a1, name="钱淑华", birth_year=1962)
    before = Membership.objects.count()
    good = membership_row("钱淑华", 离任日期="2023-10-01", 离任原因="迁出")
    response = upload(
        login(people.community), "membership", workbook(MEMBERSHIP_HEADERS, good, row)
    )
    result = response.context["result"]
    assert result.has_validation_errors()
    assert [r.number for r in result.invalid_rows] == [3]  # the sheet row
    assert column in result.invalid_rows[0].error_dict, result.invalid_rows[0].error_dict
    assert message in response.content.decode()
    assert Membership.objects.count() == before


def test_two_people_of_one_name_are_told_apart_by_year_of_birth(council, geo, people):
    PersonFactory(courtyard=geo.courtyard_a1, name="孙丽华", birth_year=1955)
    PersonFactory(courtyard=geo.courtyard_a1, name="孙丽华", birth_year=1968)
    row = membership_row("孙丽华", 出生年份="", 离任日期="2023-05-01", 离任原因="辞职")
    result = MembershipResource(user=people.community).import_data(
        tablib.Dataset(row, headers=MEMBERSHIP_HEADERS), dry_run=True
    )
    assert "请填写出生年份加以区分" in str(result.invalid_rows[0].error_dict)
    row = membership_row("孙丽华", 出生年份=1968, 离任日期="2023-05-01", 离任原因="辞职")
    result = MembershipResource(user=people.community).import_data(
        tablib.Dataset(row, headers=MEMBERSHIP_HEADERS), dry_run=False
    )
    assert not result.has_validation_errors()
    assert Membership.objects.get(person__name="孙丽华").person.birth_year == 1968


def test_memberships_cannot_be_imported_into_another_scope(council, geo, people):
    PersonFactory(courtyard=geo.courtyard_a1, name="赵德明", birth_year=1962)
    result = MembershipResource(user=people.street_b).import_data(
        tablib.Dataset(membership_row("赵德明"), headers=MEMBERSHIP_HEADERS), dry_run=False
    )
    assert result.has_validation_errors()
    assert not Membership.objects.filter(person__name="赵德明").exists()


def test_a_role_without_personal_data_is_told_to_remove_a_phone_column(geo, people):
    dataset = tablib.Dataset(person_row("王五"), headers=PERSON_HEADERS)
    result = PersonResource(user=people.district_staff).import_data(dataset, dry_run=False)
    messages = [problem.message for problem in result.problems]
    assert messages[:3] == [
        "“联系电话”（G列）属于个人信息，您的角色不能导入：请删去这一列，再重新上传。",
        "“楼栋”（H列）属于个人信息，您的角色不能导入：请删去这一列，再重新上传。",
        "“单元”（I列）属于个人信息，您的角色不能导入：请删去这一列，再重新上传。",
    ]
    assert not Person.objects.exists()


def test_an_unknown_term_gives_one_message_not_a_second_about_the_body(council, geo, people):
    PersonFactory(courtyard=geo.courtyard_a1, name="赵德明", birth_year=1962)
    result = MembershipResource(user=people.community).import_data(
        tablib.Dataset(membership_row("赵德明", number=9), headers=MEMBERSHIP_HEADERS),
        dry_run=True,
    )
    [invalid] = result.invalid_rows
    assert list(invalid.error_dict) == ["届次"]  # not also 机构 “这个值不能为 null”


def test_a_person_is_found_in_a_courtyard_saved_with_full_width_digits(geo, people):
    geo.courtyard_a1.name = "锦里１２号院"
    geo.courtyard_a1.save()
    result = PersonResource(user=people.community).import_data(
        tablib.Dataset(person_row("王五", courtyard="锦里12号院"), headers=PERSON_HEADERS),
        dry_run=False,
    )
    assert not result.has_validation_errors(), result.problems
    assert Person.objects.get(name="王五").courtyard == geo.courtyard_a1


def test_memberships_import_on_the_portal_page_after_confirmation(council, geo, people, login):
    """The portal's page (portal/imports.py), linked from the organisation list."""
    PersonFactory(courtyard=geo.courtyard_a1, name="钱淑华", birth_year=1962)
    client = login(people.community)
    url = reverse("councils:membership_import")
    assert url in client.get(reverse("councils:list")).content.decode()
    before = Membership.objects.count()
    row = membership_row("钱淑华", 离任日期="2023-10-01", 离任原因="迁出")
    preview = client.post(
        url, {"import_file": SimpleUploadedFile("任职.xlsx", workbook(MEMBERSHIP_HEADERS, row))}
    )
    assert preview.context["confirm"] is not None
    assert Membership.objects.count() == before
    response = client.post(url, {**preview.context["confirm"], "confirm": "1"})
    assert response["Location"] == reverse("councils:list")
    assert Membership.objects.get(person__name="钱淑华").end_reason == "moved_away"
