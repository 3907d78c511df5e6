"""Who sees what (the querysets' visible_to), the one rule pages, admin and exports share."""

import pytest
from django.contrib.auth.models import AnonymousUser

from inspections import services
from inspections.models import (
    Assignment,
    Bulletin,
    Campaign,
    Inspection,
    InspectionGroup,
    ProgressNote,
    Rectification,
    Score,
)
from tests.inspections.factories import days_ago, problem, record


@pytest.fixture
def visits(insp, people):
    """One visit per target with one problem each."""
    a1 = record(insp.a1, 40, 10, 10, by=people.inspector)
    a2 = record(insp.a2, 50, 15, 15, by=insp.member)
    community = record(insp.community_a1, 55, 18, 18, by=people.inspector)
    b1 = record(insp.b1, 30, 10, 10, by=insp.outsider)
    for visit, by in [(a1, people.inspector), (a2, people.inspector), (b1, insp.outsider)]:
        problem(visit, by)
    return {"a1": a1, "a2": a2, "community": community, "b1": b1}


def publish(insp, people):
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    return services.bulletin_publish(bulletin=bulletin, by=people.district_staff)


def names(queryset):
    return sorted(v.assignment.target_name for v in queryset)


def test_district_staff_see_every_visit_of_their_district(visits, people):
    assert Inspection.objects.visible_to(people.district_staff).count() == 4
    assert Inspection.objects.visible_to(people.district_admin).count() == 4


def test_an_inspector_sees_only_their_groups_visits(visits, people, insp):
    assert names(Inspection.objects.visible_to(people.inspector)) == [
        "洗面桥3号院",
        "锦里12号院",
        "锦里社区",
    ]
    assert names(Inspection.objects.visible_to(insp.member)) == names(
        Inspection.objects.visible_to(people.inspector)
    )
    assert names(Inspection.objects.visible_to(insp.outsider)) == ["九眼桥花园"]


def test_an_inspector_sees_only_their_groups_targets_groups_and_rectifications(
    visits, people, insp
):
    assert set(InspectionGroup.objects.visible_to(insp.outsider)) == {insp.group2}
    assert set(Assignment.objects.visible_to(insp.outsider)) == {insp.b1}
    assert [r.inspection for r in Rectification.objects.visible_to(insp.outsider)] == [visits["b1"]]
    assert Score.objects.visible_to(insp.outsider).count() == 3


def test_the_campaign_leader_sees_all_of_the_campaign(visits, insp, geo):
    from portal.roles import Role
    from tests.factories import user_with_role

    leader = user_with_role(Role.INSPECTOR, geo.district, username="lead")
    Campaign.objects.filter(pk=insp.campaign.pk).update(leader=leader)
    assert Inspection.objects.visible_to(leader).count() == 4


def test_an_inspector_outside_every_group_sees_no_campaign(visits, geo):
    from portal.roles import Role
    from tests.factories import user_with_role

    stranger = user_with_role(Role.INSPECTOR, geo.district, username="stranger")
    assert not Campaign.objects.visible_to(stranger).exists()
    assert not Inspection.objects.visible_to(stranger).exists()
    assert not Rectification.objects.visible_to(stranger).exists()


def test_streets_and_communities_see_no_result_before_publication(visits, people):
    for persona in [people.street_a, people.community]:
        assert not Campaign.objects.visible_to(persona).exists()
        assert not Inspection.objects.visible_to(persona).exists()
        assert not Score.objects.visible_to(persona).exists()


def test_after_publication_they_see_the_results_of_their_scope_only(visits, people, insp):
    publish(insp, people)
    assert names(Inspection.objects.visible_to(people.street_a)) == [
        "洗面桥3号院",
        "锦里12号院",
        "锦里社区",
    ]
    assert names(Inspection.objects.visible_to(people.street_b)) == ["九眼桥花园"]
    assert names(Inspection.objects.visible_to(people.community)) == ["锦里12号院", "锦里社区"]
    assert Campaign.objects.visible_to(people.community).count() == 1


def test_the_responsible_community_sees_its_rectifications_at_once(visits, people, geo):
    assert [r.community for r in Rectification.objects.visible_to(people.community)] == [
        geo.community_a1
    ]
    assert Rectification.objects.visible_to(people.street_a).count() == 2
    assert Rectification.objects.visible_to(people.street_b).count() == 1
    rect = Rectification.objects.visible_to(people.community).get()
    services.rectification_report(
        rectification=rect, noted_on=days_ago(0), text="进展", by=people.community
    )
    assert ProgressNote.objects.visible_to(people.community).count() == 1
    assert not ProgressNote.objects.visible_to(people.street_b).exists()


def test_a_draft_bulletin_is_for_district_staff_a_published_one_for_everyone_in_the_district(
    visits, people, insp
):
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    bulletin = services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    assert list(Bulletin.objects.visible_to(people.district_staff)) == [bulletin]
    for persona in [people.inspector, people.street_b, people.community]:
        assert not Bulletin.objects.visible_to(persona).exists()
    services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
    for persona in [people.inspector, people.street_b, people.community, insp.outsider]:
        assert list(Bulletin.objects.visible_to(persona)) == [bulletin]


def test_nobody_without_a_role_sees_anything(visits, people):
    for user in [people.no_role, AnonymousUser()]:
        for model in [Campaign, Inspection, Rectification, Bulletin, InspectionGroup]:
            assert not model.objects.visible_to(user).exists()


def test_criteria_and_members_are_seen_with_their_campaign_and_group(visits, people, insp):
    from inspections.models import CampaignArea, CampaignItem, GroupMember

    assert CampaignItem.objects.visible_to(people.inspector).count() == 3
    assert not CampaignArea.objects.visible_to(people.street_a).exists()  # not yet published
    assert list(GroupMember.objects.visible_to(people.inspector)) == [insp.group1.memberships.get()]
    assert not GroupMember.objects.visible_to(insp.outsider).exists()  # group 2 has none
    publish(insp, people)
    assert CampaignArea.objects.visible_to(people.community).count() == 2
