"""Recording visits: totals, suggested and final verdicts, re-inspection, the campaign's
criteria and its life cycle (services.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inspections import services
from inspections.models import CriteriaItem, Inspection, Score
from tests.inspections.factories import (
    days_ago,
    items_of,
    make_campaign,
    make_group,
    record,
    scores_for,
)


def test_the_total_is_the_sum_of_the_scores(insp, people):
    visit = record(insp.a1, "52.5", 17, "14.5", by=people.inspector)
    assert visit.total == Decimal("84.0")
    assert visit.max_total == Decimal("100")
    assert visit.scores.count() == 3
    assert visit.rate == Decimal("84")


@pytest.mark.parametrize(
    ("values", "suggested"),
    [
        ((60, 20, 20), "commend"),
        ((50, 20, 20), "commend"),  # exactly 90% of full marks
        ((49.5, 20, 20), "pass"),
        ((20, 20, 20), "pass"),  # exactly 60%
        ((19.5, 20, 20), "criticise"),
        ((0, 0, 0), "criticise"),
    ],
)
def test_the_suggested_verdict_follows_the_campaigns_thresholds(insp, people, values, suggested):
    visit = record(insp.a1, *values, by=people.inspector)
    assert visit.suggested_verdict == suggested
    assert visit.final_verdict == suggested  # no other verdict given: the suggestion stands


def test_thresholds_are_shares_of_full_marks_not_points(geo, people):
    criteria = [("单项", [("唯一评分项", 50)])]
    from tests.inspections.factories import make_template

    campaign = make_campaign(
        geo.district, people.district_staff, make_template(geo.district, criteria=criteria)
    )
    group = make_group(campaign, "一组", people.inspector, courtyards=[geo.courtyard_a1])
    campaign.status = "under_way"
    campaign.save()
    visit = record(group.assignments.get(), 45, by=people.inspector)
    assert visit.max_total == 50 and visit.suggested_verdict == "commend"


def test_a_final_verdict_other_than_the_suggestion_needs_a_reason(insp, people):
    with pytest.raises(ValidationError) as error:
        record(insp.a1, 50, 10, 10, by=people.inspector, final_verdict="criticise")
    assert error.value.message_dict["verdict_reason"] == [
        "建议结论为“合格”，最终结论与之不同，请填写理由。"
    ]
    assert not Inspection.objects.exists() and not Score.objects.exists()
    visit = record(
        insp.a1,
        50,
        10,
        10,
        by=people.inspector,
        final_verdict="criticise",
        verdict_reason="专项资金台账缺失",
    )
    assert (visit.suggested_verdict, visit.final_verdict) == ("pass", "criticise")
    assert visit.is_overruled


def test_a_reason_given_for_an_unchanged_verdict_is_not_kept(insp, people):
    visit = record(
        insp.a1, 50, 10, 10, by=people.inspector, final_verdict="pass", verdict_reason="无"
    )
    assert visit.verdict_reason == ""


def test_a_score_above_the_items_maximum_is_refused_and_nothing_is_stored(insp, people):
    item = items_of(insp.campaign)[1]
    with pytest.raises(ValidationError) as error:
        record(insp.a1, 50, "20.5", 10, by=people.inspector)
    assert error.value.message_dict[f"score_{item.pk}"] == ["请填写0至20.0之间的分数。"]
    assert not Inspection.objects.exists()


def test_every_item_must_be_scored(insp, people):
    scores = scores_for(insp.campaign, 50, 10, 10)
    missing = items_of(insp.campaign)[2]
    scores[missing.pk] = None
    with pytest.raises(ValidationError) as error:
        services.inspection_record(
            assignment=insp.a1, visited_on=days_ago(1), scores=scores, by=people.inspector
        )
    assert error.value.message_dict[f"score_{missing.pk}"] == ["请为此项打分。"]


def test_scores_for_another_campaigns_items_are_refused(insp, geo, people):
    other = make_campaign(geo.district, people.district_staff, title="另一次督查")
    scores = scores_for(insp.campaign, 50, 10, 10)
    scores[items_of(other)[0].pk] = Decimal(1)
    with pytest.raises(ValidationError) as error:
        services.inspection_record(
            assignment=insp.a1, visited_on=days_ago(1), scores=scores, by=people.inspector
        )
    assert "部分得分不属于本次督查的评分项。" in error.value.messages


def test_a_second_visit_must_be_marked_a_reinspection_with_a_reason(insp, people):
    first = record(insp.a1, 50, 10, 10, by=people.inspector, days=10)
    with pytest.raises(ValidationError) as error:
        record(insp.a1, 60, 20, 20, by=people.inspector, days=2)
    assert "请勾选“复查”并填写原因" in error.value.message_dict["is_reinspection"][0]
    with pytest.raises(ValidationError) as error:
        record(insp.a1, 60, 20, 20, by=people.inspector, days=2, is_reinspection=True)
    assert error.value.message_dict["reinspection_reason"] == ["请填写复查原因。"]
    again = record(
        insp.a1,
        60,
        20,
        20,
        by=people.inspector,
        days=2,
        is_reinspection=True,
        reinspection_reason="前次组长不在",
    )
    assert list(Inspection.objects.current()) == [again]
    assert insp.a1.inspections.count() == 2 and first.pk != again.pk


def test_a_first_visit_cannot_be_a_reinspection(insp, people):
    with pytest.raises(ValidationError) as error:
        record(
            insp.a1, 50, 10, 10, by=people.inspector, is_reinspection=True, reinspection_reason="x"
        )
    assert "is_reinspection" in error.value.message_dict


def test_a_reinspection_cannot_precede_the_visit_it_follows(insp, people):
    record(insp.a1, 50, 10, 10, by=people.inspector, days=3)
    with pytest.raises(ValidationError) as error:
        record(
            insp.a1,
            50,
            10,
            10,
            by=people.inspector,
            days=5,
            is_reinspection=True,
            reinspection_reason="复查",
        )
    assert "visited_on" in error.value.message_dict


def test_the_latest_visit_counts_for_each_target(insp, people):
    record(insp.a1, 10, 10, 10, by=people.inspector, days=9)
    record(insp.a2, 50, 10, 10, by=people.inspector, days=9)
    latest = record(
        insp.a1,
        60,
        20,
        20,
        by=people.inspector,
        days=1,
        is_reinspection=True,
        reinspection_reason="整改后复查",
    )
    current = Inspection.objects.current()
    assert current.count() == 2
    assert latest in current


@pytest.mark.parametrize(
    ("visited_on", "message"),
    [
        (lambda c: c.starts_on - datetime.timedelta(days=1), "不能早于本次督查的开始日期"),
        (lambda c: days_ago(-2), "不能晚于今天"),
    ],
)
def test_the_visit_date_lies_within_the_campaign_and_not_in_the_future(
    insp, people, visited_on, message
):
    with pytest.raises(ValidationError) as error:
        record(insp.a1, 50, 10, 10, by=people.inspector, visited_on=visited_on(insp.campaign))
    assert message in error.value.message_dict["visited_on"][0]


@pytest.mark.parametrize("status", ["planned", "closed"])
def test_visits_are_recorded_only_while_the_campaign_is_under_way(insp, people, status):
    insp.campaign.status = status
    insp.campaign.closed_on = days_ago(0) if status == "closed" else None
    insp.campaign.save()
    with pytest.raises(ValidationError) as error:
        record(insp.a1, 50, 10, 10, by=people.inspector)
    assert error.value.messages == ["督查进行中才能填报督查记录。"]


def _update(visit, *values, by, **kwargs):
    return services.inspection_update(
        inspection=visit,
        visited_on=visit.visited_on,
        scores=scores_for(visit.assignment.campaign, *values),
        by=by,
        **kwargs,
    )


def test_correcting_scores_computes_the_total_and_suggestion_again(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    visit = _update(visit, 58, 18, 19, by=people.inspector)
    assert visit.total == 95 and visit.suggested_verdict == "commend"
    assert sorted(visit.scores.values_list("score", flat=True)) == [18, 19, 58]
    assert visit.history.count() == 2


def test_once_the_campaign_is_closed_only_district_staff_correct_a_visit(insp, people):
    visit = record(insp.a1, 50, 10, 10, by=people.inspector)
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    with pytest.raises(ValidationError):
        _update(visit, 60, 20, 20, by=people.inspector)
    visit = _update(visit, 60, 20, 20, by=people.district_staff)
    assert visit.total == 100


def test_a_campaign_keeps_its_own_copy_of_the_criteria(insp, people):
    template = insp.campaign.criteria_template
    template_item = CriteriaItem.objects.get(area__template=template, name="组织健全")
    template_item.max_score = 10
    template_item.name = "改名"
    template_item.save()
    assert [(i.name, i.max_score) for i in items_of(insp.campaign)] == [
        ("组织健全", 60),
        ("议事规范", 20),
        ("环境卫生", 20),
    ]


def test_criteria_are_copied_once(insp, people):
    with pytest.raises(ValidationError) as error:
        services.campaign_copy_criteria(
            campaign=insp.campaign,
            template=insp.campaign.criteria_template,
            by=people.district_staff,
        )
    assert "criteria_template" in error.value.message_dict


def test_criteria_are_locked_by_the_first_visit(insp, people):
    assert not services.criteria_locked(insp.campaign)
    record(insp.a1, 50, 10, 10, by=people.inspector)
    assert services.criteria_locked(insp.campaign)


def test_a_campaign_starts_only_with_criteria_and_targets(geo, people):
    from inspections.models import Campaign

    campaign = Campaign.objects.create(
        district=geo.district,
        leader=people.district_staff,
        year=days_ago(0).year,
        title="空督查",
        starts_on=days_ago(10),
        ends_on=days_ago(0),
    )
    with pytest.raises(ValidationError) as error:
        services.campaign_start(campaign=campaign, by=people.district_staff)
    assert error.value.messages == ["启动前请先为本次督查设置评分标准。"]
    services.campaign_copy_criteria(
        campaign=campaign,
        template=make_campaign(geo.district, people.district_staff).criteria_template,
        by=people.district_staff,
    )
    with pytest.raises(ValidationError) as error:
        services.campaign_start(campaign=campaign, by=people.district_staff)
    assert error.value.messages == ["启动前请先为督查组分配督查院落或社区。"]
    make_group(campaign, "一组", people.inspector, courtyards=[geo.courtyard_a1])
    services.campaign_start(campaign=campaign, by=people.district_staff)
    campaign.refresh_from_db()
    assert campaign.is_under_way


def test_closing_a_campaign_records_the_date(insp, people):
    with pytest.raises(ValidationError) as error:
        services.campaign_close(
            campaign=insp.campaign, closed_on=days_ago(-1), by=people.district_staff
        )
    assert error.value.message_dict["closed_on"] == ["结束日期不能晚于今天。"]
    services.campaign_close(campaign=insp.campaign, closed_on=days_ago(0), by=people.district_staff)
    insp.campaign.refresh_from_db()
    assert insp.campaign.is_closed and insp.campaign.closed_on == days_ago(0)
    with pytest.raises(ValidationError):
        services.campaign_close(campaign=insp.campaign, by=people.district_staff)
