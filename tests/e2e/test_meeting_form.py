"""A community member records a council meeting from the dashboard on a desktop and on a
phone: changing the date refreshes the roll and adding a motion adds a block, both without
leaving the page or losing what was typed; a missing field shows in the error summary, whose
link puts the focus in the field; fixed, the minutes are saved and published."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.councils.conftest import council  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

EARLIER = "2024-02-01"  # before the last representative left: three members serve
SLOW = 30_000  # ms: a save on a machine shared by several test runs


def test_a_member_records_a_meeting_without_losing_what_was_typed(
    page,
    live_server,
    log_in,
    people,
    council,  # noqa: F811
    viewport,
    screenshot,
):
    leaving = council.members("representative").last()
    leaving.ended_on, leaving.end_reason = datetime.date(2024, 3, 1), "moved_away"
    leaving.save()

    log_in(page, "sq_a1")
    page.get_by_role("link", name="记录会议").click()
    expect(page.locator("h1")).to_contain_text("记录会议")
    expect(page.get_by_label("会议日期")).to_have_count(1)  # one date on the page
    roll = page.locator("ul.roll li")
    expect(roll).to_have_count(2)  # today: the convener and one representative
    page.evaluate("window.notReloaded = true")

    page.get_by_label("会议地点").fill("院落议事室")
    page.get_by_label("会议议程").fill("1. 增设车棚 2. 规范停车")
    page.get_by_label("记录人").fill("民情代表")
    page.get_by_label("会议日期").fill(EARLIER)
    expect(roll).to_have_count(3, timeout=SLOW)
    expect(roll.filter(has_text=leaving.person.name)).to_have_count(1)
    expect(page.get_by_label("会议地点")).to_have_value("院落议事室")
    expect(page.get_by_label("会议议程")).to_have_value("1. 增设车棚 2. 规范停车")

    page.get_by_label(f"缺席原因（{leaving.person.name}）").fill("出差")
    roll.filter(has_text=leaving.person.name).get_by_role("checkbox").uncheck()
    motions = page.locator("fieldset.motion")
    expect(motions).to_have_count(2)
    first = motions.nth(0)
    first.get_by_label("议题").fill("增设非机动车棚")
    first.get_by_label("赞成票").fill("2")
    first.get_by_label("决议").fill("同意在3栋旁增设车棚一处")
    page.get_by_role("button", name="增加议题").click()
    expect(motions).to_have_count(3)
    expect(motions.nth(2).locator("legend")).to_have_text("议题3")
    third = motions.nth(2)
    third.get_by_label("议题").fill("规范院内停车收费")
    third.get_by_label("赞成票").fill("1")
    third.get_by_label("反对票").fill("1")
    expect(first.get_by_label("议题")).to_have_value("增设非机动车棚")
    assert page.evaluate("window.notReloaded") is True  # neither change left the page
    screenshot(page, "form-typed")
    # After a full-page screenshot of a phone-sized page Chromium's scroll position is off
    # until the page scrolls: a click would land beside its button.
    page.evaluate("window.scrollTo(0, 0)")

    with page.expect_navigation(timeout=SLOW):
        page.get_by_role("button", name="保存草稿").click()  # 主持人 left empty
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text("请修改以下1处错误：")
    screenshot(page, "error-summary")
    summary.get_by_role("link", name="主持人").click()
    expect(page.get_by_label("主持人")).to_be_focused()
    expect(page.get_by_label("会议地点")).to_have_value("院落议事室")
    expect(page.get_by_label(f"缺席原因（{leaving.person.name}）")).to_have_value("出差")

    page.get_by_label("主持人").fill("召集人")
    with page.expect_navigation(timeout=SLOW):
        page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("会议已保存为草稿")
    expect(page.locator(".facts")).to_contain_text("应到 3 人，实到 2 人")
    page.get_by_role("link", name="公开", exact=True).click()
    page.get_by_role("button", name="向居民公开").click()
    expect(page.locator(".messages")).to_contain_text("决议已向居民公开")
    screenshot(page, "published")
