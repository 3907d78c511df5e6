"""A street clerk imports their own workbooks in the browser: a file with bad cells is
refused with each problem on a line of its own (also on a phone, without scrolling
sideways), and a file with a title row, blank rows and a 合计 row is previewed, confirmed
and saved."""

import pytest
from playwright.sync_api import expect

from courtyards.models import Courtyard
from tests.import_corpus.build import build

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_street_clerk_is_told_what_to_fix_then_imports(
    page, live_server, log_in, people, geo, tmp_path
):
    corpus = build(tmp_path)
    log_in(page, "jd_a")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/courtyards/courtyard/import/")
    page.get_by_label("导入文件").set_input_files(corpus["08_院落_坏单元格.xlsx"])
    page.get_by_role("button", name="检查文件").click()

    refused = page.get_by_role("region", name="文件未导入")
    expect(refused).to_contain_text("发现3处问题，没有保存任何数据")
    rows = refused.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("第3行户数“五十户”不是数字")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label("导入文件").set_input_files(corpus["03_院落_合并标题行和合计行.xlsx"])
    page.get_by_role("button", name="检查文件").click()
    expect(page.get_by_text("已读取工作表“院落”：表头在第3行，数据在第4至8行。")).to_be_visible()
    page.get_by_role("button", name="确认导入").click()

    expect(page.locator(".messagelist")).to_contain_text("新增4条记录")
    assert Courtyard.objects.filter(name__startswith="锦里新").count() == 2
