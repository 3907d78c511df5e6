"""A community member records a council meeting with two motions and signed minutes,
publishes it, and an anonymous resident then reads both decisions on the courtyard's public
page."""

import pytest
from playwright.sync_api import expect

from tests.councils.conftest import council  # noqa: F401  (the fixture)
from tests.councils.factories import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_records_and_publishes_minutes_that_residents_then_read(
    page,
    browser,
    live_server,
    log_in,
    people,
    council,  # noqa: F811
    geo,
    tmp_path,
):
    minutes = tmp_path / "签字会议记录.pdf"
    minutes.write_bytes(PDF_BYTES)
    absent = council.members("representative").last().person.name

    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}/councils/meetings/")
    card = page.locator("li.meeting-card").filter(has_text="锦里12号院")
    card.get_by_role("link", name="记录议事会会议").click()
    expect(page.locator("h1")).to_contain_text("记录会议")

    page.get_by_label("会议地点").fill("院落议事室")
    page.get_by_label("主持人").fill("召集人")
    page.get_by_label("记录人").fill("民情代表")
    roll = page.locator("ul.roll li")
    expect(roll).to_have_count(3)
    for row in range(3):
        roll.nth(row).get_by_role("checkbox").check()
    roll.filter(has_text=absent).get_by_role("checkbox").uncheck()
    roll.filter(has_text=absent).get_by_role("textbox").fill("出差")
    motions = page.locator("fieldset.motion")
    for index, (title, votes_for, against, decision) in enumerate(
        [
            ("增设非机动车棚", "2", "0", "同意在3栋旁增设车棚一处"),
            ("规范院内停车收费", "1", "1", ""),
        ]
    ):
        motion = motions.nth(index)
        motion.get_by_label("议题").fill(title)
        motion.get_by_label("赞成票").fill(votes_for)
        motion.get_by_label("反对票").fill(against)
        motion.get_by_label("弃权票").fill("0")
        if decision:
            motion.get_by_label("决议").fill(decision)
            motion.get_by_label("落实责任方").fill("院落自治管理小组")
    page.get_by_label("附件").set_input_files(minutes)
    page.get_by_role("button", name="保存草稿").click()

    expect(page.locator(".messages")).to_contain_text("会议已保存为草稿")
    expect(page.locator(".facts")).to_contain_text("应到 3 人，实到 2 人")
    expect(page.get_by_role("link", name="签字会议记录.pdf")).to_be_visible()
    page.get_by_role("link", name="公开", exact=True).click()
    page.get_by_role("button", name="向居民公开").click()
    expect(page.locator(".messages")).to_contain_text("决议已向居民公开")

    resident = browser.new_page()
    resident.goto(f"{live_server.url}/public/courtyards/{geo.courtyard_a1.pk}/")
    decisions = resident.locator("section.councils.public")
    expect(decisions.get_by_role("row", name="增设非机动车棚")).to_contain_text("通过")
    expect(decisions.get_by_role("row", name="增设非机动车棚")).to_contain_text(
        "同意在3栋旁增设车棚一处"
    )
    expect(decisions.get_by_role("row", name="规范院内停车收费")).to_contain_text("未通过")
    expect(resident.get_by_text(absent)).to_have_count(0)
    expect(resident.get_by_text("签字会议记录.pdf")).to_have_count(0)
    resident.close()
