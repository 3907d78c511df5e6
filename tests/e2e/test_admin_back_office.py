"""The back office wears the portal's header and colours, and is closed to community members."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_from_navigation

pytestmark = pytest.mark.django_db(transaction=True)

PORTAL_BLUE = "rgb(11, 79, 138)"  # --blue of static/css/portal.css


def test_a_district_administrator_works_in_a_back_office_that_looks_like_the_portal(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    log_in(page, "qu_admin")
    open_from_navigation(page, "后台管理")

    header = page.locator("#header")
    expect(header).to_have_css("background-color", PORTAL_BLUE)
    expect(page.locator("#header").get_by_role("link", name="院落自治管理平台")).to_be_visible()
    expect(page).to_have_title("后台管理 · 院落自治管理平台")
    screenshot(page, "admin-index")

    page.goto(f"{live_server.url}/admin/courtyards/courtyard/")
    expect(page.get_by_role("heading", name="院落", exact=True)).to_be_visible()
    expect(page.locator(".object-tools a").first).to_have_css("background-color", PORTAL_BLUE)
    screenshot(page, "courtyard-changelist")

    page.locator("#header").get_by_role("link", name="院落自治管理平台").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_community_member_has_no_back_office(
    page, live_server, log_in, people, viewport, screenshot
):
    log_in(page, "sq_a1")
    expect(page.get_by_role("link", name="后台管理")).to_have_count(0)

    response = page.goto(f"{live_server.url}/admin/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    expect(page.get_by_label("密码")).to_have_count(0)
    screenshot(page, "admin-refused")
