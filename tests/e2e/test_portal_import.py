"""A community member imports the clerk's people workbook from the people list, without the
admin, on a desktop and on a phone: the file is checked and previewed (nothing saved yet),
确认导入 saves it, and the people are listed."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from councils.models import Person
from tests.import_corpus.build import people_with_spaces

pytestmark = pytest.mark.django_db(transaction=True)

SLOW = 30_000  # ms: an import on a machine shared by several test runs


def test_a_community_member_imports_people_from_the_people_list(
    page, live_server, log_in, people, geo, tmp_path, viewport, screenshot
):
    book = Workbook()
    people_with_spaces(book)  # a title row, spaces inside names, 1958年, full-width digits
    path = tmp_path / "人员名册.xlsx"
    book.save(path)

    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}/councils/people/")
    page.get_by_role("link", name="从Excel导入").click()
    expect(page.locator("h1")).to_have_text("从Excel导入任职人员")
    expect(page.get_by_role("link", name="下载导入模板")).to_be_visible()
    page.get_by_label("Excel工作簿（.xlsx）").set_input_files(path)
    page.get_by_role("button", name="检查文件").click()

    expect(page.get_by_text("预览：确认导入之前不会保存任何数据")).to_be_visible(timeout=SLOW)
    expect(page.locator("table.import-preview tbody tr")).to_have_count(3)
    expect(page.locator("table.import-preview")).to_contain_text("赵德明")
    assert not Person.objects.exists()
    screenshot(page, "preview")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messages")).to_contain_text("已导入：新增3条", timeout=SLOW)
    listed = page.locator("table.data tbody")
    for name in ("王芳", "李建国", "赵德明"):
        expect(listed).to_contain_text(name)
    screenshot(page, "imported")
    assert Person.objects.count() == 3
