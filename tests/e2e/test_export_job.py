"""A district user's annual workbook as a background job (docs/exports.md): the job's page
shows it waiting, then offers 下载; on a desktop and on a 390 px phone."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_district_workbook_is_followed_on_my_exports_then_downloaded(
    page, live_server, log_in, people, geo, settings, viewport
):
    settings.BACKGROUND_EXPORT_COURTYARDS = 3  # the test district has 4
    log_in(page, "qu_staff")
    page.goto(f"{live_server.url}/reports/annual/")
    page.get_by_role("link", name="下载Excel工作簿").click()
    expect(page.locator("h1")).to_contain_text("年度报告工作簿")
    expect(page.locator("#export-state")).to_contain_text("排队等待生成")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    call_command("db_worker", batch=True, verbosity=0)
    # static/portal/export_job.js follows the job: no reload needed
    expect(page.locator("#export-status")).to_have_text("已完成", timeout=10_000)
    with page.expect_download() as download_info:
        page.locator("#export-state").get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.startswith(
        "武侯区"
    ) and download.suggested_filename.endswith("年度院落自治工作报告.xlsx")
    with open(download.path(), "rb") as downloaded:
        book = load_workbook(io.BytesIO(downloaded.read()))
    assert book.sheetnames[:3] == ["总览", "分街道", "分社区"]

    page.get_by_role("link", name="我的导出").first.click()
    expect(page.locator("h1")).to_have_text("我的导出")
    expect(page.get_by_role("row").nth(1)).to_contain_text("已完成")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
