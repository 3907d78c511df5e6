"""The rules of meetings: quorum, outcomes, bad input refused whole, publication,
revisions and the guard against two people saving one draft."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from councils.models import Attachment, DistrictRules, Meeting, Motion, Revision
from councils.services import meetings as services
from tests.councils.factories import (
    PersonFactory,
    body_of,
    council_meeting,
    pdf_upload,
)

DAY = datetime.date(2024, 5, 10)


def messages(error):
    return [m for ms in error.value.message_dict.values() for m in ms]


def test_a_council_meeting_with_more_than_half_present_has_quorum_and_adopts(council):
    meeting = council_meeting(council.organisation, present=2)
    assert (meeting.members, meeting.present, meeting.quorum) == (3, 2, True)
    assert meeting.attendance.filter(present=False).get().absence_reason == "出差"
    motion = meeting.motions.get()
    assert motion.outcome == Motion.Outcome.ADOPTED
    assert motion.voters == 2


def test_a_meeting_without_quorum_is_recorded_but_adopts_nothing(council):
    meeting = council_meeting(
        council.organisation, present=1, motions=[{"title": "车棚", "votes_for": 1}]
    )
    assert meeting.quorum is False
    assert meeting.motions.get().outcome == Motion.Outcome.DEFERRED


@pytest.mark.parametrize(
    ("votes", "outcome"),
    [((2, 0, 0), "adopted"), ((1, 1, 0), "rejected"), ((1, 0, 1), "rejected")],
)
def test_a_motion_is_adopted_by_more_than_half_of_those_present(council, votes, outcome):
    votes_for, against, abstain = votes
    meeting = council_meeting(
        council.organisation,
        present=2,
        motions=[
            {
                "title": "车棚",
                "votes_for": votes_for,
                "votes_against": against,
                "votes_abstain": abstain,
            }
        ],
    )
    assert meeting.motions.get().outcome == outcome


def test_a_deferred_motion_is_not_put_to_the_vote(council):
    meeting = council_meeting(
        council.organisation, motions=[{"title": "停车收费", "deferred": True}]
    )
    assert meeting.motions.get().outcome == Motion.Outcome.DEFERRED


def test_votes_above_those_present_are_refused_and_nothing_is_saved(council):
    with pytest.raises(ValidationError) as error:
        council_meeting(
            council.organisation,
            present=2,
            motions=[
                {"title": "车棚", "votes_for": 2},
                {"title": "绿化", "votes_for": 2, "votes_against": 1},
            ],
        )
    assert any("绿化" in m for m in error.value.message_dict["motions"])
    assert not Meeting.objects.exists() and not Motion.objects.exists()


def test_attendance_of_someone_not_serving_on_the_body_is_refused(council, geo):
    outsider = council.member("leader")  # serves on the group, not the council
    body = body_of(council.organisation, "council")
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            organisation=council.organisation,
            kind="council",
            minutes=services.Minutes(
                fields={"held_on": DAY, "place": "议事室", "chair": "召集人", "recorder": "记录员"},
                attendance=[
                    *[{"membership": m, "present": True} for m in services.roll(body, DAY)],
                    {"membership": outsider, "present": True},
                ],
            ),
            by=None,
        )
    assert "attendance" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_dated_in_the_future_is_refused(council):
    with pytest.raises(ValidationError) as error:
        council_meeting(council.organisation, held_on=timezone.localdate() + datetime.timedelta(1))
    assert "held_on" in error.value.message_dict


def test_a_file_that_is_not_a_pdf_or_image_is_refused_with_nothing_saved(council):
    fake = pdf_upload("纪要.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        council_meeting(council.organisation, files=[fake])
    assert "attachments" in error.value.message_dict
    assert not Meeting.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_file_is_refused(council, settings):
    settings.MAX_UPLOAD_MB = 1
    big = pdf_upload(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        council_meeting(council.organisation, files=[big])
    assert "attachments" in error.value.message_dict


def test_a_pdf_is_stored_as_an_attachment(council, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = council_meeting(council.organisation, files=[pdf_upload()])
    attachment = meeting.attachments.get()
    assert attachment.name == "签字纪要.pdf"
    assert attachment.file.name.endswith(".pdf") and "签字" not in attachment.file.name


def test_a_residents_meeting_counts_households_represented_in_person_or_by_proxy(council):
    fields = {"held_on": DAY, "place": "院坝", "chair": "召集人", "recorder": "记录员"}
    meeting = services.meeting_record(
        organisation=council.organisation,
        kind="meeting",
        minutes=services.Minutes(
            fields={**fields, "households_by_proxy": 2, "proxies": "3栋2单元501 由女儿代理"},
            motions=[{"title": "院落公约", "votes_for": 40}],
            households_present=60,
        ),
        by=None,
    )
    # 锦里12号院 has 120 households: 62 represented is more than half
    assert (meeting.members, meeting.present, meeting.quorum) == (120, 62, True)
    assert meeting.motions.get().outcome == Motion.Outcome.ADOPTED  # 40 × 2 > 62


def test_a_proxy_must_name_the_household(council):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            organisation=council.organisation,
            kind="meeting",
            minutes=services.Minutes(
                fields={
                    "held_on": DAY,
                    "place": "院坝",
                    "chair": "召集人",
                    "recorder": "记录员",
                    "households_by_proxy": 3,
                },
                households_present=50,
            ),
            by=None,
        )
    assert "proxies" in error.value.message_dict


def test_a_joint_meeting_has_no_roll_and_no_quorum(council):
    meeting = services.meeting_record(
        organisation=council.organisation,
        kind="joint",
        minutes=services.Minutes(
            fields={
                "held_on": DAY,
                "place": "社区会议室",
                "chair": "居委会主任",
                "recorder": "社区干事",
                "participants": "居委会主任、业委会主任、物业公司经理",
            },
            motions=[{"title": "电梯维修分摊", "votes_for": 2, "votes_against": 1}],
            participants_count=3,
        ),
        by=None,
    )
    assert meeting.body is None and meeting.quorum is None
    assert meeting.motions.get().outcome == Motion.Outcome.ADOPTED


def test_a_joint_meeting_names_its_participants(council):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            organisation=council.organisation,
            kind="five_party",
            minutes=services.Minutes(
                fields={"held_on": DAY, "place": "社区", "chair": "书记", "recorder": "干事"},
                participants_count=5,
            ),
            by=None,
        )
    assert "participants" in error.value.message_dict


def test_the_database_refuses_votes_above_voters(council):
    meeting = council_meeting(council.organisation)
    with pytest.raises(IntegrityError):
        Motion.objects.filter(meeting=meeting).update(votes_against=10)


def test_publishing_sets_the_notice_period_of_the_district(council, geo):
    DistrictRules.objects.create(district=geo.district, notice_days=10)
    meeting = council_meeting(council.organisation)
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    meeting.refresh_from_db()
    today = timezone.localdate()
    assert meeting.is_published and meeting.published_on == today
    assert meeting.notice_ends_on == today + datetime.timedelta(days=9)
    assert meeting.published_after_days == (today - DAY).days


def test_a_second_save_from_a_stale_page_is_refused(council):
    meeting = council_meeting(council.organisation)
    opened_by_both = meeting.version
    first = Meeting.objects.get(pk=meeting.pk)
    services.meeting_revise(
        meeting=first,
        seen_version=opened_by_both,
        minutes=services.Minutes(
            fields={"held_on": DAY, "place": "新议事室", "chair": "召集人", "recorder": "记录员"},
            attendance=[
                {"membership": a.membership, "present": True} for a in meeting.attendance.all()
            ],
            motions=[{"id": m.pk, "title": m.title, "votes_for": 3} for m in meeting.motions.all()],
        ),
        by=None,
    )
    second = Meeting.objects.get(pk=meeting.pk)
    with pytest.raises(ValidationError) as error:
        services.meeting_revise(
            meeting=second,
            seen_version=opened_by_both,
            minutes=services.Minutes(
                fields={
                    "held_on": DAY,
                    "place": "旧议事室",
                    "chair": "召集人",
                    "recorder": "记录员",
                }
            ),
            by=None,
        )
    assert "after you opened it" in messages(error)[0] or "打开" in messages(error)[0]
    assert Meeting.objects.get(pk=meeting.pk).place == "新议事室"


def _revise(meeting, reason, **changes):
    fields = {
        "held_on": meeting.held_on,
        "place": meeting.place,
        "chair": meeting.chair,
        "recorder": meeting.recorder,
        "agenda": meeting.agenda,
    }
    return services.meeting_revise(
        meeting=Meeting.objects.get(pk=meeting.pk),
        seen_version=meeting.version,
        minutes=services.Minutes(
            fields=fields,
            attendance=[
                {"membership": a.membership, "present": a.present} for a in meeting.attendance.all()
            ],
            motions=[
                {
                    "id": m.pk,
                    "title": m.title,
                    "votes_for": m.votes_for,
                    "decision": m.decision,
                    **changes,
                }
                for m in meeting.motions.all()
            ],
        ),
        reason=reason,
        by=None,
    )


def test_a_change_after_publication_is_a_revision_with_its_reason(council):
    meeting = council_meeting(council.organisation)
    meeting = services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    with pytest.raises(ValidationError) as error:
        _revise(meeting, "", decision="改为两处车棚")
    assert "reason" in error.value.message_dict
    assert not Revision.objects.exists()
    revised = _revise(meeting, "纪要笔误", decision="改为两处车棚")
    revision = revised.revisions.get()
    assert revision.reason == "纪要笔误" and revision.number == 1
    assert "改为两处车棚" in revision.changes
    assert revised.motions.get().decision == "改为两处车棚"


def test_a_recorded_motion_cannot_be_removed(council):
    meeting = council_meeting(council.organisation)
    with pytest.raises(ValidationError) as error:
        services.meeting_revise(
            meeting=meeting,
            seen_version=meeting.version,
            minutes=services.Minutes(
                fields={"held_on": DAY, "place": "议事室", "chair": "召集人", "recorder": "记录员"},
                motions=[],
            ),
            by=None,
        )
    assert "motions" in error.value.message_dict


def test_objections_are_received_during_the_notice_period_only(council):
    meeting = council_meeting(council.organisation)
    motion = meeting.motions.get()
    with pytest.raises(ValidationError):
        services.objection_record(
            motion=motion, received_on=timezone.localdate(), summary="反对", by=None
        )
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    motion.refresh_from_db()
    services.objection_record(
        motion=motion, received_on=timezone.localdate(), summary="车棚占用消防通道", by=None
    )
    with pytest.raises(ValidationError) as error:
        services.objection_record(
            motion=motion,
            received_on=timezone.localdate() + datetime.timedelta(days=30),
            summary="迟到的异议",
            by=None,
        )
    assert "received_on" in error.value.message_dict
    assert motion.objections.count() == 1


def test_a_member_who_left_before_the_meeting_is_not_on_its_roll(council):
    leaving = council.members("representative").first()
    leaving.ended_on, leaving.end_reason = datetime.date(2024, 4, 1), "moved_away"
    leaving.save()
    meeting = council_meeting(council.organisation)
    assert meeting.members == 2
    assert not meeting.attendance.filter(membership=leaving).exists()


def test_people_outside_the_body_make_no_difference_to_quorum(council):
    PersonFactory(courtyard=council.organisation.coverage.first().courtyard)
    assert council_meeting(council.organisation).members == 3


def test_a_body_with_nobody_serving_that_day_cannot_meet(council):
    with pytest.raises(ValidationError) as error:
        council_meeting(council.organisation, held_on=datetime.date(2023, 2, 1))
    assert "held_on" in error.value.message_dict


def test_a_revision_says_proxies_changed_without_naming_the_households(council):
    fields = {"held_on": DAY, "place": "院坝", "chair": "召集人", "recorder": "记录员"}
    meeting = services.meeting_record(
        organisation=council.organisation,
        kind="meeting",
        minutes=services.Minutes(
            fields={**fields, "households_by_proxy": 1, "proxies": "3栋2单元501 由女儿代理"},
            households_present=70,
        ),
        by=None,
    )
    meeting = services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    services.meeting_revise(
        meeting=Meeting.objects.get(pk=meeting.pk),
        seen_version=meeting.version,
        minutes=services.Minutes(
            fields={**fields, "households_by_proxy": 1, "proxies": "4栋1单元302 由儿子代理"},
            households_present=70,
        ),
        reason="代理人登记有误",
        by=None,
    )
    changes = Revision.objects.get().changes
    assert changes and "302" not in changes and "501" not in changes
