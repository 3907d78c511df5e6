"""Street staff draw up an assessment scheme with two computed indicators and one scored by
hand (correcting a typo'd title while a draft), score their communities, publish the
ranking and see it frozen (issue 22 point 1)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.assessments.builders import meeting, organisation
from tests.e2e.conftest import open_from_navigation

pytestmark = pytest.mark.django_db(transaction=True)


def add_indicator(page, title, weight, *, measure=None, target=None):
    page.get_by_role("textbox", name="考评指标").fill(title)
    page.get_by_label("分值（分）").fill(weight)
    if measure:
        page.get_by_label("由平台数据自动计算").check()
        page.get_by_label("计算口径（自动计算的指标）").select_option(label=measure)
        page.get_by_label("目标值（自动计算的指标）").fill(target)
    else:
        page.get_by_label("人工评分").check()
    page.get_by_role("button", name="添加指标").click()
    if target != "0":
        expect(page.locator(".messages")).to_contain_text("考评指标已添加")


def test_a_street_assesses_its_communities_and_publishes_the_ranking(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    year = timezone.localdate().year - 1  # a closed year: its records stay as they are
    founded = datetime.date(year - 1, 1, 5)
    a1 = organisation(geo.community_a1, "锦里12号院自治组织", established=founded)
    a2 = organisation(geo.community_a2, "洗面桥3号院自治组织", established=founded)
    held = datetime.date(year, 6, 20)
    meeting(a1, held, published_after=2, decisions=1)
    meeting(a2, held, published_after=2, decisions=1)
    meeting(a2, held - datetime.timedelta(days=5))

    log_in(page, "jd_a")
    open_from_navigation(page, "考评")
    page.get_by_role("link", name="制定考评方案").click()
    page.get_by_role("button", name="保存草稿").click()  # empty: named in Chinese
    expect(page.locator(".error-summary")).to_contain_text("方案名称")
    page.get_by_label("方案名称").fill(f"{year}年度院落自治工作考评")
    page.get_by_label("考评年度").fill(str(year))
    page.get_by_label("考评对象类型").select_option(label="社区")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("考评方案已保存为草稿")

    page.get_by_label("考评内容名称").fill("组织运行")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("考评内容已添加")
    add_indicator(
        page, "议事会议召开", "20", measure="每个自治组织召开会议次数（次/个）", target="0"
    )
    expect(page.locator(".error-summary")).to_contain_text("目标值必须大于0")
    add_indicator(
        page, "议事会议召开", "20", measure="每个自治组织召开会议次数（次/个）", target="2"
    )
    add_indicator(page, "决议按时公开", "30", measure="决议按时公开率（%）", target="100")
    add_indicator(page, "居民满意度侧评", "50")  # a typo, corrected before scoring
    page.get_by_role("link", name="修改指标“居民满意度侧评”").click()
    page.get_by_role("textbox", name="考评指标").fill("居民满意度测评")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator(".messages")).to_contain_text("考评指标已修改")
    expect(page.get_by_role("row", name="居民满意度测评")).to_contain_text("50.00")
    expect(page.get_by_role("row", name="决议按时公开")).to_contain_text("会后7天内向居民公开")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "scheme")

    page.get_by_role("navigation", name="考评方案各部分").get_by_role("link", name="评分").click()
    jinli = page.locator("section.subject", has_text="锦里社区")
    expect(jinli).to_contain_text("1.00次/个")  # one meeting for its one organisation
    jinli.get_by_label("得分（0至50.00分）").fill("40")
    jinli.get_by_label("评分说明").fill("入户测评满意率82%")
    page.locator("section.subject", has_text="洗面桥社区").get_by_label("得分（0至50.00分）").fill(
        "45"
    )
    page.get_by_role("button", name="保存得分").click()
    expect(page.locator(".messages")).to_contain_text("得分已保存")
    screenshot(page, "scored")

    page.get_by_role("navigation", name="考评方案各部分").get_by_role("link", name="排名").click()
    page.get_by_role("button", name="发布排名").click()
    expect(page.locator(".messages")).to_contain_text("请勾选确认")
    page.get_by_label("我已核对得分：发布并固定考评结果").check()
    page.get_by_role("button", name="发布排名").click()
    expect(page.locator(".messages")).to_contain_text("考评结果已发布并固定")
    expect(page.get_by_role("row", name="洗面桥社区")).to_contain_text("95.00")
    expect(page.get_by_role("row", name="锦里社区")).to_contain_text("80.00")
    screenshot(page, "ranking")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
