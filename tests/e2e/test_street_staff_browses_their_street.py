import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_street_staff_browse_their_street_and_cannot_open_another(
    page, live_server, log_in, people, geo
):
    log_in(page, "jd_a")
    expect(page.locator("h1")).to_contain_text("浆洗街街道")
    expect(page.locator(".topbar")).to_contain_text("街道工作人员")
    communities = page.get_by_role("table", name="本街道各社区")
    expect(communities.get_by_role("row", name="锦里社区")).to_be_visible()
    expect(page.get_by_text("九眼桥社区")).to_have_count(0)

    communities.get_by_role("link", name="锦里社区").click()
    page.get_by_role("link", name="锦里12号院").first.click()
    expect(page.locator("h1")).to_have_text("锦里12号院")
    expect(page.locator(".breadcrumbs")).to_contain_text("浆洗街街道")

    response = page.goto(f"{live_server.url}{geo.courtyard_b1.get_absolute_url()}")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page.get_by_text("九眼桥花园")).to_have_count(0)
