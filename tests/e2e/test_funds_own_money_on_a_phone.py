"""A community member, on a phone, spends the courtyard's parking income: from the fund page
to the own-money ledger, the spending form, and a refusal beyond the balance."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from councils.services import meetings as meeting_services
from funds.models import Income, OwnExpenditure
from tests.councils.conftest import council  # noqa: F401 (the organisation of courtyard A1)
from tests.councils.factories import council_meeting
from tests.funds.factories import IncomeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_money(geo, council, monkeypatch):  # noqa: F811
    """1,000 yuan of parking fees (2026-02-01); a resolution published on 2026-03-10."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 22))
    IncomeFactory(
        courtyard=geo.courtyard_a1,
        kind=Income.Kind.PARKING,
        amount=Decimal("1000.00"),
        received_on=datetime.date(2026, 2, 1),
    )
    meeting = council_meeting(council.organisation, held_on=datetime.date(2026, 3, 10))
    meeting_services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


def test_a_member_spends_own_money_on_a_phone_and_is_refused_beyond_the_balance(
    page, live_server, log_in, people, geo, own_money
):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}/funds/courtyards/{geo.courtyard_a1.pk}/?year=2026")
    page.get_by_role("link", name="自筹资金收支台账：收入、经批准的支出和余额").click()
    expect(page.locator("#own-balance")).to_have_text("1,000.00")

    page.get_by_role("link", name="登记自筹资金支出").click()
    page.get_by_label("日期").fill("2026-04-01")
    page.get_by_label("金额（元）").fill("300.00")
    page.get_by_label("批准决议").select_option(
        label="2026-03-10 院落民情代表议事会 · 增设非机动车棚"
    )
    page.get_by_label("收款方").fill("锦里保洁服务社")
    page.get_by_label("凭证号").fill("自-001")
    page.get_by_label("摘要").fill("四月院落保洁")
    button = page.get_by_role("button", name="登记")
    box = button.bounding_box()
    assert box and box["x"] + box["width"] <= 375  # within the phone's width
    button.click()

    expect(page.locator(".message.success")).to_contain_text("已记录自筹资金支出：凭证号自-001")
    expect(page.locator("#own-balance")).to_have_text("700.00")

    page.get_by_role("link", name="登记自筹资金支出").click()
    page.get_by_label("日期").fill("2026-04-02")
    page.get_by_label("金额（元）").fill("700.01")
    page.get_by_label("批准决议").select_option(
        label="2026-03-10 院落民情代表议事会 · 增设非机动车棚"
    )
    page.get_by_label("收款方").fill("兴旺五金建材经营部")
    page.get_by_label("凭证号").fill("自-002")
    page.get_by_label("摘要").fill("更换灯具")
    page.get_by_role("button", name="登记").click()

    error = page.locator("#id_amount_error")
    expect(error).to_contain_text("超出院落自筹资金余额")
    expect(error).to_contain_text("700.00元")
    assert OwnExpenditure.objects.count() == 1
