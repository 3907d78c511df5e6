import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_export_page_select_all_toggle_works_under_the_strict_policy(
    page, live_server, log_in, people, geo
):
    log_in(page, "qu_admin")
    page.goto(f"{live_server.url}/admin/courtyards/courtyard/export/")
    fields = page.locator('.selectable-field-export-row:visible input[type="checkbox"]')
    expect(fields.first).to_be_checked()

    page.get_by_label("全选").uncheck()
    for checkbox in fields.all():
        expect(checkbox).not_to_be_checked()

    page.get_by_label("全选").check()
    for checkbox in fields.all():
        expect(checkbox).to_be_checked()
