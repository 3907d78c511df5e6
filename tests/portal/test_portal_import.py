"""The portal's own import pages (portal/imports.py): a community member imports the
clerk's workbook without the admin, in the admin's two steps. The preview saves nothing,
确认导入 saves, a bad cell is named by row and column in Chinese and nothing is saved,
another community's rows are refused as the admin refuses them, roles without the add
permission get 403."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from councils.models import Person
from courtyards.models import Courtyard
from tests.councils.test_import import PERSON_HEADERS, person_row
from tests.councils.test_import import workbook as people_workbook
from tests.courtyards.test_import import good_row
from tests.courtyards.test_import import workbook as courtyard_workbook
from tests.import_corpus.build import people_with_spaces

PEOPLE = reverse("councils:person_import")
COURTYARDS = reverse("courtyards:courtyard_import")


def clerk_made(rows):
    """A workbook of tests/import_corpus/build.py, as a clerk made it."""
    book = Workbook()
    rows(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, url, content, name="名单.xlsx"):
    return client.post(url, {"import_file": SimpleUploadedFile(name, content)})


def confirm(client, url, preview):
    return client.post(url, {**preview.context["confirm"], "confirm": "1"})


def test_the_people_list_offers_the_import_to_those_who_may_add_people(people, login):
    page = login(people.community).get(reverse("councils:people")).content.decode()
    assert PEOPLE in page and "从Excel导入" in page
    page = login(people.inspector).get(reverse("councils:people")).content.decode()
    assert PEOPLE not in page


def test_the_page_explains_the_file_and_offers_the_template(people, login):
    client = login(people.community)
    page = client.get(PEOPLE)
    text = page.content.decode()
    assert page.status_code == 200
    assert "从Excel导入任职人员" in text and "下载导入模板" in text and "姓名*" in text
    template = client.get(reverse("councils:person_import_template"))
    headers = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(headers) == PERSON_HEADERS


def test_a_clerks_workbook_previews_then_imports_on_confirmation(geo, people, login):
    client = login(people.community)
    preview = upload(client, PEOPLE, clerk_made(people_with_spaces))
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "预览：确认导入之前不会保存任何数据" in text and "确认导入" in text
    assert not Person.objects.exists()  # a preview writes nothing
    response = confirm(client, PEOPLE, preview)
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:people") + "?status=all"
    assert sorted(Person.objects.values_list("name", flat=True)) == ["李建国", "王芳", "赵德明"]
    assert Person.objects.first().history.first().history_user == people.community
    listed = client.get(response["Location"]).content.decode()
    assert "已导入：新增3条" in listed and "赵德明" in listed


def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(geo, people, login):
    client = login(people.community)
    content = people_workbook(PERSON_HEADERS, person_row("张桂芳"), person_row("王五", 性别="未知"))
    response = upload(client, PEOPLE, content)
    text = response.content.decode()
    assert response.context["confirm"] is None and "确认导入" not in text
    problems = [(p.row, p.column) for p in response.context["problems"]]
    assert problems == [("第3行", "性别")]
    assert "“未知”不是可选值" in text and "文件未导入" in text
    assert not Person.objects.exists()


def test_another_communitys_rows_are_refused_as_the_admin_refuses_them(geo, people, login):
    content = people_workbook(
        PERSON_HEADERS, person_row("越界", courtyard="洗面桥3号院", community="洗面桥社区")
    )
    response = upload(login(people.community), PEOPLE, content)
    assert "找不到名为“洗面桥3号院”的院落" in response.content.decode()
    assert response.context["confirm"] is None
    assert not Person.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(people, login):
    response = upload(login(people.community), PEOPLE, b"name,phone\n", name="名单.csv")
    assert "无法把这个文件当作 Excel 工作簿读取" in response.content.decode()


def test_an_inspector_gets_403(people, login):
    client = login(people.inspector)
    assert client.get(PEOPLE).status_code == 403
    assert client.get(reverse("councils:person_import_template")).status_code == 403
    content = people_workbook(PERSON_HEADERS, person_row("张桂芳"))
    assert upload(client, PEOPLE, content).status_code == 403
    assert not Person.objects.exists()


def test_a_confirmation_of_no_preview_of_this_session_saves_nothing(geo, people, login):
    preview = upload(login(people.street_a), PEOPLE, people_workbook(PERSON_HEADERS, person_row()))
    other = login(people.community)
    response = confirm(other, PEOPLE, preview)
    assert response.status_code == 302 and response["Location"] == PEOPLE
    assert not Person.objects.exists()
    forged = other.post(PEOPLE, {"import_file_name": "../../etc/passwd", "confirm": "1"})
    assert forged.status_code == 302 and not Person.objects.exists()


def test_a_preview_is_confirmed_once(geo, people, login):
    client = login(people.community)
    preview = upload(client, PEOPLE, people_workbook(PERSON_HEADERS, person_row()))
    assert confirm(client, PEOPLE, preview).status_code == 302
    again = confirm(client, PEOPLE, preview)
    assert again["Location"] == PEOPLE
    assert Person.objects.count() == 1


def test_a_file_that_no_longer_imports_at_confirmation_saves_nothing_and_says_why(
    geo, people, login
):
    client = login(people.community)
    preview = upload(client, PEOPLE, people_workbook(PERSON_HEADERS, person_row()))
    geo.courtyard_a1.name = "锦里12号院（改名）"
    geo.courtyard_a1.save()
    response = confirm(client, PEOPLE, preview)
    assert response.status_code == 200
    assert "找不到名为“锦里12号院”的院落" in response.content.decode()
    assert not Person.objects.exists()


def test_a_community_member_imports_courtyards_of_their_community_only(geo, people, login):
    client = login(people.community)
    assert COURTYARDS in client.get(reverse("courtyards:list")).content.decode()
    preview = upload(client, COURTYARDS, courtyard_workbook(good_row("新院落")))
    assert not Courtyard.objects.filter(name="新院落").exists()
    assert confirm(client, COURTYARDS, preview)["Location"] == reverse("courtyards:list")
    assert Courtyard.objects.get(name="新院落").community == geo.community_a1
    outside = upload(client, COURTYARDS, courtyard_workbook(good_row("外院", "九眼桥社区")))
    assert outside.context["confirm"] is None
    assert not Courtyard.objects.filter(name="外院").exists()


@pytest.mark.parametrize("persona", ["inspector"])
def test_roles_without_the_add_permission_get_403_on_courtyards(people, login, persona):
    assert login(getattr(people, persona)).get(COURTYARDS).status_code == 403
