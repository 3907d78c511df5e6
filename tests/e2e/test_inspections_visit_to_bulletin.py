"""An inspector records a visit with scores and a problem, the community member sees the
rectification item, and the district staff member closes the campaign, publishes the
bulletin and opens its print page."""

import pytest
from playwright.sync_api import expect

from tests.inspections.conftest import insp  # noqa: F401 (the campaign fixture)
from tests.inspections.factories import days_ago, items_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_from_a_visit_to_the_printed_bulletin(page, live_server, log_in, people, insp):  # noqa: F811
    # The inspector records the visit of 锦里12号院 with its scores.
    log_in(page, "ducha")
    page.get_by_role("navigation", name="主导航").get_by_role(
        "link", name="督查", exact=True
    ).click()
    page.get_by_role("link", name="院落自治督查").click()
    page.get_by_role("link", name="督查对象").click()
    page.get_by_role("row", name="锦里12号院").get_by_role("link", name="填报督查记录").click()
    expect(page.locator("h1")).to_contain_text("锦里12号院")
    organised, procedure, environment = items_of(insp.campaign)
    page.locator(f"#id_score_{organised.pk}").fill("40")
    page.locator(f"#id_score_{procedure.pk}").fill("12")
    page.locator(f"#id_score_{environment.pk}").fill("25")  # above its maximum of 20
    page.get_by_label("督查情况").fill("议事会会议记录不完整，楼道堆放杂物。")
    page.get_by_role("button", name="保存督查记录").click()
    expect(page.locator(".error")).to_contain_text("20")
    page.locator(f"#id_score_{environment.pk}").fill("8")
    page.get_by_role("button", name="保存督查记录").click()
    expect(page.locator(".messages")).to_contain_text("得分60.0分")
    expect(page.locator("dl.facts")).to_contain_text("合格")

    # ... and notes a problem for the community, due in two weeks.
    page.get_by_label("发现的问题").fill("楼道堆放杂物，存在消防安全隐患")
    page.get_by_label("整改期限").fill(days_ago(-14).isoformat())
    page.get_by_role("button", name="添加问题").click()
    expect(page.locator(".messages")).to_contain_text("锦里社区")
    page.context.clear_cookies()

    # The community member sees the rectification item and reports progress on it.
    log_in(page, "sq_a1")
    expect(page.locator("#overdue-rectifications")).to_be_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="整改事项").click()
    page.get_by_role("link", name="楼道堆放杂物，存在消防安全隐患").click()
    expect(page.locator("h1")).to_contain_text("锦里12号院")
    expect(page.locator(".facts")).to_contain_text(days_ago(-14).isoformat())
    page.get_by_label("整改情况").fill("已组织居民清理楼道。")
    page.get_by_role("button", name="报送").click()
    expect(page.locator(".timeline")).to_contain_text("已组织居民清理楼道。")
    page.context.clear_cookies()

    # The district staff member closes the campaign, writes and publishes the bulletin.
    log_in(page, "qu_staff")
    page.goto(f"{live_server.url}{insp.campaign.get_absolute_url()}")
    page.get_by_role("button", name="结束督查").click()
    page.get_by_role("button", name="起草通报").click()
    expect(page.locator(".draft-mark")).to_be_visible()
    page.get_by_label("文号").fill("武民督〔2026〕3号")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("button", name="向全区发布").click()
    expect(page.locator(".messages")).to_contain_text("已向全区工作人员发布")

    # ... and opens its print page: an A4 document with the chart, without the portal's chrome.
    page.get_by_role("link", name="打印页").click()
    document = page.locator("article.document")
    expect(document).to_contain_text("武民督〔2026〕3号")
    expect(document).to_contain_text("楼道堆放杂物，存在消防安全隐患")
    expect(document.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(document).to_be_visible()
    assert page.pdf(format="A4").startswith(b"%PDF")
