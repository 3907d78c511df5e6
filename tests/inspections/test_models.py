"""The rules the data must obey, held by the database itself and explained in Chinese."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from inspections.models import (
    Assignment,
    Bulletin,
    Campaign,
    GroupMember,
    Inspection,
    Rectification,
    Score,
)
from tests.factories import CourtyardFactory
from tests.inspections.factories import days_ago, items_of, make_campaign, problem, record


def test_a_score_above_the_items_maximum_is_refused_by_the_database(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    score = visit.scores.get(item__name="议事规范")
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(score=Decimal("20.5"))


def test_a_negative_score_is_refused_by_the_database(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        visit.scores.filter(item__name="环境卫生").update(score=Decimal("-1"))


def test_a_score_out_of_bounds_is_explained_in_chinese(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    score = visit.scores.first()
    score.score = score.max_score + 1
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert "得分应在0分至该项满分之间" in str(error.value)


def test_a_target_has_one_first_visit_per_campaign_in_the_database(insp, people):
    first = record(insp.a1, 50, 10, 10, by=people.inspector)
    twin = Inspection(
        assignment=insp.a1,
        visited_on=first.visited_on,
        total=first.total,
        max_total=first.max_total,
        suggested_verdict=first.suggested_verdict,
        final_verdict=first.final_verdict,
        recorded_by=people.inspector,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    twin.is_reinspection = True
    twin.reinspection_reason = "组长不在"
    twin.save()  # a marked re-inspection is allowed
    assert insp.a1.inspections.count() == 2


def test_a_reinspection_without_reason_is_refused_by_the_database(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.filter(pk=visit.pk).update(is_reinspection=True)


def test_an_overruled_verdict_without_reason_is_refused_by_the_database(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    assert visit.suggested_verdict == "pass"
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.filter(pk=visit.pk).update(final_verdict="commend")


def test_an_overruled_verdict_without_reason_is_explained_on_its_field(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    visit.final_verdict = "criticise"
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    assert "verdict_reason" in error.value.message_dict
    assert "建议结论为“合格”" in error.value.message_dict["verdict_reason"][0]


def test_a_total_above_full_marks_is_refused_by_the_database(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.filter(pk=visit.pk).update(total=Decimal("100.5"))


@pytest.mark.parametrize(("criticise", "commend"), [(90, 60), (60, 60), (-1, 90), (60, 101)])
def test_thresholds_out_of_order_are_refused(geo, people, criticise, commend):
    campaign = make_campaign(geo.district, people.district_staff)
    campaign.criticise_threshold = Decimal(criticise)
    campaign.commend_threshold = Decimal(commend)
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "criticise_threshold" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        campaign.save()


def test_a_campaign_cannot_end_before_it_starts(geo, people):
    campaign = make_campaign(geo.district, people.district_staff)
    campaign.ends_on = campaign.starts_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert error.value.message_dict["ends_on"] == ["督查结束日期不能早于开始日期。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        campaign.save()


def test_a_closed_campaign_has_a_closing_date_and_only_it(geo, people):
    campaign = make_campaign(geo.district, people.district_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(closed_on=days_ago(1))


def test_results_are_published_only_for_a_closed_campaign(geo, people):
    campaign = make_campaign(geo.district, people.district_staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(results_published_on=days_ago(1))


def test_the_campaign_leader_must_be_district_inspection_staff(geo, people):
    campaign = make_campaign(geo.district, people.district_staff)
    campaign.leader = people.street_a
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "督查人员" in error.value.message_dict["leader"][0]


def test_a_courtyard_is_a_target_once_per_campaign(insp, geo):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            campaign=insp.campaign,
            group=insp.group2,
            courtyard=geo.courtyard_a1,
            community=geo.community_a1,
        )


def test_a_community_is_a_target_once_per_campaign(insp, geo):
    twin = Assignment(group=insp.group2, community=geo.community_a1)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "本次督查已将该社区列为督查对象" in str(error.value)


def test_the_same_courtyard_may_be_a_target_of_another_campaign(insp, geo, people):
    other = make_campaign(geo.district, people.district_staff, title="另一次督查")
    group = other.groups.create(name="第一组", leader=people.inspector)
    target = Assignment(group=group, courtyard=geo.courtyard_a1)
    target.full_clean()
    target.save()
    assert target.campaign == other and target.community == geo.community_a1


def test_a_target_takes_its_campaign_and_community_from_its_group_and_courtyard(insp, geo):
    courtyard = CourtyardFactory(community=geo.community_a2, name="新院")
    target = Assignment(group=insp.group1, courtyard=courtyard)
    target.full_clean()
    assert target.campaign_id == insp.campaign.pk
    assert target.community_id == geo.community_a2.pk


def test_a_closed_courtyard_cannot_be_a_target(insp, geo):
    courtyard = CourtyardFactory(
        community=geo.community_a2, closed_on=days_ago(100), closed_reason="demolished"
    )
    with pytest.raises(ValidationError) as error:
        Assignment(group=insp.group1, courtyard=courtyard).full_clean()
    assert "courtyard" in error.value.message_dict


def test_a_target_outside_the_campaigns_district_is_refused(insp):
    from tests.factories import CommunityFactory, DistrictFactory, StreetFactory

    elsewhere = CommunityFactory(street=StreetFactory(district=DistrictFactory(name="锦江区")))
    with pytest.raises(ValidationError) as error:
        Assignment(group=insp.group1, community=elsewhere).full_clean()
    assert error.value.message_dict["community"] == ["请选择本次督查所属区的社区。"]


def test_a_visited_target_can_no_longer_move(insp, people, geo):
    record(insp.a1, 50, 10, 10, by=people.inspector)
    insp.a1.group = insp.group2
    with pytest.raises(ValidationError) as error:
        insp.a1.full_clean()
    assert "已有督查记录" in str(error.value)


def test_group_members_must_be_district_inspection_staff(insp, people):
    member = GroupMember(group=insp.group1, user=people.community)
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "user" in error.value.message_dict


def test_a_person_serves_in_one_group_per_campaign(insp):
    member = GroupMember(group=insp.group2, user=insp.member)
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "第一督查组" in error.value.message_dict["user"][0]


def test_a_verified_rectification_records_who_and_when(insp, people):
    rect = problem(record(insp.a1, 50, 10, 10, by=people.inspector), people.inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=rect.pk).update(status="verified")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rectification.objects.filter(pk=rect.pk).update(verified_on=days_ago(0))


def test_a_published_bulletin_records_its_content(insp, people):
    insp.campaign.status, insp.campaign.closed_on = "closed", days_ago(1)
    insp.campaign.save()
    bulletin = Bulletin.objects.create(campaign=insp.campaign, title="通报")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.filter(pk=bulletin.pk).update(status="published", published_on=days_ago(0))


def test_records_are_protected_from_deletion(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    with pytest.raises(ProtectedError):
        insp.campaign.delete()
    with pytest.raises(ProtectedError):
        items_of(insp.campaign)[0].delete()
    with pytest.raises(ProtectedError):
        visit.assignment.delete()


def test_each_change_of_a_visit_is_kept_in_its_history(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    visit.findings = "补充说明"
    visit.save()
    assert visit.history.count() == 2
    assert visit.scores.first().history.count() == 1
