"""A committee member sees in the header that something is due, opens the inbox, follows a
reminder to the concern it is about, and the count goes down (issue 22 point 4)."""

import pytest
from playwright.sync_api import expect

from reminders.services import remind
from tests.concerns.factories import a_concern

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_follows_a_reminder_from_the_header(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    first = a_concern(people.community, geo.community_a1, text="楼道灯坏了")
    second = a_concern(people.community, geo.community_a1, text="垃圾桶满了")
    remind(first.answer_due, quiet=True)
    log_in(page, "sq_a1")
    inbox = page.locator("header a.inbox")
    expect(inbox).to_have_text("提醒 2")
    inbox.click()
    expect(page.locator("h1")).to_have_text("提醒")
    expect(page.get_by_role("row")).to_have_count(3)
    screenshot(page, "inbox")
    page.get_by_role("link", name=f"{first.number} · 设施维修").click()
    expect(page.locator("h1")).to_contain_text(first.number)
    expect(inbox).to_have_text("提醒 1")
    inbox.click()
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".messages")).to_contain_text("1条提醒已标为已读")
    expect(inbox).to_have_text("提醒")
    expect(page.get_by_role("link", name=f"{second.number} · 设施维修")).to_be_visible()
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
