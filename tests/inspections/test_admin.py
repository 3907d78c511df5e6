"""Admin screens of the inspections app follow the same visibility and rules as the pages."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections import services
from inspections.models import Assignment, Campaign, CampaignItem, GroupMember
from tests.inspections.factories import days_ago, make_template, problem, record


def publish_results(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.CLOSED, closed_on=days_ago(0), results_published_on=days_ago(0)
    )


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:inspections_{model}_{view}", args=args)


def test_an_inspector_meets_403_in_admin_and_reads_only_their_groups_visits_on_the_pages(
    insp, people, login
):
    mine = record(insp.a1, 40, 10, 10, by=people.inspector)
    theirs = record(insp.b1, 40, 10, 10, by=insp.outsider)
    client = login(people.inspector)
    assert client.get(admin_url("inspection")).status_code == 403
    for view in ["change", "history"]:
        assert client.get(admin_url("inspection", view, theirs.pk)).status_code == 403
    assert client.get(reverse("inspections:visit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("inspections:visit", args=[theirs.pk])).status_code == 404


def test_street_staff_list_only_their_streets_visits_in_admin(insp, people, login):
    mine = record(insp.b1, 40, 10, 10, by=insp.outsider)
    theirs = record(insp.a1, 40, 10, 10, by=people.inspector)
    publish_results(insp.campaign)  # streets read the visits once the results are published
    client = login(people.street_b)
    listed = set(client.get(admin_url("inspection")).context["cl"].result_list)
    assert listed == {mine}
    for view in ["change", "history"]:
        assert client.get(admin_url("inspection", view, theirs.pk)).status_code == 404


def test_admin_filters_offer_only_what_the_user_sees(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    response = login(people.street_b).get(admin_url("inspection"))
    assert response.status_code == 200
    assert "第一督查组" not in response.content.decode()


def test_adding_a_campaign_in_admin_copies_the_chosen_criteria(geo, people, login):
    template = make_template(geo.district, name="2026年版")
    response = login(people.district_staff).post(
        admin_url("campaign", "add"),
        {
            "district": geo.district.pk,
            "year": days_ago(0).year,
            "title": "年度督查",
            "starts_on": days_ago(0).isoformat(),
            "ends_on": days_ago(-30).isoformat(),
            "leader": people.district_staff.pk,
            "criteria_template": template.pk,
            "commend_threshold": "90",
            "criticise_threshold": "60",
            "min_ranked_courtyards": "3",
            "notes": "",
            "areas-TOTAL_FORMS": "0",
            "areas-INITIAL_FORMS": "0",
            "areas-MIN_NUM_FORMS": "0",
            "areas-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="年度督查")
    assert campaign.criteria_template == template
    assert CampaignItem.objects.filter(area__campaign=campaign).count() == 3
    assert campaign.history.first().history_user == people.district_staff


def test_the_leader_must_be_inspection_staff(geo, people, login):
    response = login(people.district_staff).get(admin_url("campaign", "add"))
    choices = {str(c[1]) for c in response.context["adminform"].form.fields["leader"].choices}
    assert any("ducha" in c for c in choices)
    assert not any("sq_a1" in c or "jd_a" in c for c in choices)


def test_criteria_and_thresholds_are_fixed_once_the_campaign_has_a_visit(insp, people, login):
    client = login(people.district_staff)
    area = insp.campaign.areas.first()
    assert client.get(admin_url("campaignarea", "change", area.pk)).context["has_change_permission"]
    record(insp.a1, 40, 10, 10, by=people.inspector)
    response = client.get(admin_url("campaignarea", "change", area.pk))
    assert not response.context["has_change_permission"]
    response = client.post(admin_url("campaignarea", "change", area.pk), {"name": "改名"})
    assert response.status_code == 403
    page = client.get(admin_url("campaign", "change", insp.campaign.pk))
    assert "commend_threshold" not in page.context["adminform"].form.fields


def test_a_member_outside_the_inspection_staff_is_refused_in_admin(insp, people, login):
    data = _group_form(insp.group2, members=[people.community.pk])
    response = login(people.district_staff).post(
        admin_url("inspectiongroup", "change", insp.group2.pk), data
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()  # not among the choices
    assert not GroupMember.objects.filter(user=people.community).exists()


def test_a_courtyard_assigned_twice_is_explained_not_a_server_error(insp, people, login, geo):
    data = _group_form(insp.group2, courtyards=[geo.courtyard_a1.pk])
    response = login(people.district_staff).post(
        admin_url("inspectiongroup", "change", insp.group2.pk), data
    )
    assert response.status_code == 200
    assert "本次督查已将该院落列为督查对象" in response.content.decode()
    assert Assignment.objects.filter(courtyard=geo.courtyard_a1).count() == 1


def test_a_target_added_in_admin_takes_its_community_from_the_courtyard(insp, people, login, geo):
    from tests.factories import CourtyardFactory

    courtyard = CourtyardFactory(community=geo.community_b1, name="新院落")
    response = login(people.district_staff).post(
        admin_url("inspectiongroup", "change", insp.group2.pk),
        _group_form(insp.group2, courtyards=[courtyard.pk]),
    )
    assert response.status_code == 302
    target = Assignment.objects.get(courtyard=courtyard)
    assert (target.campaign, target.community) == (insp.campaign, geo.community_b1)


def _group_form(group, members=(), courtyards=()):
    existing_members = list(group.memberships.all())
    existing_targets = list(group.assignments.all())
    data = {
        "name": group.name,
        "leader": group.leader_id,
        "memberships-TOTAL_FORMS": str(len(existing_members) + len(members)),
        "memberships-INITIAL_FORMS": str(len(existing_members)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "assignments-TOTAL_FORMS": str(len(existing_targets) + len(courtyards)),
        "assignments-INITIAL_FORMS": str(len(existing_targets)),
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(existing_members):
        data[f"memberships-{index}-id"] = member.pk
        data[f"memberships-{index}-group"] = group.pk
        data[f"memberships-{index}-user"] = member.user_id
    for offset, user in enumerate(members, start=len(existing_members)):
        data[f"memberships-{offset}-group"] = group.pk
        data[f"memberships-{offset}-user"] = user
    for index, target in enumerate(existing_targets):
        data[f"assignments-{index}-id"] = target.pk
        data[f"assignments-{index}-group"] = group.pk
        data[f"assignments-{index}-courtyard"] = target.courtyard_id or ""
        data[f"assignments-{index}-community"] = target.community_id
    for offset, courtyard in enumerate(courtyards, start=len(existing_targets)):
        data[f"assignments-{offset}-group"] = group.pk
        data[f"assignments-{offset}-courtyard"] = courtyard
        data[f"assignments-{offset}-community"] = ""
    return data


def test_a_published_bulletin_is_read_only_in_admin(insp, people, login):
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    client = login(people.district_staff)
    assert client.get(admin_url("bulletin", "change", bulletin.pk)).context["has_change_permission"]
    services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
    response = client.post(admin_url("bulletin", "change", bulletin.pk), {"title": "改"})
    assert response.status_code == 403
    bulletin.refresh_from_db()
    assert bulletin.title != "改"


def test_district_staff_may_extend_a_deadline_and_the_change_is_kept(insp, people, login):
    rect = problem(record(insp.a1, 40, 10, 10, by=people.inspector), people.inspector)
    client = login(people.district_staff)
    response = client.post(
        admin_url("rectification", "change", rect.pk),
        {
            "problem": rect.problem,
            "community": rect.community_id,
            "deadline": days_ago(-60).isoformat(),
            "notes-TOTAL_FORMS": "0",
            "notes-INITIAL_FORMS": "0",
            "notes-MIN_NUM_FORMS": "0",
            "notes-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    rect.refresh_from_db()
    assert rect.deadline == days_ago(-60)
    assert rect.history.first().history_user == people.district_staff
    inspector_page = login(people.inspector).get(admin_url("rectification", "change", rect.pk))
    assert inspector_page.status_code == 403  # inspectors have no back office


def test_the_admin_export_of_visits_holds_only_what_the_user_sees(insp, people, login):
    record(insp.a1, 40, 10, 10, by=people.inspector)
    record(insp.b1, 50, 10, 10, by=insp.outsider)
    publish_results(insp.campaign)  # streets read the visits once the results are published
    assert login(insp.outsider).post(admin_url("inspection", "export")).status_code == 403
    response = login(people.street_b).post(
        admin_url("inspection", "export"),
        {
            "format": "0",
            "resource": "0",
            **{f"inspectionresource_{f}": "on" for f in ["street", "target", "total"]},
        },
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("街道", "督查对象", "总分")
    assert [row[1] for row in rows[1:]] == ["九眼桥花园"]


@pytest.mark.parametrize("model", ["campaign", "inspection", "rectification", "bulletin"])
def test_nobody_but_a_superuser_deletes(insp, people, login, model):
    assert not people.district_admin.has_perm(f"inspections.delete_{model}")


def test_criteria_items_are_imported_from_excel_within_the_scope(geo, people):
    import tablib

    from inspections.models import CriteriaItem
    from inspections.resources import CriteriaItemResource

    template = make_template(geo.district, name="新标准", criteria=[("自治运行", [])])
    dataset = tablib.Dataset(headers=["评分标准模板", "评分领域", "评分项", "满分", "排序"])
    dataset.append(["新标准", "自治运行", "组织健全", "30", "1"])
    dataset.append(["新标准", "自治运行", "议事规范", "20", "2"])
    result = CriteriaItemResource(user=people.district_staff).import_data(dataset, dry_run=False)
    assert not result.has_errors(), (result.base_errors, result.row_errors())
    assert not result.has_validation_errors()
    assert list(
        CriteriaItem.objects.filter(area__template=template).values_list("name", "max_score")
    ) == [("组织健全", 30), ("议事规范", 20)]

    dataset = tablib.Dataset(headers=["评分标准模板", "评分领域", "评分项", "满分", "排序"])
    dataset.append(["新标准", "自治运行", "环境卫生", "0", "3"])
    result = CriteriaItemResource(user=people.district_staff).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not CriteriaItem.objects.filter(name="环境卫生").exists()
