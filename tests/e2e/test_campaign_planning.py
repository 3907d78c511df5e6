"""District staff plan a campaign (新建督查) on the portal's own pages, never entering the
admin: they create it with a criteria template, form a group with its leader and a member,
make the courtyards of one community its targets at once and take one off again. Wrong
input is named in Chinese above the form and saves nothing."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from inspections.models import Assignment, Campaign, InspectionGroup
from portal.roles import Role
from tests.factories import user_with_role
from tests.inspections.factories import make_template

pytestmark = pytest.mark.django_db(transaction=True)


def test_district_staff_plan_a_campaign_without_the_admin(
    page, live_server, log_in, people, geo, viewport, screenshot
):
    template = make_template(geo.district, name="通用评分标准")
    member = user_with_role(Role.INSPECTOR, geo.district, username="ducha_two")
    visited = []
    page.on("request", lambda request: visited.append(urlparse(request.url).path))

    log_in(page, "qu_staff")
    page.goto(f"{live_server.url}/inspections/")
    page.get_by_role("link", name="新建督查").click()
    expect(page.locator("h1")).to_have_text("新建督查")

    # The campaign ends before it starts: named above the form, nothing stored.
    page.locator("#id_title").fill("二季度院落自治督查")
    page.locator("#id_year").fill("2026")
    page.locator("#id_starts_on").fill("2026-04-01")
    page.locator("#id_ends_on").fill("2026-03-01")
    page.locator("#id_leader").select_option(value=str(people.district_staff.pk))
    page.locator("#id_criteria_template").select_option(value=str(template.pk))
    page.get_by_role("button", name="新建督查").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("督查结束日期不能早于开始日期。")
    screenshot(page, f"campaign-error-{viewport}")
    assert not Campaign.objects.exists()

    page.locator("#id_ends_on").fill("2026-06-30")
    screenshot(page, f"campaign-form-{viewport}")
    page.get_by_role("button", name="新建督查").click()
    expect(page.locator(".messages")).to_contain_text("督查已新建")
    campaign = Campaign.objects.get(title="二季度院落自治督查")
    assert campaign.is_planned and campaign.areas.count() == 2

    # A group: its name, leader and a member.
    page.get_by_role("link", name="新增督查组").first.click()
    page.locator("#id_name").fill("第一督查组")
    page.locator("#id_leader").select_option(value=str(people.inspector.pk))
    page.locator(f"input[name='members'][value='{member.pk}']").check()
    screenshot(page, f"group-form-{viewport}")
    page.get_by_role("button", name="保存督查组").click()
    expect(page.locator(".messages")).to_contain_text("第一督查组已保存。")
    expect(page.get_by_role("row", name="第一督查组")).to_be_visible()
    screenshot(page, f"groups-{viewport}")
    group = InspectionGroup.objects.get(campaign=campaign)
    assert [m.user for m in group.memberships.all()] == [member]

    # Every courtyard of 锦里社区 becomes a target of the group at once.
    page.get_by_role("link", name="安排督查对象").first.click()
    page.get_by_label("社区", exact=True).select_option(label="浆洗街街道 · 锦里社区")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page.get_by_role("row", name="锦里12号院")).to_be_visible()
    expect(page.get_by_role("row", name="洗面桥3号院")).to_have_count(0)
    page.locator("#id_do-group").select_option(label="第一督查组")
    page.get_by_role("button", name="全部安排给此督查组").click()
    expect(page.locator(".messages")).to_contain_text("第一督查组：新增2个督查对象")
    expect(page.get_by_role("row", name="电力局宿舍")).to_contain_text("第一督查组")
    screenshot(page, f"targets-assigned-{viewport}")

    # Removing without ticking anything is refused in Chinese; then one is taken off.
    page.get_by_role("button", name="移除勾选的督查对象").click()
    expect(page.locator(".error-summary")).to_contain_text("请至少勾选一行。")
    page.get_by_label("电力局宿舍").check()
    page.get_by_role("button", name="移除勾选的督查对象").click()
    expect(page.locator(".messages")).to_contain_text("已从本次督查移除1个督查对象。")
    expect(page.get_by_role("row", name="电力局宿舍")).to_contain_text("—")
    screenshot(page, f"targets-after-removal-{viewport}")

    targets = Assignment.objects.filter(campaign=campaign)
    assert [(t.target_name, t.group.name) for t in targets] == [("锦里12号院", "第一督查组")]
    assert not [path for path in visited if path.startswith("/admin/")]
