"""List pages as people use them: search, then export what they see; page through a
filtered list; switch the year, the unit and the print view of the fund report."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from courtyards.models import Courtyard
from funds.models import Source
from tests.factories import CourtyardFactory
from tests.funds.factories import AllocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _exported_names(download, column="院落"):
    assert download.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "序号" in row and column in row)
    at = rows[header].index(column)
    return [row[at] for row in rows[header + 1 :] if isinstance(row[0], int)]


@pytest.fixture
def many_courtyards(geo):
    for n in range(1, 56):
        CourtyardFactory(community=geo.community_a1, name=f"锦里{n + 100}号院")
    for community in (geo.community_a1, geo.community_a2, geo.community_b1):
        CourtyardFactory(community=community, name="机械厂宿舍", kind=Courtyard.Kind.WORK_UNIT)


def test_district_staff_search_then_export_exactly_what_they_see(
    page, live_server, log_in, people, many_courtyards
):
    log_in(page, "qu_staff")
    navigation = page.get_by_role("navigation", name="主导航")
    navigation.get_by_role("link", name="院落", exact=True).click()
    page.get_by_label("搜索").fill("机械厂宿舍")
    page.get_by_role("button", name="筛选").click()
    table = page.locator("table.data tbody")
    expect(table.get_by_role("row")).to_have_count(3)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert _exported_names(download.value) == ["机械厂宿舍"] * 3


def test_next_page_keeps_the_filter_and_moves_on(
    page, live_server, log_in, people, geo, many_courtyards
):
    log_in(page, "qu_staff")
    page.goto(f"{live_server.url}/courtyards/")
    page.get_by_label("社区").select_option(label="锦里社区")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("p.count")).to_contain_text("58")
    first_on_page_one = page.locator("table.data tbody tr").first.inner_text()

    pager = page.get_by_role("navigation", name="分页")
    pager.get_by_role("link", name="下一页").click()
    expect(pager.locator("[aria-current=page]")).to_have_text("2")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.first.locator("td").first).to_have_text("51")
    assert rows.first.inner_text() != first_on_page_one
    for row in rows.all():
        expect(row).to_contain_text("锦里社区")
    expect(page.get_by_label("社区")).to_have_value(str(geo.community_a1.pk))

    pager.get_by_role("link", name="第1页").click()
    expect(pager.locator("[aria-current=page]")).to_have_text("1")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert len(_exported_names(download.value)) == 58


def test_fund_report_year_unit_and_print_switches(page, live_server, log_in, people, geo):
    this_year = datetime.date.today().year
    AllocationFactory(
        courtyard=geo.courtyard_a1,
        year=this_year,
        allocated_on=datetime.date(this_year, 3, 1),
        amount=Decimal("123456.00"),
    )
    AllocationFactory(
        courtyard=geo.courtyard_a1,
        year=this_year - 1,
        allocated_on=datetime.date(this_year - 1, 3, 1),
        amount=Decimal("50000.00"),
        source=Source.DISTRICT,
    )
    log_in(page, "qu_staff")
    page.goto(f"{live_server.url}/funds/")
    expect(page.locator("h1")).to_contain_text(str(this_year))
    expect(page.locator("table.data").first).to_contain_text("12.35")

    page.get_by_role("navigation", name="年度").get_by_role("link", name=str(this_year - 1)).click()
    expect(page.locator("h1")).to_contain_text(str(this_year - 1))
    expect(page.locator("table.data").first).to_contain_text("5.00")

    page.get_by_role("navigation", name="单位").get_by_role("link", name="元").click()
    expect(page.locator("table.data").first).to_contain_text("50,000.00")
    expect(page.locator("h1")).to_contain_text(str(this_year - 1))

    page.get_by_role("link", name="打印版").click()
    expect(page.get_by_role("link", name="返回普通视图")).to_be_visible()
    expect(page.locator("table.data").first).to_contain_text("50,000.00")
    page.get_by_role("link", name="返回普通视图").click()
    expect(page.get_by_role("link", name="打印版")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(str(this_year - 1))
