"""A working organisation for courtyard A1 (锦里12号院, 120 households): council of a
convener and two representatives, group of a leader, a deputy and a member, elected on
2023-03-01, established 2023-03-15, accepted 2023-06-01."""

import datetime
from dataclasses import dataclass

import pytest

from councils import services
from councils.models import Membership
from councils.services import meetings as meeting_services
from tests.councils.factories import council_meeting, elect, organisation_for, pdf_upload


@dataclass
class Council:
    organisation: object
    council_election: object
    group_election: object

    def member(self, role):
        return Membership.objects.get(
            body__organisation=self.organisation, role=role, ended_on__isnull=True
        )

    def members(self, role):
        return Membership.objects.filter(
            body__organisation=self.organisation, role=role, ended_on__isnull=True
        ).order_by("pk")


@pytest.fixture
def council(geo):
    organisation = organisation_for(geo.courtyard_a1)
    council_election = elect(
        organisation, "council", ["convener", "representative", "representative"]
    )
    group_election = elect(organisation, "group", ["leader", "deputy", "member"])
    services.organisation_establish(
        organisation=organisation, on=datetime.date(2023, 3, 15), by=None
    )
    services.organisation_accept(
        organisation=organisation, on=datetime.date(2023, 6, 1), note="验收合格", by=None
    )
    organisation.refresh_from_db()
    return Council(organisation, council_election, group_election)


@dataclass
class Records:
    council: Council
    evaluation: object
    inquiry: object
    recall: object
    training: object
    person: object
    meeting: object = None  # published, with an attachment
    draft: object = None


@pytest.fixture
def records(council, geo, settings, tmp_path):
    """One of each record, all in community A1 (street A)."""
    evaluation = services.evaluation_record(
        organisation=council.organisation,
        year=2023,
        held_on=datetime.date(2023, 12, 20),
        evaluators=40,
        group_satisfied=30,
        group_basically=8,
        group_dissatisfied=2,
        ratings=[
            {
                "membership": council.member("member"),
                "satisfied": 5,
                "basically": 10,
                "dissatisfied": 25,
            },
        ],
        by=None,
    )
    inquiry = services.inquiry_raise(
        organisation=council.organisation,
        raised_on=datetime.date(2024, 3, 1),
        representatives=2,
        target=council.member("leader"),
        question="停车收费为何未公示？",
        by=None,
    )
    recall = services.recall_move(
        membership=council.member("member"),
        moved_on=datetime.date(2024, 4, 1),
        moved_by="民情代表王秀英等2人联名",
        reason="民主评议过半数不满意",
        decided_by="meeting",
        by=None,
    )
    training = services.training_save(
        community=geo.community_a1,
        held_on=datetime.date(2024, 5, 1),
        topic="议事规则培训",
        organiser="锦里社区居委会",
        other_attendees=3,
        people=[council.member("leader").person],
        by=None,
    )
    settings.MEDIA_ROOT = tmp_path
    meeting = council_meeting(council.organisation, files=[pdf_upload()])
    meeting = meeting_services.meeting_publish(
        meeting=meeting, seen_version=meeting.version, by=None
    )
    draft = council_meeting(council.organisation, held_on=datetime.date(2024, 6, 1))
    return Records(
        council,
        evaluation,
        inquiry,
        recall,
        training,
        council.member("convener").person,
        meeting,
        draft,
    )
