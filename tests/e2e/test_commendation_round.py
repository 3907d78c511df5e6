"""A street nominates one of its communities with the reason and corrects it, the district
administrator records the decision with its 文号, and the community's page shows the honour
(issue 22 point 2)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.commendations.conftest import open_round
from tests.e2e.conftest import open_from_navigation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_community_is_nominated_honoured_and_shown(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    round_ = open_round(geo, people)
    log_in(page, "jd_a")
    open_from_navigation(page, "表彰")
    page.get_by_role("link", name=round_.title).click()
    page.get_by_role("link", name="推荐", exact=True).click()
    page.get_by_label("推荐的表彰类别").select_option(label="先进社区")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="提交推荐").click()  # empty: named in Chinese
    expect(page.locator(".error-summary")).to_contain_text("推荐理由")
    page.get_by_label("先进社区").select_option(label="锦里社区")
    page.get_by_label("推荐理由").fill("院落自治组织全覆盖，议事会按月召开，院务公开及时。")
    page.get_by_role("button", name="提交推荐").click()
    expect(page.locator(".messages")).to_contain_text("推荐已登记")
    expect(page.get_by_role("row", name="锦里社区")).to_contain_text("院落自治组织全覆盖")
    screenshot(page, "nominated")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("row", name="锦里社区").get_by_role("link", name="修改").click()
    page.get_by_label("推荐理由").fill(
        "院落自治组织全覆盖，议事会按月召开，院务公开及时，群众满意。"
    )
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator(".messages")).to_contain_text("推荐已修改")
    expect(page.get_by_role("row", name="锦里社区")).to_contain_text("群众满意")
    page.get_by_role("row", name="锦里社区").get_by_text("撤回", exact=True).click()
    expect(page.get_by_label("确认撤回该推荐")).to_be_visible()
    screenshot(page, "withdraw-open")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.clear_cookies()
    log_in(page, "qu_admin")
    open_from_navigation(page, "表彰")
    page.get_by_role("link", name=round_.title).click()
    page.get_by_role("link", name="登记表彰决定").click()
    page.get_by_label("锦里社区").check()
    page.get_by_role("button", name="登记表彰决定").click()  # without its 文号: refused
    expect(page.locator(".error-summary")).to_contain_text("请填写表彰决定的文号")
    page.get_by_label("锦里社区").check()
    page.get_by_label("表彰决定文号").fill("武委发〔2026〕8号")
    page.get_by_label("决定日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="登记表彰决定").click()
    expect(page.locator(".messages")).to_contain_text("表彰决定已登记")
    expect(page.locator(".honour-roll")).to_contain_text("锦里社区")
    screenshot(page, "decided")

    page.goto(f"{live_server.url}{geo.community_a1.get_absolute_url()}")
    expect(page.get_by_role("heading", name="获得表彰")).to_be_visible()
    expect(page.get_by_role("row", name="先进社区")).to_contain_text("武委发〔2026〕8号")
    screenshot(page, "community-page")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
