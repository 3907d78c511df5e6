"""A community member corrects a courtyard's households on the portal's own page, on a
desktop and on a phone: a wrong figure is refused with the error summary, the right one is
saved and shown on the courtyard's page."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_community_member_edits_a_courtyards_households(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}/courtyards/{geo.courtyard_a1.pk}/")
    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("修改锦里12号院")
    households = page.get_by_role("spinbutton", name="户数", exact=True)
    expect(households).to_have_value("120")

    households.fill("-3")
    page.get_by_role("button", name="保存").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("户数")
    expect(summary).to_contain_text("确保该值大于或等于0")
    screenshot(page, f"error-{viewport}")

    summary.get_by_role("link").first.click()
    expect(page.get_by_role("spinbutton", name="户数", exact=True)).to_be_focused()
    page.get_by_role("spinbutton", name="户数", exact=True).fill("126")
    button = page.get_by_role("button", name="保存")
    box = button.bounding_box()
    assert box and box["x"] + box["width"] <= page.viewport_size["width"]
    button.click()

    page.wait_for_url(f"{live_server.url}/courtyards/{geo.courtyard_a1.pk}/")
    expect(page.locator(".message.success")).to_contain_text("已保存")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("126")
    screenshot(page, f"saved-{viewport}")
    geo.courtyard_a1.refresh_from_db()
    assert geo.courtyard_a1.households == 126
    latest = geo.courtyard_a1.history.order_by("-history_id").first()
    assert latest.history_user == people.community
