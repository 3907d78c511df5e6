"""Builders for assessment tests: small records of each kind a measure counts, stored
directly with the fields the measures read (the rules of writing them are tested in their
own apps), and a scheme built through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments import services
from councils.models import Meeting, Motion, Organisation, Training, TrainingAttendance
from inspections.models import ProgressNote, Rectification
from tests.concerns.factories import a_concern
from tests.councils.factories import PersonFactory
from tests.inspections.factories import make_campaign, make_group, record

YEAR = 2025  # a past year: its report date is 31 December


def day(month, dom, year=YEAR):
    return datetime.date(year, month, dom)


def organisation(community, name, *, established=None, dissolved=None):
    established = established or day(1, 15)
    fields = {"status": "established", "established_on": established}
    if dissolved:
        fields = {"status": "dissolved", "established_on": established, "dissolved_on": dissolved,
                  "dissolved_reason": "合并"}  # fmt: skip
    return Organisation.objects.create(
        community=community, name=name, set_up_on=day(1, 2, 2024), **fields
    )


def meeting(organisation, held_on, *, published_after=None, decisions=0, deferred=0):
    """A consultation held on `held_on`, published `published_after` days later (or not),
    with `decisions` motions decided and `deferred` deferred."""
    published = {}
    if published_after is not None:
        on = held_on + datetime.timedelta(days=published_after)
        published = {
            "status": "published",
            "published_on": on,
            "published_at": timezone.make_aware(datetime.datetime.combine(on, datetime.time(9))),
            "notice_ends_on": on + datetime.timedelta(days=7),
            "published_after_days": published_after,
        }
    held = Meeting.objects.create(
        organisation=organisation,
        kind="consultation",
        held_on=held_on,
        place="院坝",
        chair="召集人",
        recorder="记录员",
        **published,
    )
    outcomes = ["consensus"] * decisions + ["deferred"] * deferred
    for number, outcome in enumerate(outcomes, start=1):
        Motion.objects.create(meeting=held, number=number, title=f"议题{number}", outcome=outcome)
    return held


def visit_of(district, courtyard, leader):
    campaign = make_campaign(district, leader, status="under_way")
    group = make_group(campaign, "第一组", leader, courtyards=[courtyard])
    return record(group.assignments.get(), 55, 18, 18, by=leader)


def rectification(visit, community, deadline, *, status="open", done_on=None, by):
    rect = Rectification.objects.create(
        inspection=visit, problem="楼道堆物", community=community, deadline=deadline,
        status=status, created_by=by,
        **({"verified_by": by, "verified_on": done_on} if status == "verified" else {}),
    )  # fmt: skip
    if done_on:
        ProgressNote.objects.create(
            rectification=rect, kind="done", noted_on=done_on, text="已清理", author=by
        )
    return rect


def concern(by, community, received, *, due, answered=None):
    made = a_concern(by, community)
    received_at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(10)))
    answered_at = (
        timezone.make_aware(datetime.datetime.combine(answered, datetime.time(16)))
        if answered
        else None
    )
    type(made).objects.filter(pk=made.pk).update(
        received_at=received_at, answer_due=due, answered_at=answered_at, answered_on=answered
    )
    return made


def training(held_on, courtyards, **organiser):
    session = Training.objects.create(held_on=held_on, topic="议事规则培训", **organiser)
    for courtyard in courtyards:
        TrainingAttendance.objects.create(
            training=session, person=PersonFactory(courtyard=courtyard)
        )
    return session


def scheme(by, district, street=None, *, level="communities", min_sample=1, year=YEAR,
           indicators=()):  # fmt: skip
    """A draft scheme with one area holding `indicators`: (title, weight, measure, target)
    for computed ones, (title, weight) for hand-scored ones."""
    made = services.scheme_create(
        by=by, district=district, street=street, year=year, title=f"{year}年度院落自治考评",
        level=level, min_sample=min_sample,
    )  # fmt: skip
    area = services.area_add(made, title="组织运行")
    for spec in indicators:
        if len(spec) == 4:
            title, weight, measure, target = spec
            services.indicator_add(
                area, title=title, weight=Decimal(weight), kind="computed", measure=measure,
                target=Decimal(target),
            )  # fmt: skip
        else:
            title, weight = spec
            services.indicator_add(area, title=title, weight=Decimal(weight), kind="manual")
    return made
