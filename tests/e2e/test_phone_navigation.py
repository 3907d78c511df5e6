import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_navigation_is_one_row_on_a_phone_and_opens_to_every_item(
    page, live_server, log_in, people, viewport, screenshot
):
    log_in(page, "qu_admin")  # the district administrator has the most items
    nav = page.get_by_role("navigation", name="主导航")
    items = nav.locator("li a")
    assert items.count() >= 10
    menu = nav.get_by_text("菜单", exact=True)
    screenshot(page, "closed")

    if viewport == "desktop":
        expect(menu).to_be_hidden()
        for item in items.all():
            expect(item).to_be_visible()
        return

    assert nav.bounding_box()["height"] <= 60
    expect(items.first).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")  # the menu opens from the keyboard, without a script
    screenshot(page, "open")
    for item in items.all():
        expect(item).to_be_visible()
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    items.nth(1).click()
    expect(page).not_to_have_url(f"{live_server.url}/")
    expect(items.first).to_be_hidden()  # the next page starts with the menu closed
