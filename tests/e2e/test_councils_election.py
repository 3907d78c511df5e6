"""A community member records the election of a courtyard's council in the browser and
finds the new council on the courtyard page."""

import pytest
from playwright.sync_api import expect

from tests.councils.factories import PersonFactory, organisation_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_community_member_records_an_election_and_sees_the_new_council(
    page, live_server, log_in, people, geo
):
    organisation_for(geo.courtyard_a1, name="锦里12号院院落自治组织")
    for name in ("王秀英", "李建国", "张桂芳"):
        PersonFactory(courtyard=geo.courtyard_a1, name=name)

    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}{geo.courtyard_a1.get_absolute_url()}")
    expect(page.get_by_text("锦里12号院院落自治组织").first).to_be_visible()
    expect(page.get_by_text("尚未选举").first).to_be_visible()
    page.get_by_role("link", name="登记院落民情代表议事会选举").click()

    expect(page.locator("h1")).to_have_text("登记院落民情代表议事会选举")
    page.get_by_label("换届选举").check()
    page.get_by_label("选举方式").select_option(label="户代表选举")
    page.get_by_label("选举日期").fill("2024-04-10")
    page.get_by_label("应参加投票人数（人）").fill("150")
    page.get_by_label("实际投票人数（人）").fill("120")
    page.get_by_label("职数").fill("2")
    for row, (name, votes, elected, role) in enumerate(
        [
            ("王秀英", "101", True, "召集人"),
            ("李建国", "88", True, "民情代表"),
            ("张桂芳", "40", False, None),
        ],
        start=1,
    ):
        page.get_by_label(f"候选人 {row}", exact=True).select_option(label=name)
        page.get_by_label(f"得票数 {row}", exact=True).fill(votes)
        if elected:
            page.get_by_label(f"当选 {row}", exact=True).check()
            page.get_by_label(f"当选职务 {row}", exact=True).select_option(label=role)
    page.get_by_role("button", name="登记选举结果").click()

    expect(page.locator(".messages")).to_contain_text("院落民情代表议事会现有2人任职")
    page.goto(f"{live_server.url}{geo.courtyard_a1.get_absolute_url()}")
    council = page.locator("section.body").filter(has_text="院落民情代表议事会").first
    expect(council).to_contain_text("第1届，2024-04-10至2029-04-09")  # five years: docs/rules.md
    expect(council.get_by_role("row", name="王秀英")).to_contain_text("召集人")
    expect(council.get_by_role("row", name="李建国")).to_contain_text("民情代表")
    expect(council.get_by_text("张桂芳")).to_have_count(0)
