"""A community member prints the notice (公示) of a published meeting for the courtyard's
board, on one A4 page; a resident without an account opens the address its QR code carries
and reads the decisions: on a phone as cards, with who carries each out in view."""

import subprocess

import pytest
from playwright.sync_api import expect

from councils.services import meetings as services
from tests.councils.conftest import council  # noqa: F401  (the fixture)
from tests.councils.factories import council_meeting
from tests.e2e.conftest import SCREENSHOTS, VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

# A typical meeting: four motions, two of them with long resolutions.
MOTIONS = [
    {
        "title": "增设非机动车棚",
        "votes_for": 3,
        "decision": "同意在3栋旁增设非机动车棚一处，约20个车位，费用由院落公共服务资金列支。",
        "carried_out_by": "院落自治管理小组",
    },
    {"title": "规范院内停车收费", "votes_for": 1, "votes_against": 2},
    {
        "title": "更换院内路灯",
        "votes_for": 2,
        "votes_abstain": 1,
        "decision": "同意更换院内路灯8盏，由社区协调物业公司实施，完工后在公示栏公布费用明细。",
        "carried_out_by": "物业公司、院落自治管理小组",
    },
    {
        "title": "清理楼道堆放杂物",
        "votes_for": 3,
        "decision": "每月第一个周六集中清理。",
        "carried_out_by": "楼栋长",
    },
]


def pdf_pages(path):
    """The number of pages of a PDF, as poppler's pdfinfo counts them."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def test_a_member_prints_the_notice_and_a_resident_follows_its_qr_code(
    page,
    browser,
    live_server,
    log_in,
    people,
    council,  # noqa: F811
    viewport,
    screenshot,
    request,  # noqa: F811
):
    meeting = council_meeting(council.organisation, motions=MOTIONS)
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)

    log_in(page, "sq_a1")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    screenshot(page, "meeting")
    page.get_by_role("link", name="打印公示").click()
    expect(page.locator("h1")).to_have_text("关于锦里12号院院落民情代表议事会决议的公示")
    expect(page.locator(".notice-period")).to_contain_text("公示期：")
    expect(page.locator("svg.qr")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()  # shown by its script
    screenshot(page, "notice")

    folder = SCREENSHOTS / request.node.name.replace("[", "-").rstrip("]")
    pdf = folder / "notice.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf_pages(pdf) == 1
    public_url = page.locator(".notice-qr .url").inner_text()
    assert public_url == f"{live_server.url}/councils/public/meetings/{meeting.pk}/"

    resident_context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    resident = resident_context.new_page()
    resident.goto(public_url)
    decisions = resident.locator("section.councils.public")
    row = decisions.get_by_role("row", name="增设非机动车棚")
    expect(row).to_contain_text("通过")
    expect(row).to_contain_text("院落自治管理小组")
    expect(decisions.get_by_role("row", name="规范院内停车收费")).to_contain_text("未通过")
    expect(resident.get_by_text(council.member("convener").person.name)).to_have_count(0)
    screenshot(resident, "public-meeting")
    width = VIEWPORTS[viewport]["width"]
    assert resident.evaluate("document.documentElement.scrollWidth") <= width
    carried_out_by = row.locator("td[data-label='落实责任方']")
    expect(carried_out_by).to_be_visible()
    box = carried_out_by.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    if viewport == "phone":
        # a card: the column headings are hidden, each cell names its column
        assert decisions.locator("thead").first.bounding_box()["height"] <= 1
        label = carried_out_by.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert label == '"落实责任方"'

    resident.goto(
        f"{live_server.url}/public/courtyards/{council.organisation.coverage.get().courtyard_id}/"
    )
    expect(resident.get_by_role("row", name="更换院内路灯")).to_contain_text("物业公司")
    assert resident.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(resident, "public-courtyard")
    resident_context.close()
