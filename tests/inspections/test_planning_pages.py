"""Planning a campaign on the portal's pages (新建督查, groups, targets) instead of the admin:
the same services and rules, choices narrowed to the user's scope, bad input refused in
Chinese with nothing stored."""

import datetime

import pytest
from django.urls import reverse

from inspections.models import Assignment, Campaign, GroupMember, InspectionGroup
from portal.roles import Role
from tests.factories import (
    CommunityFactory,
    CourtyardFactory,
    DistrictFactory,
    StreetFactory,
    user_with_role,
)
from tests.inspections.factories import make_campaign, make_group, make_template, record

YEAR = datetime.date.today().year


def campaign_data(leader, template=None, **changes):
    data = {
        "year": YEAR,
        "title": "二季度院落自治督查",
        "starts_on": f"{YEAR}-04-01",
        "ends_on": f"{YEAR}-06-30",
        "leader": leader.pk,
        "criteria_template": template.pk if template else "",
        "commend_threshold": "90",
        "criticise_threshold": "60",
        "min_ranked_courtyards": "3",
        "notes": "",
    }
    return {**data, **changes}


def snapshot(campaign):
    """What a campaign is made of, whichever screen made it."""
    campaign.refresh_from_db()
    return (
        [
            getattr(campaign, f)
            for f in ("district_id", "year", "title", "starts_on", "ends_on", "leader_id")
        ]
        + [campaign.status, campaign.commend_threshold, campaign.criticise_threshold]
        + [campaign.min_ranked_courtyards, campaign.criteria_template_id]
        + [list(campaign.areas.values_list("name", "position", "items__name", "items__max_score"))]
    )


@pytest.fixture
def template(geo):
    return make_template(geo.district, name="通用评分标准")


@pytest.fixture
def planned(geo, people, template):
    """A planned campaign with two groups and no target yet."""
    campaign = make_campaign(geo.district, people.district_staff, template, title="新督查")
    inspector_b = user_with_role(Role.INSPECTOR, geo.district, username="ducha_two")
    one = make_group(campaign, "一组", people.inspector)
    two = make_group(campaign, "二组", inspector_b)
    return campaign, one, two


# --- The campaign's facts ----------------------------------------------------------------


