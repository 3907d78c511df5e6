"""Builders for inspection test data, through the services where a rule applies."""

import datetime
from decimal import Decimal

from django.utils import timezone

from inspections import services
from inspections.models import (
    Assignment,
    Campaign,
    CampaignItem,
    CriteriaArea,
    CriteriaItem,
    CriteriaTemplate,
    GroupMember,
    InspectionGroup,
)

# Two areas, three items, 100 points: sums are easy to count by hand.
CRITERIA = [("自治运行", [("组织健全", 60), ("议事规范", 20)]), ("环境安全", [("环境卫生", 20)])]


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def make_template(district, name="评分标准", criteria=CRITERIA):
    template = CriteriaTemplate.objects.create(district=district, name=name)
    for a_index, (area_name, items) in enumerate(criteria, start=1):
        area = CriteriaArea.objects.create(template=template, name=area_name, position=a_index)
        for i_index, (item_name, max_score) in enumerate(items, start=1):
            CriteriaItem.objects.create(
                area=area, name=item_name, max_score=Decimal(max_score), position=i_index
            )
    return template


def make_campaign(district, leader, template=None, **fields):
    today = timezone.localdate()
    values = {
        "year": today.year,
        "title": "院落自治督查",
        "starts_on": today - datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=30),
        "commend_threshold": Decimal("90"),
        "criticise_threshold": Decimal("60"),
        "min_ranked_courtyards": 2,
    }
    values.update(fields)
    if values["year"] not in (values["starts_on"].year, values["ends_on"].year):
        values["year"] = values["starts_on"].year
    campaign = Campaign.objects.create(district=district, leader=leader, **values)
    services.campaign_copy_criteria(
        campaign=campaign,
        template=template or make_template(district, name=values["title"]),
        by=leader,
    )
    return campaign


def make_group(campaign, name, leader, members=(), courtyards=(), communities=()):
    group = InspectionGroup.objects.create(campaign=campaign, name=name, leader=leader)
    for member in members:
        GroupMember.objects.create(group=group, user=member)
    for courtyard in courtyards:
        Assignment.objects.create(
            campaign=campaign, group=group, courtyard=courtyard, community=courtyard.community
        )
    for community in communities:
        Assignment.objects.create(campaign=campaign, group=group, community=community)
    return group


def items_of(campaign):
    """The campaign's items in criteria order: 组织健全 (60), 议事规范 (20), 环境卫生 (20)."""
    return list(
        CampaignItem.objects.filter(area__campaign=campaign).order_by("area__position", "position")
    )


def scores_for(campaign, *values):
    """{item pk: score} for the campaign's items, in criteria order."""
    return {
        item.pk: Decimal(str(value)) for item, value in zip(items_of(campaign), values, strict=True)
    }


def record(target, *values, by, days=5, **kwargs):
    """Record a visit of `target` scoring `values` (one per item, in criteria order)."""
    return services.inspection_record(
        assignment=target,
        visited_on=kwargs.pop("visited_on", days_ago(days)),
        scores=scores_for(target.campaign, *values),
        by=by,
        **kwargs,
    )


def problem(visit, by, *, deadline_in=10, text="楼道堆放杂物", community=None):
    return services.rectification_create(
        inspection=visit,
        problem=text,
        deadline=visit.visited_on + datetime.timedelta(days=deadline_in),
        community=community,
        by=by,
    )
