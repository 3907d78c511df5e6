"""A community cadre records a resident's concern on a phone and hands it over at the end of
the day, with a photo taken at the door; the next day's duty officer finds it in 我的待办;
street staff classify and answer it, and the answer shows at once in the dashboard's figures
and the courtyard's public counts (never the photo)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from concerns import services
from portal.roles import Role
from tests.concerns.factories import PNG
from tests.e2e.conftest import open_from_navigation
from tests.factories import user_with_role
from tests.funds.factories import AllocationFactory

pytestmark = pytest.mark.django_db(transaction=True)
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def roster(geo, people):
    """sq_a1 on duty today, sq_a1b tomorrow."""
    today = timezone.localdate()
    tomorrow_officer = user_with_role(Role.COMMUNITY_MEMBER, geo.community_a1, username="sq_a1b")
    for day, officer in ((today, people.community), (today + ONE_DAY, tomorrow_officer)):
        services.roster_set(
            by=people.community, community=geo.community_a1, date=day, officer=officer
        )
    return tomorrow_officer


def _answered_figures(page, live_server, geo):
    """The dashboard's 合计 of concerns answered this year, and the courtyard's public count."""
    page.goto(f"{live_server.url}/")
    total = page.locator('#concern-figures tfoot [data-figure="answered"]').inner_text()
    page.goto(f"{live_server.url}/public/courtyards/{geo.courtyard_a1.pk}/")
    card = page.locator("#public-concerns .card", has_text="已答复").locator("dd")
    return total, card.inner_text()


def test_a_concern_from_a_phone_to_the_streets_answer(
    page, live_server, log_in, people, geo, roster, monkeypatch, screenshot
):
    # 锦里12号院 has published its fund's use: its public page exists (the concerns' counts
    # alone would not make it)
    AllocationFactory(
        courtyard=geo.courtyard_a1,
        year=timezone.localdate().year,
        allocated_on=timezone.localdate(),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "sq_a1")
    open_from_navigation(page, "民情诉求")
    page.get_by_role("link", name="受理诉求").first.click()
    page.get_by_label("院落").select_option(label="锦里12号院")
    page.get_by_label("渠道").select_option(label="入户随访")
    page.get_by_label("类别").select_option(label="环境卫生")
    page.get_by_label("诉求内容").fill("院内垃圾桶三天没人清运")
    page.get_by_label("居民姓名").fill("李桂芳")
    page.get_by_label("居民电话").fill("13900001111")
    page.get_by_label("照片（可选）").set_input_files(
        files=[{"name": "垃圾桶.png", "mimeType": "image/png", "buffer": PNG}]
    )
    button = page.get_by_role("button", name="保存")
    box = button.bounding_box()
    assert box and box["x"] + box["width"] <= 390  # within the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "intake")
    button.click()
    expect(page.locator(".message.success")).to_contain_text("-浆洗街-0001")
    number = page.get_by_role("heading", level=1).inner_text().split()[0]
    photo = page.get_by_role("img", name="垃圾桶.png")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 1  # served by the checked view
    photo_url = photo.get_attribute("src")

    page.goto(f"{live_server.url}/concerns/roster/{geo.community_a1.pk}/")
    page.get_by_label("当日办理情况").fill("已联系物业，明日清运")
    page.get_by_role("button", name="交接", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("已移交1件")

    tomorrow = timezone.localdate() + ONE_DAY
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    page.context.clear_cookies()
    log_in(page, "sq_a1b")
    page.goto(f"{live_server.url}/concerns/mine/")
    page.get_by_role("link", name=number).click()
    expect(page.locator(".timeline")).to_contain_text("由sq_a1移交sq_a1b")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "concern-page")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.context.clear_cookies()
    log_in(page, "jd_a")
    same_year = tomorrow.year == timezone.now().year  # the figures are the year's
    if same_year:
        assert _answered_figures(page, live_server, geo) == ("0", "0")
    page.goto(f"{live_server.url}/concerns/?q={number}")
    page.get_by_role("link", name=number).click()
    page.get_by_role("combobox", name="分类").select_option(value="1")
    page.get_by_role("button", name="分类").click()
    page.get_by_label("答复内容").fill("已协调环卫所今日清运")
    page.get_by_role("button", name="答复居民").click()
    expect(page.locator("h1")).to_contain_text("已答复")
    expect(page.locator(".timeline")).to_contain_text("已协调环卫所今日清运")
    if same_year:
        assert _answered_figures(page, live_server, geo) == ("1", "1")
        page.set_viewport_size({"width": 390, "height": 844})
        expect(page.locator("#public-concerns")).to_contain_text("受理")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert "李桂芳" not in page.content() and "13900001111" not in page.content()
        assert photo_url not in page.content() and "垃圾桶.png" not in page.content()
        screenshot(page, "public-counts")
