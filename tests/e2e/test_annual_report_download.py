import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_district_user_reads_the_report_switches_the_year_and_downloads_it(
    page, live_server, log_in, people, geo
):
    year = timezone.localdate().year
    log_in(page, "qu_staff")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="年度报告").click()
    expect(page.locator("h1")).to_have_text(f"武侯区{year}年度院落自治工作报告")
    expect(page.locator("#narrative")).to_contain_text(
        f"{year}年，全区共建立自治组织0个（其中已验收0个）"
    )
    expect(page.get_by_role("row", name="浆洗街街道").first).to_be_visible()

    page.get_by_label("年度", exact=True).select_option(str(year - 1))
    page.get_by_role("button", name="显示").click()
    expect(page.locator("h1")).to_have_text(f"武侯区{year - 1}年度院落自治工作报告")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载Excel工作簿").click()
    download = download_info.value
    assert download.suggested_filename == f"武侯区{year - 1}年度院落自治工作报告.xlsx"
    with open(download.path(), "rb") as downloaded:
        book = load_workbook(io.BytesIO(downloaded.read()))
    assert book.sheetnames == [
        "总览",
        "分街道",
        "分社区",
        "院落明细",
        "自治组织",
        "专项资金",
        "督查结果",
        "民情诉求",
    ]
    # Made to be printed: titled like the page, landscape, one page wide.
    overview = book["总览"]
    assert overview["A1"].value == f"武侯区{year - 1}年度院落自治工作报告 · 总览"
    assert overview.page_setup.orientation == "landscape"
    assert (overview.page_setup.fitToWidth, overview.page_setup.fitToHeight) == (1, 0)
    # Tables of figures, not registers: one row per organisation, naming its two office
    # holders only; the fund by category, one row per street; communities with their street.
    organisations = [cell.value for cell in book["自治组织"][4]]
    assert organisations[3:4] + organisations[10:13] == [
        "院落自治组织",
        "召集人",
        "自治管理小组成员（人）",
        "组长",
    ]
    assert not {"姓名", "联系电话", "出生年份"} & set(organisations)
    fund = book["专项资金"]
    assert [cell.value for cell in fund[4]][:3] == ["序号", "街道", "环境卫生（万元）"]
    streets = [
        row[1] for row in fund.iter_rows(min_row=5, values_only=True) if isinstance(row[0], int)
    ]
    assert "浆洗街街道" in streets
    assert [cell.value for cell in book["分社区"][4]][:3] == ["序号", "街道", "社区"]
