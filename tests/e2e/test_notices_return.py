"""The district issues a notice with a return; two communities answer it on the portal, the
households figure filled in from the records; the second answers late, after a reminder;
the district sees who has answered and downloads the gathered workbook (issue 22 point 3)."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notices.models import Answer, Notice
from portal.roles import Role
from reminders.models import Reminder
from reminders.services import remind
from tests.e2e.conftest import open_from_navigation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "关于报送院落自治年度自查表的通知"


def issue_with_return(page):
    open_from_navigation(page, "通知")
    page.get_by_role("link", name="拟写通知").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill("请各社区在平台填报自查表。")
    page.get_by_label("发送对象").select_option(label="各社区")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_role("link", name="要求填报报表").click()
    page.get_by_label("报表截止日期").fill(timezone.localdate().isoformat())
    page.locator("#id_fields-0-label").fill("院落户数")
    page.locator("#id_fields-0-kind").select_option(label="数字")
    page.locator("#id_fields-0-source").select_option(label="本单位院落户数")
    page.locator("#id_fields-1-label").fill("自查结论")
    page.locator("#id_fields-1-kind").select_option(label="单选")
    page.get_by_role("button", name="保存报表").click()  # a list without its choices
    expect(page.locator(".error-summary")).to_contain_text("请填写选项")
    page.locator("#id_fields-1-choices").fill("合格\n基本合格\n不合格")
    page.get_by_role("button", name="保存报表").click()
    expect(page.locator(".messages")).to_contain_text("报表已随草稿保存")
    page.get_by_role("button", name="发出通知").click()
    expect(page.locator(".messages")).to_contain_text("通知已发出")


def answer(page, households=None):
    open_from_navigation(page, "通知")
    expect(page.get_by_role("row", name=TITLE)).to_contain_text("需填报")
    page.get_by_role("link", name=TITLE).click()
    figure = page.get_by_label("院落户数")
    expect(page.locator(".from-records").first).to_contain_text("取自系统记录")
    if households is not None:
        expect(figure).to_have_value(households)
    page.get_by_role("button", name="提交报表").click()  # the conclusion is required
    expect(page.locator(".error-summary")).to_contain_text("自查结论")
    page.get_by_label("自查结论").select_option("合格")
    page.get_by_role("button", name="提交报表").click()
    expect(page.locator(".messages")).to_contain_text("本单位报表已提交")


def test_a_return_is_answered_reminded_and_gathered(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    user_with_role(Role.COMMUNITY_MEMBER, geo.community_a2, username="sq_a2")
    log_in(page, "qu_staff")
    issue_with_return(page)
    expect(page.get_by_role("row", name="锦里社区")).to_contain_text("未填报")
    screenshot(page, "issued")

    page.context.clear_cookies()
    log_in(page, "sq_a1")
    answer(page, households="200")  # 锦里12号院 120 + 电力局宿舍 80, from the courtyards
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "answered")

    # The day passes: 锦里社区 had answered in time; 洗面桥社区 has not and is reminded.
    notice = Notice.objects.get(title=TITLE)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Notice.objects.filter(pk=notice.pk).update(returns_by=yesterday)
    Answer.objects.update(submitted_at=timezone.now() - datetime.timedelta(days=2))
    remind(quiet=True)
    page.context.clear_cookies()
    log_in(page, "sq_a2")
    page.goto(f"{live_server.url}/reminders/")
    expect(page.get_by_role("row", name="报表待填报")).to_contain_text(TITLE)
    answer(page, households="60")
    expect(page.locator("#return")).to_be_visible()
    expect(page.locator("section[aria-labelledby=return]")).to_contain_text("逾期")
    remind(quiet=True)
    assert not Reminder.objects.filter(
        kind="return_due", user__username="sq_a2", settled_at__isnull=True
    ).exists()

    page.context.clear_cookies()
    log_in(page, "qu_staff")
    open_from_navigation(page, "通知")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text("3个接收单位中已填报2个，逾期2个")
    expect(page.get_by_role("row", name="锦里社区")).not_to_contain_text("逾期")
    expect(page.get_by_role("row", name="洗面桥社区")).to_contain_text("逾期")
    expect(page.get_by_role("row", name="九眼桥社区")).to_contain_text("未填报")
    screenshot(page, "progress")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载汇总表").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as downloaded:
        book = openpyxl.load_workbook(io.BytesIO(downloaded.read()))
    rows = {row[2]: row for row in book.worksheets[0].iter_rows(min_row=5, values_only=True)}
    assert rows["锦里社区"][3] == "已填报"
    assert rows["锦里社区"][5:8] == (200, "取自系统记录", "合格")
    assert rows["洗面桥社区"][3] == "已填报（逾期）"
    assert rows["九眼桥社区"][3] == "未填报（逾期）"
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    book.close()
