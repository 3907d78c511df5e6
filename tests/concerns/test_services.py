"""The life of a concern through its services: numbers, deadlines, each step's rules,
escalation and the daily handover."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from concerns import services
from concerns.models import Concern, ConcernEvent, DutyRoster, ResponseDeadlines, Status
from portal.roles import Role
from tests.concerns.factories import a_concern
from tests.factories import user_with_role

Kind = ConcernEvent.Kind


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def test_tracking_numbers_count_per_street_and_year(geo, people):
    first = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 3, 2)))
    second = a_concern(people.street_a, geo.community_a2, received_at=at(date(2026, 3, 3)))
    other_street = a_concern(people.street_b, geo.community_b1, received_at=at(date(2026, 3, 3)))
    next_year = a_concern(people.community, geo.community_a1, received_at=at(date(2027, 1, 5)))
    assert first.number == "2026-浆洗街-0001"
    assert second.number == "2026-浆洗街-0002"
    assert other_street.number == "2026-望江路-0001"
    assert next_year.number == "2027-浆洗街-0001"


def test_receiving_writes_the_first_event_and_the_strictest_deadline(geo, people):
    concern = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 9, 30)))
    assert concern.status == Status.RECEIVED
    assert concern.answer_due == date(2026, 10, 8)
    assert [e.kind for e in concern.events.all()] == [Kind.RECEIVED]
    assert concern.history.first().history_user == people.community


def test_an_anonymous_concern_keeps_no_name(geo, people):
    concern = a_concern(people.community, geo.community_a1, anonymous=True)
    assert (concern.resident_name, concern.resident_phone) == ("", "")


def test_a_named_concern_needs_the_name(geo, people):
    with pytest.raises(ValidationError) as error:
        a_concern(people.community, geo.community_a1, resident_name="")
    assert "resident_name" in error.value.message_dict


def test_the_courtyard_must_lie_in_the_community(geo, people):
    with pytest.raises(ValidationError) as error:
        a_concern(people.community, geo.community_a1, courtyard=geo.courtyard_b1)
    assert "courtyard" in error.value.message_dict


def test_classifying_sets_the_deadline_from_the_district_setting(geo, people):
    concern = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 9, 30)))
    services.concern_classify(concern, by=people.community, routing=3)
    assert concern.answer_due == date(2026, 10, 10)
    ResponseDeadlines.objects.create(district=geo.district, departments_days=5)
    other = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 9, 30)))
    services.concern_classify(other, by=people.community, routing=3)
    assert other.answer_due == date(2026, 10, 13)
    assert other.status == Status.CLASSIFIED


def test_classifying_again_needs_another_class_and_is_kept_in_the_timeline(geo, people):
    concern = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 9, 30)))
    services.concern_classify(concern, by=people.community, routing=1)
    with pytest.raises(ValidationError) as error:
        services.concern_classify(concern, by=people.community, routing=1)
    assert "routing" in error.value.message_dict
    services.concern_classify(concern, by=people.street_a, routing=2)
    assert concern.answer_due == date(2026, 10, 9)
    assert [e.kind for e in concern.events.all()] == [
        Kind.RECEIVED,
        Kind.CLASSIFIED,
        Kind.CLASSIFIED,
    ]


def test_answer_resolve_and_visit_in_order(geo, people):
    concern = a_concern(people.community, geo.community_a1)
    with pytest.raises(ValidationError):
        services.concern_answer(concern, by=people.community, answer="已联系")
    services.concern_classify(concern, by=people.community, routing=1)
    with pytest.raises(ValidationError):
        services.concern_resolve(concern, by=people.community, resolution="已修好")
    services.concern_answer(concern, by=people.community, answer="已联系物业")
    with pytest.raises(ValidationError):
        services.concern_return_visit(concern, by=people.community, satisfaction="satisfied")
    services.concern_resolve(concern, by=people.community, resolution="已修好")
    services.concern_return_visit(concern, by=people.community, satisfaction="basic")
    assert concern.status == Status.VISITED
    assert [e.kind for e in concern.events.all()] == [
        Kind.RECEIVED,
        Kind.CLASSIFIED,
        Kind.ANSWERED,
        Kind.RESOLVED,
        Kind.RETURN_VISIT,
    ]
    with pytest.raises(ValidationError):
        services.concern_classify(concern, by=people.community, routing=2)


def test_an_empty_answer_is_refused(geo, people):
    concern = a_concern(people.community, geo.community_a1)
    services.concern_classify(concern, by=people.community, routing=1)
    with pytest.raises(ValidationError) as error:
        services.concern_answer(concern, by=people.community, answer="  ")
    assert "answer" in error.value.message_dict


def test_overdue_is_computed_not_stored(geo, people):
    concern = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 9, 30)))
    assert not concern.is_overdue(today=date(2026, 10, 8))
    assert concern.is_overdue(today=date(2026, 10, 9))
    rows = Concern.objects.with_status(today=date(2026, 10, 9))
    assert rows.get(pk=concern.pk).overdue_value is True
    assert rows.get(pk=concern.pk).status_value == Status.RECEIVED
    assert not Concern.objects.with_status(today=date(2026, 10, 8)).get().overdue_value


def test_escalation_raises_the_level_and_never_lowers_it(geo, people):
    concern = a_concern(people.community, geo.community_a1)
    services.concern_escalate(concern, by=people.community, to_level="street", reason="需街道协调")
    assert concern.level == Concern.Level.STREET
    with pytest.raises(ValidationError):
        services.concern_escalate(concern, by=people.street_a, to_level="street", reason="再次")
    with pytest.raises(ValidationError):
        services.concern_escalate(concern, by=people.street_a, to_level="district", reason="")
    services.concern_escalate(concern, by=people.street_a, to_level="district", reason="跨部门")
    assert concern.level == Concern.Level.DISTRICT
    assert concern.events.filter(kind=Kind.ESCALATED).count() == 2


def test_a_note_goes_into_the_timeline(geo, people):
    concern = a_concern(people.community, geo.community_a1)
    services.concern_note(concern, by=people.community, text="已电话联系居民")
    assert concern.events.last().text == "已电话联系居民"


def test_the_duty_officer_must_belong_to_the_community(geo, people):
    with pytest.raises(ValidationError) as error:
        services.roster_set(
            by=people.community,
            community=geo.community_a2,
            date=date(2026, 3, 2),
            officer=people.community,
        )
    assert "officer" in error.value.message_dict


def test_handover_passes_open_concerns_to_the_next_duty_officer(geo, people):
    tomorrow_officer = user_with_role(Role.COMMUNITY_MEMBER, geo.community_a1, username="sq_a1b")
    community = geo.community_a1
    services.roster_set(
        by=people.community, community=community, date=date(2026, 9, 30), officer=people.community
    )
    services.roster_set(
        by=people.community, community=community, date=date(2026, 10, 8), officer=tomorrow_officer
    )
    open_one = a_concern(people.community, community, received_at=at(date(2026, 9, 30)))
    closed = a_concern(people.community, community, received_at=at(date(2026, 9, 30)))
    services.concern_classify(closed, by=people.community, routing=1)
    services.concern_answer(closed, by=people.community, answer="已答复")
    services.concern_resolve(closed, by=people.community, resolution="已解决")
    later = a_concern(people.community, community, received_at=at(date(2026, 10, 8)))
    elsewhere = a_concern(people.street_a, geo.community_a2, received_at=at(date(2026, 9, 30)))

    events = services.hand_over(
        community, date(2026, 9, 30), by=people.community, note="已上门两次"
    )

    assert [e.concern for e in events] == [open_one]
    event = events[0]
    assert (event.from_officer, event.to_officer, event.by) == (
        people.community,
        tomorrow_officer,
        people.community,
    )
    assert event.text == "已上门两次"
    for untouched in (closed, later, elsewhere):
        assert not untouched.events.filter(kind=Kind.HANDED_OVER).exists()
    with pytest.raises(ValidationError) as error:  # a second click hands nothing over twice
        services.hand_over(community, date(2026, 9, 30), by=people.community, note="再次")
    assert "day" in error.value.message_dict


def test_handover_needs_a_next_duty_day(geo, people):
    a_concern(people.community, geo.community_a1)
    with pytest.raises(ValidationError):
        services.hand_over(geo.community_a1, date(2026, 3, 2), by=people.community, note="无")
    assert not DutyRoster.objects.exists()


def test_working_days_to_answer_skip_the_holiday(geo, people):
    concern = a_concern(people.community, geo.community_a1, received_at=at(date(2026, 9, 30)))
    services.concern_classify(concern, by=people.community, routing=3)
    assert concern.working_days_to_answer is None
    concern.answered_on = date(2026, 10, 9)
    assert concern.working_days_to_answer == 2
