"""District staff open 会议记录 from the navigation, narrow the meeting register by street,
dates and status, watch the totals follow, and export: the workbook holds exactly the
rows on the page. On a desktop and on a phone, the page never scrolls sideways."""

import datetime
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from councils.services import meetings as services
from tests.councils.conftest import council  # noqa: F401 (a fixture)
from tests.councils.factories import council_meeting, elect, organisation_for
from tests.e2e.conftest import open_from_navigation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meetings(council, geo):  # noqa: F811
    """Street A: three council meetings of 锦里12号院 (May published, June draft, August
    draft); street B: one of 九眼桥花园 in June, published."""
    b1 = organisation_for(geo.courtyard_b1)
    elect(b1, "council", ["convener", "representative", "representative"])
    held = [
        (council.organisation, datetime.date(2024, 5, 10), True),
        (council.organisation, datetime.date(2024, 6, 3), False),
        (council.organisation, datetime.date(2024, 8, 20), False),
        (b1, datetime.date(2024, 6, 12), True),
    ]
    for organisation, day, published in held:
        meeting = council_meeting(organisation, held_on=day)
        if published:
            services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


def _exported_dates(download):
    book = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows[2][0], [row[1].date().isoformat() for row in rows[4:] if isinstance(row[0], int)]


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_district_staff_filter_the_register_and_export_what_they_see(
    page, live_server, log_in, people, meetings, viewport, screenshot
):
    log_in(page, "qu_staff")
    open_from_navigation(page, "会议记录")
    expect(page.locator("h1")).to_have_text("会议登记簿")
    totals = page.get_by_label("合计")
    expect(totals.locator("[data-total=meetings]")).to_have_text("4")
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(4)
    _no_sideways_scroll(page)
    screenshot(page, "register")

    page.get_by_label("街道").select_option(label="浆洗街街道")
    page.get_by_label("会议日期从").fill("2024-05-01")
    page.get_by_label("会议日期至").fill("2024-06-30")
    page.get_by_label("状态").select_option(label="草稿")
    page.get_by_role("button", name="筛选").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2024-06-03")
    expect(totals.locator("[data-total=meetings]")).to_have_text("1")
    expect(totals.locator("[data-total=published]")).to_have_text("0")
    expect(page.get_by_label("状态")).to_have_value("draft")
    _no_sideways_scroll(page)
    screenshot(page, "filtered")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    filters, dates = _exported_dates(download.value)
    assert dates == ["2024-06-03"]
    assert "浆洗街街道" in filters and "草稿" in filters and "2024-06-30" in filters