def test_a_campaign_made_on_the_page_equals_one_made_in_the_admin(people, template, login):
    staff = login(people.district_staff)
    response = staff.post(
        reverse("inspections:campaign_create"), campaign_data(people.inspector, template)
    )
    on_page = Campaign.objects.get(title="二季度院落自治督查")
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:campaign_groups", args=[on_page.pk])
    in_admin = staff.post(
        reverse("admin:inspections_campaign_add"),
        {
            **campaign_data(people.inspector, template, title="admin"),
            "district": on_page.district_id,
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert in_admin.status_code == 302
    made_there = Campaign.objects.get(title="admin")
    assert snapshot(on_page)[3:] == snapshot(made_there)[3:]
    assert snapshot(on_page)[:2] == snapshot(made_there)[:2]
    assert on_page.is_planned and on_page.areas.count() == 2


def test_a_campaign_that_ends_before_it_starts_is_refused_in_chinese(people, template, login):
    response = login(people.district_staff).post(
        reverse("inspections:campaign_create"),
        campaign_data(people.inspector, template, ends_on=f"{YEAR}-03-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["督查结束日期不能早于开始日期。"]
    assert "督查结束日期不能早于开始日期。" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_template_without_items_stores_no_half_made_campaign(geo, people, login):
    empty = make_template(geo.district, name="空标准", criteria=[])
    response = login(people.district_staff).post(
        reverse("inspections:campaign_create"), campaign_data(people.inspector, empty)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["criteria_template"] == ["该模板没有评分项。"]
    assert not Campaign.objects.exists()


def test_the_admin_refuses_a_template_without_items_on_its_form(geo, people, login):
    empty = make_template(geo.district, name="空标准", criteria=[])
    response = login(people.district_staff).post(
        reverse("admin:inspections_campaign_add"),
        {
            **campaign_data(people.inspector, empty),
            "district": geo.district.pk,
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "该模板没有评分项。" in response.content.decode()
    assert not Campaign.objects.exists()


def test_leaders_offered_are_the_inspection_staff_of_the_users_district(geo, people, login):
    elsewhere = DistrictFactory(name="锦江区")
    stranger = user_with_role(Role.INSPECTOR, elsewhere, username="other_inspector")
    response = login(people.district_staff).get(reverse("inspections:campaign_create"))
    offered = set(response.context["form"].fields["leader"].queryset)
    assert people.inspector in offered and people.district_staff in offered
    assert stranger not in offered and people.street_a not in offered
    refused = login(people.district_staff).post(
        reverse("inspections:campaign_create"), campaign_data(stranger)
    )
    assert "leader" in refused.context["form"].errors
    assert not Campaign.objects.exists()


def test_editing_keeps_thresholds_once_the_campaign_has_a_visit(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    staff = login(people.district_staff)
    url = reverse("inspections:campaign_edit", args=[insp.campaign.pk])
    form = staff.get(url).context["form"]
    assert form.fields["commend_threshold"].disabled
    data = campaign_data(
        people.district_staff,
        title="改名后的督查",
        starts_on=insp.campaign.starts_on,
        ends_on=insp.campaign.ends_on,
        year=insp.campaign.year,
        commend_threshold="50",
        criticise_threshold="10",
    )
    assert staff.post(url, data).status_code == 302
    insp.campaign.refresh_from_db()
    assert insp.campaign.title == "改名后的督查"
    assert insp.campaign.commend_threshold == 90  # a disabled field keeps its value


# --- Groups ------------------------------------------------------------------------------


def test_district_staff_form_a_group_with_members(planned, geo, people, login):
    campaign, _one, _two = planned
    member = user_with_role(Role.INSPECTOR, geo.district, username="ducha_three")
    response = login(people.district_staff).post(
        reverse("inspections:group_create", args=[campaign.pk]),
        {"name": "三组", "leader": people.district_staff.pk, "members": [member.pk]},
    )
    assert response.status_code == 302, response.context["form"].errors
    group = InspectionGroup.objects.get(campaign=campaign, name="三组")
    assert group.leader == people.district_staff
    assert [m.user for m in group.memberships.all()] == [member]


def test_a_person_serving_in_another_group_is_refused_by_name(planned, geo, people, login):
    campaign, one, two = planned
    member = user_with_role(Role.INSPECTOR, geo.district, username="ducha_three")
    GroupMember.objects.create(group=one, user=member)
    response = login(people.district_staff).post(
        reverse("inspections:group_edit", args=[two.pk]),
        {"name": "二组改", "leader": two.leader_id, "members": [member.pk]},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["members"])
    assert "一组" in errors
    two.refresh_from_db()
    assert two.name == "二组" and not two.memberships.exists()


def test_a_group_name_used_twice_is_refused(planned, people, login):
    campaign, _one, two = planned
    response = login(people.district_staff).post(
        reverse("inspections:group_create", args=[campaign.pk]),
        {"name": "一组", "leader": two.leader_id},
    )
    assert response.status_code == 200
    assert "本次督查已有同名督查组。" in response.content.decode()
    assert campaign.groups.count() == 2


def test_members_are_removed_only_while_the_campaign_is_planned(insp, people, login):
    url = reverse("inspections:group_edit", args=[insp.group1.pk])
    data = {"name": "第一督查组", "leader": people.inspector.pk, "members": []}
    response = login(people.district_staff).post(url, data)
    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert insp.group1.memberships.count() == 1


# --- Targets -----------------------------------------------------------------------------


def plan(client, campaign, query="", **data):
    url = reverse("inspections:campaign_plan", args=[campaign.pk]) + query
    return client.post(url, {f"do-{k}": v for k, v in data.items()})


def test_all_courtyards_of_a_street_become_targets_of_a_group_at_once(planned, geo, people, login):
    campaign, one, _two = planned
    staff = login(people.district_staff)
    query = f"?kind=courtyard&street={geo.street_a.pk}"
    listed = staff.get(reverse("inspections:campaign_plan", args=[campaign.pk]) + query)
    assert {c.name for c in listed.context["page"]} == {"锦里12号院", "电力局宿舍", "洗面桥3号院"}
    response = plan(staff, campaign, query, action="assign_filtered", group=one.pk)
    assert response.status_code == 302
    targets = Assignment.objects.filter(campaign=campaign, group=one)
    assert {t.target_name for t in targets} == {"锦里12号院", "电力局宿舍", "洗面桥3号院"}
    assert all(t.community.street == geo.street_a for t in targets)


def test_a_community_itself_is_added_and_a_ticked_target_moves_group(planned, geo, people, login):
    campaign, one, two = planned
    staff = login(people.district_staff)
    plan(staff, campaign, chosen=[geo.courtyard_b1.pk], action="assign", group=one.pk)
    plan(
        staff,
        campaign,
        "?kind=community",
        chosen=[geo.community_a2.pk],
        action="assign",
        group=two.pk,
    )
    plan(staff, campaign, chosen=[geo.courtyard_b1.pk], action="assign", group=two.pk)
    targets = {(t.target_name, t.is_community, t.group.name) for t in campaign.assignments.all()}
    assert targets == {("九眼桥花园", False, "二组"), ("洗面桥社区", True, "二组")}


def test_a_visited_target_does_not_move_and_nothing_else_changes(insp, geo, people, login):
    record(insp.b1, 40, 10, 10, by=insp.outsider)
    response = plan(
        login(people.district_staff),
        insp.campaign,
        chosen=[geo.courtyard_b1.pk, geo.courtyard_a1.pk],
        action="assign",
        group=insp.group1.pk,
    )
    assert response.status_code == 200
    assert "九眼桥花园" in str(response.context["action"].non_field_errors())
    insp.b1.refresh_from_db()
    assert insp.b1.group == insp.group2


def test_targets_are_removed_only_while_the_campaign_is_planned(planned, insp, geo, people, login):
    campaign, one, _two = planned
    staff = login(people.district_staff)
    plan(staff, campaign, chosen=[geo.courtyard_a1.pk], action="assign", group=one.pk)
    assert plan(staff, campaign, chosen=[geo.courtyard_a1.pk], action="remove").status_code == 302
    assert not campaign.assignments.exists()
    refused = plan(staff, insp.campaign, chosen=[geo.courtyard_a2.pk], action="remove")
    assert refused.status_code == 200
    assert "进行中" in str(refused.context["action"].non_field_errors())
    assert insp.campaign.assignments.count() == 4


def test_bad_bulk_input_names_what_is_wrong_and_stores_nothing(planned, geo, people, login):
    campaign, one, _two = planned
    staff = login(people.district_staff)
    no_group = plan(staff, campaign, chosen=[geo.courtyard_a1.pk], action="assign")
    assert "group" in no_group.context["action"].errors
    nothing_ticked = plan(staff, campaign, action="assign", group=one.pk)
    assert nothing_ticked.context["action"].non_field_errors()
    assert not campaign.assignments.exists()


def test_candidates_and_choices_come_from_the_campaigns_district_only(planned, people, login):
    campaign, one, _two = planned
    elsewhere = DistrictFactory(name="锦江区")
    foreign = CourtyardFactory(
        community=CommunityFactory(street=StreetFactory(district=elsewhere), name="外区社区")
    )
    staff = login(people.district_staff)
    listed = staff.get(reverse("inspections:campaign_plan", args=[campaign.pk]))
    assert foreign not in list(listed.context["page"])
    response = plan(staff, campaign, chosen=[foreign.pk], action="assign", group=one.pk)
    assert response.status_code == 200 and "chosen" in response.context["action"].errors
    assert not campaign.assignments.exists()


# --- Who may plan ------------------------------------------------------------------------


def test_another_districts_campaign_answers_404(people, login):
    elsewhere = DistrictFactory(name="锦江区")
    leader = user_with_role(Role.DISTRICT_STAFF, elsewhere, username="jj_staff")
    foreign = make_campaign(elsewhere, leader, title="外区督查")
    group = make_group(foreign, "外区一组", leader)
    staff = login(people.district_staff)
    for name, pk in [
        ("inspections:campaign_edit", foreign.pk),
        ("inspections:campaign_groups", foreign.pk),
        ("inspections:group_create", foreign.pk),
        ("inspections:group_edit", group.pk),
        ("inspections:campaign_plan", foreign.pk),
    ]:
        assert staff.get(reverse(name, args=[pk])).status_code == 404, name


@pytest.mark.parametrize("persona", ["inspector", "street_a", "community", "no_role"])
def test_roles_without_the_permission_may_not_plan_a_campaign(people, login, persona):
    client = login(getattr(people, persona))
    url = reverse("inspections:campaign_create")
    assert client.get(url).status_code == 403
    assert client.post(url, campaign_data(people.inspector)).status_code == 403
    assert not Campaign.objects.exists()


def test_the_pages_send_nobody_to_the_admin_for_planning(insp, people, login):
    staff = login(people.district_staff)
    for url in [
        reverse("inspections:campaigns"),
        insp.campaign.get_absolute_url(),
        reverse("inspections:campaign_groups", args=[insp.campaign.pk]),
        reverse("inspections:campaign_plan", args=[insp.campaign.pk]),
    ]:
        page = staff.get(url).content.decode()
        assert "/admin/inspections/" not in page, url
    overview = staff.get(insp.campaign.get_absolute_url()).content.decode()
    assert reverse("inspections:campaign_edit", args=[insp.campaign.pk]) in overview
    listing = staff.get(reverse("inspections:campaigns")).content.decode()
    assert reverse("inspections:campaign_create") in listing


def test_only_those_who_may_plan_are_offered_the_planning_pages(insp, people, login):
    """An inspector leading one of its groups sees the campaign but is offered neither
    新建督查 nor 修改督查, 督查组 or 安排督查对象."""
    links = [
        reverse("inspections:campaign_create"),
        reverse("inspections:campaign_edit", args=[insp.campaign.pk]),
        reverse("inspections:campaign_groups", args=[insp.campaign.pk]),
        reverse("inspections:campaign_plan", args=[insp.campaign.pk]),
    ]
    inspector = login(people.inspector)
    pages = [
        inspector.get(reverse("inspections:campaigns")).content.decode(),
        inspector.get(insp.campaign.get_absolute_url()).content.decode(),
    ]
    assert not [link for link in links for page in pages if link in page]
    staff = login(people.district_staff)
    pages = [
        staff.get(reverse("inspections:campaigns")).content.decode(),
        staff.get(insp.campaign.get_absolute_url()).content.decode(),
    ]
    assert all(any(link in page for page in pages) for link in links)
