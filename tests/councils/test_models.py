"""The rules the database holds (constraints) and the messages `full_clean` gives."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from councils.models import (
    Body,
    Coverage,
    Election,
    EndReason,
    Evaluation,
    Inquiry,
    Membership,
    Organisation,
    Person,
    Recall,
    Term,
    Training,
)
from tests.councils.factories import PersonFactory, body_of, organisation_for
from tests.factories import CourtyardFactory

D = datetime.date
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints exist on PostgreSQL only"
)


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def messages(error):
    return " ".join(str(m) for m in error.value.messages)


# Organisations and the courtyards they cover


def test_a_courtyard_belongs_to_one_open_organisation_in_the_database(geo):
    first = organisation_for(geo.courtyard_a1)
    second = Organisation.objects.create(
        community=geo.community_a1, name="另一个组织", set_up_on=D(2023, 1, 1)
    )
    refused_by_database(
        lambda: Coverage.objects.create(
            organisation=second, courtyard=geo.courtyard_a1, started_on=D(2024, 1, 1)
        )
    )
    assert Coverage.objects.filter(courtyard=geo.courtyard_a1).get().organisation == first


def test_a_second_open_organisation_for_a_courtyard_is_explained_in_chinese(geo):
    organisation_for(geo.courtyard_a1)
    second = Organisation.objects.create(
        community=geo.community_a1, name="另一个组织", set_up_on=D(2023, 1, 1)
    )
    coverage = Coverage(organisation=second, courtyard=geo.courtyard_a1, started_on=D(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        coverage.full_clean()
    assert "该院落已属于一个未解散的院落自治组织" in messages(error)


def test_an_organisation_covers_courtyards_of_its_own_community_only(geo):
    organisation = organisation_for(geo.courtyard_a1)
    coverage = Coverage(
        organisation=organisation, courtyard=geo.courtyard_a2, started_on=D(2023, 2, 1)
    )
    with pytest.raises(ValidationError) as error:
        coverage.full_clean()
    assert "courtyard" in error.value.message_dict


def test_status_and_dates_must_agree_in_the_database(geo):
    refused_by_database(
        lambda: Organisation.objects.create(
            community=geo.community_a1,
            name="甲",
            set_up_on=D(2023, 1, 1),
            status=Organisation.Status.ACCEPTED,
        )
    )
    refused_by_database(
        lambda: Organisation.objects.create(
            community=geo.community_a1,
            name="乙",
            set_up_on=D(2023, 1, 1),
            status=Organisation.Status.ESTABLISHED,
            established_on=D(2022, 12, 1),
        )
    )


def test_a_dissolved_organisation_needs_a_date_and_a_reason(geo):
    refused_by_database(
        lambda: Organisation.objects.create(
            community=geo.community_a1,
            name="甲",
            set_up_on=D(2023, 1, 1),
            status=Organisation.Status.DISSOLVED,
            dissolved_on=D(2024, 1, 1),
        )
    )


def test_each_organisation_has_one_body_of_each_kind(geo):
    organisation = organisation_for(geo.courtyard_a1)
    assert sorted(organisation.bodies.values_list("kind", flat=True)) == sorted(Body.Kind.values)
    refused_by_database(lambda: Body.objects.create(organisation=organisation, kind="council"))


def test_an_organisation_with_records_cannot_be_deleted(geo):
    organisation = organisation_for(geo.courtyard_a1)
    with pytest.raises(ProtectedError):
        organisation.delete()
    with pytest.raises(ProtectedError):
        geo.courtyard_a1.delete()


# Terms


def _term(body, number, start, end, seats=3):
    return Term(body=body, number=number, started_on=start, ends_on=end, seats=seats)


def test_terms_of_a_body_cannot_overlap(geo):
    body = body_of(organisation_for(geo.courtyard_a1), "council")
    _term(body, 1, D(2020, 1, 1), D(2022, 12, 31)).save()
    overlapping = _term(body, 2, D(2022, 12, 31), D(2025, 12, 31))
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "同一机构的各届任期不能重叠" in messages(error)
    _term(body, 2, D(2023, 1, 1), D(2025, 12, 31)).full_clean()  # the next day is fine


@on_postgresql
def test_postgresql_itself_refuses_overlapping_terms(geo):
    body = body_of(organisation_for(geo.courtyard_a1), "council")
    _term(body, 1, D(2020, 1, 1), D(2022, 12, 31)).save()
    refused_by_database(lambda: _term(body, 2, D(2022, 6, 1), D(2025, 5, 31)).save())


def test_terms_in_different_bodies_may_share_dates(geo):
    organisation = organisation_for(geo.courtyard_a1)
    _term(body_of(organisation, "council"), 1, D(2020, 1, 1), D(2022, 12, 31)).save()
    _term(body_of(organisation, "group"), 1, D(2020, 1, 1), D(2022, 12, 31)).full_clean()


def test_term_numbers_are_unique_and_end_after_they_start(geo):
    body = body_of(organisation_for(geo.courtyard_a1), "council")
    _term(body, 1, D(2020, 1, 1), D(2022, 12, 31)).save()
    refused_by_database(lambda: _term(body, 1, D(2023, 1, 1), D(2025, 12, 31)).save())
    refused_by_database(lambda: _term(body, 2, D(2024, 1, 1), D(2023, 12, 31)).save())


def test_the_residents_meeting_has_no_terms(geo):
    body = body_of(organisation_for(geo.courtyard_a1), "meeting")
    with pytest.raises(ValidationError) as error:
        _term(body, 1, D(2020, 1, 1), D(2022, 12, 31)).full_clean()
    assert "body" in error.value.message_dict


# Memberships


@pytest.fixture
def term(geo):
    body = body_of(organisation_for(geo.courtyard_a1), "council")
    term = _term(body, 1, D(2023, 1, 1), D(2025, 12, 31), seats=5)
    term.save()
    return term


def _membership(term, person, role="representative", start=None, **fields):
    start = start or D(2023, 1, 1)
    return Membership(
        body=term.body, term=term, person=person, role=role, started_on=start, **fields
    )


def test_a_person_holds_one_role_in_a_body_at_a_time_in_the_database(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    _membership(term, person).save()
    refused_by_database(lambda: _membership(term, person, role="convener").save())


def test_a_second_role_is_explained_in_chinese(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    _membership(term, person).save()
    with pytest.raises(ValidationError) as error:
        _membership(term, person, role="convener", start=D(2023, 6, 1)).full_clean()
    assert "此人已在该机构任职" in messages(error)


def test_a_person_may_serve_again_after_leaving(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    _membership(term, person, ended_on=D(2023, 6, 1), end_reason=EndReason.RESIGNED).save()
    again = _membership(term, person, start=D(2023, 6, 1))
    again.full_clean()
    again.save()


def test_past_memberships_of_one_person_cannot_overlap(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    _membership(term, person, ended_on=D(2023, 6, 1), end_reason=EndReason.RESIGNED).save()
    earlier = _membership(
        term, person, start=D(2023, 3, 1), ended_on=D(2023, 4, 1), end_reason="resigned"
    )
    with pytest.raises(ValidationError) as error:
        earlier.full_clean()
    assert "此人在这段时间已在该机构任职" in messages(error)


@on_postgresql
def test_postgresql_itself_refuses_overlapping_past_memberships(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    _membership(term, person, ended_on=D(2023, 6, 1), end_reason=EndReason.RESIGNED).save()
    refused_by_database(
        lambda: _membership(
            term, person, start=D(2023, 3, 1), ended_on=D(2023, 4, 1), end_reason="resigned"
        ).save()
    )


def test_a_council_has_one_convener_at_a_time(geo, term):
    _membership(term, PersonFactory(courtyard=geo.courtyard_a1), role="convener").save()
    refused_by_database(
        lambda: _membership(term, PersonFactory(courtyard=geo.courtyard_a1), role="convener").save()
    )


def test_an_ended_membership_needs_a_reason_and_is_kept(geo, term):
    membership = _membership(term, PersonFactory(courtyard=geo.courtyard_a1))
    membership.save()
    membership.ended_on = D(2024, 1, 1)
    refused_by_database(membership.save)
    membership.end_reason = EndReason.MOVED_AWAY
    membership.save()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert [h.end_reason for h in membership.history.all()] == ["moved_away", ""]


def test_a_role_must_belong_to_the_body(geo, term):
    membership = _membership(term, PersonFactory(courtyard=geo.courtyard_a1), role="leader")
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "role" in error.value.message_dict


def test_a_membership_starts_within_its_term(geo, term):
    membership = _membership(term, PersonFactory(courtyard=geo.courtyard_a1), start=D(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "started_on" in error.value.message_dict


def test_people_serve_in_the_community_they_live_in(geo, term):
    membership = _membership(term, PersonFactory(courtyard=geo.courtyard_b1))
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "person" in error.value.message_dict


def test_serving_on_a_day_counts_the_first_day_and_not_the_day_of_leaving(geo, term):
    membership = _membership(
        term,
        PersonFactory(courtyard=geo.courtyard_a1),
        start=D(2023, 2, 1),
        ended_on=D(2023, 9, 1),
        end_reason="resigned",
    )
    membership.save()
    serving = Membership.objects.serving_on
    assert not serving(D(2023, 1, 31)).exists()
    assert serving(D(2023, 2, 1)).exists()
    assert serving(D(2023, 8, 31)).exists()
    assert not serving(D(2023, 9, 1)).exists()


# People


def test_a_person_is_an_adult_born_after_1900(geo):
    person = PersonFactory.build(courtyard=geo.courtyard_a1, birth_year=2020)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "birth_year" in error.value.message_dict
    refused_by_database(lambda: PersonFactory(courtyard=geo.courtyard_a1, birth_year=1850))


def test_a_phone_number_is_digits(geo):
    person = PersonFactory.build(courtyard=geo.courtyard_a1, phone="call me")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "phone" in error.value.message_dict


def test_a_person_who_served_cannot_be_deleted(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    _membership(term, person).save()
    with pytest.raises(ProtectedError):
        person.delete()
    assert Person.objects.filter(pk=person.pk).exists()


# Elections, evaluations, inquiries, recalls, trainings


def test_votes_cannot_exceed_eligible_voters_in_the_database(geo, term):
    def create(votes_cast):
        return lambda: Election.objects.create(
            body=term.body,
            term=term,
            kind="general",
            method="open",
            held_on=D(2023, 1, 1),
            eligible_voters=100,
            votes_cast=votes_cast,
        )

    refused_by_database(create(101))
    refused_by_database(create(50))  # not more than half: invalid
    create(51)()


def test_evaluation_results_must_follow_the_rule_in_the_database(geo):
    organisation = organisation_for(geo.courtyard_a1)

    def create(result, dissatisfied):
        return lambda: Evaluation.objects.create(
            organisation=organisation,
            year=2023,
            held_on=D(2023, 12, 20),
            evaluators=40,
            group_satisfied=40 - dissatisfied,
            group_basically=0,
            group_dissatisfied=dissatisfied,
            group_result=result,
        )

    refused_by_database(create("satisfied", 21))
    refused_by_database(create("dissatisfied", 20))
    create("dissatisfied", 21)()


def test_ratings_cannot_add_up_to_more_than_the_evaluators(geo):
    organisation = organisation_for(geo.courtyard_a1)
    refused_by_database(
        lambda: Evaluation.objects.create(
            organisation=organisation,
            year=2023,
            held_on=D(2023, 12, 20),
            evaluators=10,
            group_satisfied=8,
            group_basically=2,
            group_dissatisfied=1,
            group_result="satisfied",
        )
    )


def test_a_recall_outcome_must_follow_the_rule_in_the_database(geo, term):
    membership = _membership(term, PersonFactory(courtyard=geo.courtyard_a1))
    membership.save()

    def create(outcome, votes_for, against=0):
        return lambda: Recall.objects.create(
            organisation=term.body.organisation,
            membership=membership,
            moved_on=D(2023, 5, 1),
            moved_by="代表5人联名",
            reason="长期不履职",
            decided_by="meeting",
            voted_on=D(2023, 5, 20),
            entitled_voters=100,
            votes_for=votes_for,
            votes_against=against,
            votes_abstain=0,
            outcome=outcome,
        )

    refused_by_database(create("passed", 50))  # half is not more than half
    refused_by_database(create("failed", 51))
    refused_by_database(create("failed", 60, against=41))  # 101 votes of 100 voters
    create("passed", 51)()


def test_an_answer_needs_its_date_and_acceptance_follows_the_answer(geo):
    organisation = organisation_for(geo.courtyard_a1)
    base = {
        "organisation": organisation,
        "raised_on": D(2023, 5, 1),
        "representatives": 2,
        "question": "账目为何未公开？",
    }
    refused_by_database(lambda: Inquiry.objects.create(**base, answer="已公开"))
    refused_by_database(lambda: Inquiry.objects.create(**base, accepted=True))
    refused_by_database(
        lambda: Inquiry.objects.create(**base, answer="已公开", answered_on=D(2023, 4, 1))
    )


def test_a_training_is_organised_by_exactly_one_unit(geo):
    refused_by_database(
        lambda: Training.objects.create(
            district=geo.district,
            street=geo.street_a,
            held_on=D(2023, 4, 1),
            topic="议事规则",
            organiser="区民政局",
        )
    )
    training = Training(held_on=D(2023, 4, 1), topic="议事规则", organiser="区民政局")
    with pytest.raises(ValidationError) as error:
        training.full_clean()
    assert "community" in error.value.message_dict


def test_history_records_each_change(geo):
    courtyard = CourtyardFactory(community=geo.community_a1)
    person = PersonFactory(courtyard=courtyard)
    person.phone = "13900001111"
    person.save()
    assert person.history.count() == 2
    assert person.history.first().phone == "13900001111"


def test_someone_who_served_and_moved_away_keeps_a_valid_record(geo, term):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    membership = _membership(term, person, ended_on=D(2023, 6, 1), end_reason="moved_away")
    membership.save()
    person.courtyard = geo.courtyard_b1
    person.save()
    membership.refresh_from_db()
    membership.note = "迁往九眼桥社区"
    membership.full_clean()  # still valid: the rule applies when someone takes up a role
