"""Street staff record their street's allocation to a courtyard (登记拨付) on the portal's
own pages, never entering the admin: wrong input is named in Chinese and saves nothing, a
courtyard of another street is not reachable, and the allocation shows in the list and on
the courtyard's fund page."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from funds.models import Allocation
from tests.e2e.conftest import open_from_navigation

pytestmark = pytest.mark.django_db(transaction=True)


def test_street_staff_record_an_allocation_without_the_admin(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    visited = []
    page.on("request", lambda request: visited.append(urlparse(request.url).path))
    log_in(page, "jd_a")
    open_from_navigation(page, "专项资金")
    page.get_by_role("link", name="登记拨付").click()
    expect(page.locator("h1")).to_have_text("登记拨付")
    page.get_by_label("社区").select_option(label="浆洗街街道 · 锦里社区")
    page.get_by_role("button", name="下一步").click()

    page.get_by_label("院落").select_option(label=geo.courtyard_a1.name)
    page.get_by_label("金额（元）").fill("0")
    page.get_by_label("文号").fill("浆街发〔2026〕8号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="金额（元）：请填写大于零的金额。")).to_be_visible()
    screenshot(page, f"amount-zero-{viewport}")

    # typed text where a number belongs (a browser's number box would not take it)
    page.get_by_label("金额（元）").evaluate("box => { box.type = 'text'; }")
    page.get_by_label("金额（元）").fill("两千元")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("p.error", has_text="输入一个数字。")).to_be_visible()

    # a courtyard of another street slipped into the form's choices
    page.get_by_label("院落").evaluate(
        "(select, pk) => { select.options[select.selectedIndex].value = pk; }",
        str(geo.courtyard_b1.pk),
    )
    page.get_by_label("金额（元）").fill("2000")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("p.error", has_text="选择一个有效的选项")).to_be_visible()
    assert not Allocation.objects.exists()

    # ... or named in the address: not found, like a courtyard that does not exist
    response = page.goto(
        f"{live_server.url}/funds/allocations/add/?courtyard={geo.courtyard_b1.pk}"
    )
    assert response.status == 404
    expect(page.get_by_text(geo.courtyard_b1.name)).to_have_count(0)

    page.goto(f"{live_server.url}/funds/allocations/add/?courtyard={geo.courtyard_a1.pk}")
    expect(page.get_by_label("院落")).to_have_value(str(geo.courtyard_a1.pk))
    page.get_by_label("金额（元）").fill("2000")
    page.get_by_label("日期").fill("2026-04-01")
    page.get_by_label("年度").fill("2026")
    page.get_by_label("文号").fill("浆街发〔2026〕8号")
    screenshot(page, f"form-{viewport}")
    page.get_by_role("button", name="保存").click()

    expect(page.locator("h1")).to_contain_text(geo.courtyard_a1.name)
    expect(page.get_by_text("拨付已保存")).to_be_visible()
    allocations = page.locator("section", has=page.get_by_role("heading", name="资金拨付"))
    expect(allocations.get_by_role("row", name="浆街发〔2026〕8号")).to_contain_text("2,000.00")
    screenshot(page, f"courtyard-fund-{viewport}")

    page.goto(f"{live_server.url}/funds/allocations/?year=2026")
    row = page.get_by_role("row", name=geo.courtyard_a1.name)
    expect(row).to_contain_text("浆街发〔2026〕8号")
    expect(row).to_contain_text("街道财政")
    expect(page.get_by_role("link", name="更正")).to_be_visible()
    screenshot(page, f"list-{viewport}")
    saved = Allocation.objects.get()
    assert (saved.courtyard, saved.source, saved.year) == (geo.courtyard_a1, "street", 2026)
    assert [path for path in visited if path.startswith("/admin/")] == []
