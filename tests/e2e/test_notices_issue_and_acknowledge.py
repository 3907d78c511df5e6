"""The district writes a notice to the communities and issues it; a community member finds
it under 通知, acknowledges it, and the district sees who has (issue 22 point 3)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import open_from_navigation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notice_goes_down_and_its_acknowledgement_comes_back(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    reply_by = timezone.localdate() + datetime.timedelta(days=5)
    log_in(page, "qu_staff")
    open_from_navigation(page, "通知")
    page.get_by_role("link", name="拟写通知").click()
    page.get_by_role("button", name="保存草稿").click()  # empty: named in Chinese
    expect(page.locator(".error-summary")).to_contain_text("标题")
    page.get_by_label("标题").fill("关于开展院落自治年度自查的通知")
    page.get_by_label("正文").fill("请各社区对照规范开展自查，并签收本通知。")
    page.get_by_label("发送对象").select_option(label="各社区")
    page.get_by_label("签收期限").fill(reply_by.isoformat())
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    page.get_by_role("button", name="发出通知").click()
    expect(page.locator(".messages")).to_contain_text("通知已发出")
    expect(page.get_by_role("row", name="锦里社区")).to_contain_text("未签收")
    screenshot(page, "issued")

    page.context.clear_cookies()
    log_in(page, "sq_a1")
    open_from_navigation(page, "通知")
    page.get_by_role("link", name="关于开展院落自治年度自查的通知").click()
    page.get_by_role("button", name="签收").click()
    expect(page.locator(".messages")).to_contain_text("已签收")
    screenshot(page, "acknowledged")

    page.context.clear_cookies()
    log_in(page, "qu_staff")
    open_from_navigation(page, "通知")
    expect(page.get_by_role("row", name="关于开展院落自治年度自查的通知")).to_contain_text("1 / 3")
    page.get_by_role("link", name="关于开展院落自治年度自查的通知").click()
    expect(page.get_by_role("row", name="锦里社区")).to_contain_text("已签收")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
