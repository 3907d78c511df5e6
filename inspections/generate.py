"""A generated year of inspections: one closed, published campaign per district, a group per
street, a visit of every courtyard scored on every item, and rectifications for the
courtyards that fell short."""

import datetime
from decimal import Decimal

from django.utils import timezone

from inspections.models import (
    Assignment,
    Campaign,
    CampaignArea,
    CampaignItem,
    Inspection,
    InspectionGroup,
    Rectification,
    Score,
)

AREAS = {
    "组织建设": ["组织健全", "制度上墙", "台账规范"],
    "议事决策": ["按时议事", "决策公开", "群众参与"],
    "资金管理": ["专款专用", "票据齐全"],
    "环境秩序": ["卫生整洁", "消防安全"],
}
MAX_SCORE = Decimal("10")


def run(gen):
    campaigns, items_of = _campaigns(gen)
    assignments, group_of = _assignments(gen, campaigns)
    inspections = _visits(gen, assignments, items_of, group_of)
    _rectifications(gen, inspections)


def _campaigns(gen):
    """A closed, published campaign per district with its areas and items; returns the
    campaigns and each campaign's items."""
    year, staff = gen.year, gen.found["staff"]
    campaigns = gen.insert(
        Campaign,
        (
            Campaign(
                district=district,
                year=year,
                title=f"{year}年度院落自治工作督查",
                starts_on=datetime.date(year, 3, 1),
                ends_on=datetime.date(year, 11, 30),
                leader=staff[district.pk],
                status="closed",
                closed_on=datetime.date(year, 12, 10),
                results_published_on=datetime.date(year, 12, 20),
            )
            for district in gen.found["districts"]
        ),
    )
    areas = gen.insert(
        CampaignArea,
        (
            CampaignArea(campaign=campaign, name=name, position=position)
            for campaign in campaigns
            for position, name in enumerate(AREAS, start=1)
        ),
    )
    items = gen.insert(
        CampaignItem,
        (
            CampaignItem(area=area, name=name, max_score=MAX_SCORE, position=position)
            for area in areas
            for position, name in enumerate(AREAS[area.name], start=1)
        ),
    )
    items_of = {}
    for item, area in ((item, item.area) for item in items):
        items_of.setdefault(area.campaign_id, []).append(item)
    return campaigns, items_of


def _assignments(gen, campaigns):
    """A group per street, assigned every courtyard of the street; returns the assignments
    and each street's group (by street pk)."""
    staff = gen.found["staff"]
    campaign_of = {campaign.district_id: campaign for campaign in campaigns}
    groups = gen.insert(
        InspectionGroup,
        (
            InspectionGroup(
                campaign=campaign_of[street.district_id],
                name=f"第{n}督查组",
                leader=staff[street.district_id],
            )
            for n, street in enumerate(gen.found["streets"], start=1)
        ),
    )
    group_of = {}
    for group, street in zip(groups, gen.found["streets"], strict=True):
        group_of[street.pk] = group
    community_of = {c.pk: c for c in gen.found["communities"]}

    assignments = []
    for courtyard in gen.found["courtyards"]:
        community = community_of[courtyard.community_id]
        group = group_of[community.street_id]
        assignments.append(
            Assignment(
                campaign_id=group.campaign_id,
                group=group,
                community=community,
                courtyard=courtyard,
            )
        )
    gen.insert(Assignment, assignments)
    return assignments, group_of


def _visits(gen, assignments, items_of, group_of):
    """A visit of every target scored on every item; returns the visits."""
    rng, year = gen.rng, gen.year
    street_of = {s.pk: s for s in gen.found["streets"]}
    recorded_at = _recorded_at(year)
    inspections, scores = [], []
    for assignment in assignments:
        campaign_items = items_of[assignment.campaign_id]
        quality = rng.random()
        marks = [
            Decimal(min(10, max(0, round(rng.gauss(5 + 5 * quality, 1.5)))))
            for _item in campaign_items
        ]
        total, max_total = sum(marks), MAX_SCORE * len(campaign_items)
        rate = 100 * total / max_total
        verdict = "commend" if rate >= 90 else ("criticise" if rate < 60 else "pass")
        inspection = Inspection(
            assignment=assignment,
            visited_on=datetime.date(year, rng.randint(3, 11), rng.randint(1, 28)),
            findings="院落自治组织运行情况良好。" if verdict != "criticise" else "台账不全。",
            total=total,
            max_total=max_total,
            suggested_verdict=verdict,
            final_verdict=verdict,
            recorded_by=group_of[street_of[assignment.community.street_id].pk].leader,
            recorded_at=recorded_at,
        )
        inspections.append(inspection)
        scores += [
            Score(inspection=inspection, item=item, score=mark, max_score=MAX_SCORE)
            for item, mark in zip(campaign_items, marks, strict=True)
        ]
    gen.insert(Inspection, inspections)
    for score in scores:
        score.inspection_id = score.inspection.pk
    gen.insert(Score, scores)
    return inspections


def _rectifications(gen, inspections):
    """Problems to rectify on the visits that fell short (and on a few others)."""
    rng, year = gen.rng, gen.year
    recorded_at = _recorded_at(year)
    rectifications = [
        Rectification(
            inspection=inspection,
            problem="台账不全，议事记录未公开。",
            community=inspection.assignment.community,
            deadline=datetime.date(year + 1, 3, 31),
            status=rng.choice(["open", "in_progress", "done"]),
            created_by=inspection.recorded_by,
            created_at=recorded_at,
        )
        for inspection in inspections
        if inspection.final_verdict == "criticise" or rng.random() < 0.1
    ]
    gen.insert(Rectification, rectifications)


def _recorded_at(year):
    return timezone.make_aware(datetime.datetime(year, 11, 30, 18))
