import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from funds.models import Expenditure, Source
from tests.funds.factories import AllocationFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fund(geo, monkeypatch):
    """锦里12号院 holds 3,600 yuan from the district and 1,000 from its street in 2026."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 22))
    AllocationFactory(courtyard=geo.courtyard_a1, amount=Decimal("3600.00"))
    AllocationFactory(courtyard=geo.courtyard_a1, source=Source.STREET, amount=Decimal("1000.00"))
    return ProjectFactory(courtyard=geo.courtyard_a1, title="楼道照明维修", budget=Decimal("4000"))


def test_a_community_member_records_spending_and_is_refused_beyond_the_balance(
    page, live_server, log_in, people, geo, fund
):
    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}{geo.courtyard_a1.get_absolute_url()}")
    balance = page.locator(".fund-panel .card.balance dd")
    expect(balance).to_have_text("4,600.00")

    page.get_by_role("link", name="登记支出").click()
    expect(page.locator("h1")).to_have_text("登记支出")
    expect(page.locator("#available-balance")).to_have_text("4,600.00")
    page.get_by_label("项目").select_option(label="楼道照明维修")
    page.get_by_label("日期").fill("2026-06-01")
    page.get_by_label("金额（元）").fill("1200.00")
    page.get_by_label("收款方").fill("锦里保洁服务社")
    page.get_by_label("凭证号").fill("记-001")
    page.get_by_label("摘要").fill("六月院落保洁")
    page.get_by_role("button", name="登记").click()

    expect(page.locator(".message.success")).to_contain_text("支出已登记：凭证号记-001")
    expect(page.locator(".card.balance dd")).to_have_text("3,400.00")
    page.goto(f"{live_server.url}{geo.courtyard_a1.get_absolute_url()}")
    expect(balance).to_have_text("3,400.00")
    expect(page.locator(".fund-panel")).to_contain_text("记-001")

    page.get_by_role("link", name="登记支出").click()
    page.get_by_label("项目").select_option(label="楼道照明维修")
    page.get_by_label("金额（元）").fill("3400.01")
    page.get_by_label("收款方").fill("兴旺五金建材经营部")
    page.get_by_label("凭证号").fill("记-002")
    page.get_by_label("摘要").fill("更换灯具")
    page.get_by_role("button", name="登记").click()

    error = page.locator("#id_amount_error")
    expect(error).to_contain_text("超出院落可用余额")
    expect(error).to_contain_text("3,400.00元")
    expect(page.get_by_label("金额（元）")).to_have_value("3400.01")
    assert Expenditure.objects.count() == 1
