"""The workflows: each writes all of its records or none, and refuses what the rules forbid."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from councils import services
from councils.models import (
    Body,
    Candidate,
    Coverage,
    DistrictRules,
    Election,
    EndReason,
    EvaluationRating,
    Membership,
    Organisation,
    Recall,
    Term,
    TrainingAttendance,
)
from tests.councils.factories import PersonFactory, body_of, elect, organisation_for
from tests.factories import (
    CommunityFactory,
    CourtyardFactory,
    DistrictFactory,
    StreetFactory,
    UserFactory,
)

D = datetime.date


def refused(call, field=None, text=None):
    with pytest.raises(ValidationError) as error:
        call()
    if field:
        assert field in error.value.message_dict, error.value.message_dict
    if text:
        assert text in " ".join(error.value.messages), error.value.messages
    return error.value


# Organisations


def test_creating_an_organisation_gives_it_three_bodies_and_its_courtyards(geo):
    second = CourtyardFactory(community=geo.community_a1, name="锦里14号院")
    user = UserFactory()
    organisation = organisation_for(geo.courtyard_a1, second, by=user)
    assert organisation.status == Organisation.Status.PREPARING
    assert organisation.set_up_by == user
    assert organisation.bodies.count() == 3
    assert set(organisation.coverage.values_list("courtyard__name", flat=True)) == {
        "锦里12号院",
        "锦里14号院",
    }
    assert organisation.history.first().history_user == user


def test_a_courtyard_already_covered_cannot_join_a_second_organisation(geo):
    organisation_for(geo.courtyard_a1)
    error = refused(
        lambda: organisation_for(geo.courtyard_a1, name="重复组织"),
        field="courtyards",
        text="锦里12号院",
    )
    assert "未解散" in " ".join(error.messages)
    assert Organisation.objects.count() == 1  # nothing of the second one was written


def test_an_organisation_cannot_cover_another_communitys_courtyard(geo):
    refused(
        lambda: services.organisation_create(
            community=geo.community_a1,
            name="跨社区组织",
            set_up_on=D(2023, 1, 1),
            courtyards=[geo.courtyard_a1, geo.courtyard_a2],
            by=None,
        ),
        field="courtyards",
    )
    assert not Organisation.objects.exists()


def test_establishing_needs_the_council_and_the_group_elected(geo):
    organisation = organisation_for(geo.courtyard_a1)
    elect(organisation, "council", ["convener", "representative"])
    refused(
        lambda: services.organisation_establish(
            organisation=organisation, on=D(2023, 3, 10), by=None
        ),
        field="established_on",
        text="自治管理小组",
    )
    elect(organisation, "group", ["leader"])
    services.organisation_establish(organisation=organisation, on=D(2023, 3, 10), by=None)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ESTABLISHED


def test_acceptance_follows_establishment(geo):
    organisation = organisation_for(geo.courtyard_a1)
    refused(
        lambda: services.organisation_accept(organisation=organisation, on=D(2023, 5, 1), by=None)
    )


def test_the_steps_record_who_made_them(council, people):
    council.organisation.refresh_from_db()
    services.organisation_dissolve(
        organisation=council.organisation, on=D(2025, 1, 1), reason="院落拆迁", by=people.street_a
    )
    council.organisation.refresh_from_db()
    assert council.organisation.dissolved_by == people.street_a
    assert council.organisation.history.first().history_user == people.street_a


def test_dissolving_ends_memberships_terms_and_coverage_and_frees_the_courtyard(council, geo):
    organisation = council.organisation
    services.organisation_dissolve(
        organisation=organisation, on=D(2025, 1, 1), reason="与相邻院落合并", by=None
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.DISSOLVED
    memberships = Membership.objects.filter(body__organisation=organisation)
    assert memberships.count() == 6  # kept, not deleted
    assert set(memberships.values_list("end_reason", flat=True)) == {EndReason.DISSOLVED}
    assert set(memberships.values_list("ended_on", flat=True)) == {D(2025, 1, 1)}
    assert set(
        Term.objects.filter(body__organisation=organisation).values_list("ends_on", flat=True)
    ) == {D(2024, 12, 31)}
    assert Coverage.objects.get(organisation=organisation).ended_on == D(2025, 1, 1)
    successor = organisation_for(geo.courtyard_a1, name="新组织", set_up_on=D(2025, 1, 1))
    assert successor.coverage.get().courtyard == geo.courtyard_a1


def test_dissolving_waits_for_a_pending_recall(council):
    services.recall_move(
        membership=council.member("member"),
        moved_on=D(2024, 5, 1),
        moved_by="代表联名",
        reason="不履职",
        decided_by="meeting",
        by=None,
    )
    refused(
        lambda: services.organisation_dissolve(
            organisation=council.organisation, on=D(2025, 1, 1), reason="拆迁", by=None
        ),
        field="dissolved_on",
    )


# Elections


def test_an_election_creates_the_term_and_its_memberships_in_one_step(council):
    election = council.council_election
    assert election.term.number == 1
    assert election.term.started_on == D(2023, 3, 1)
    # five years by default: the residents' committee's term (组织法第八条), docs/rules.md
    assert election.term.ends_on == D(2028, 2, 29)
    members = Membership.objects.filter(election=election)
    assert sorted(members.values_list("role", flat=True)) == [
        "convener",
        "representative",
        "representative",
    ]
    assert all(m.started_on == D(2023, 3, 1) for m in members)
    assert Candidate.objects.filter(election=election, elected=True).count() == 3


def test_a_terms_default_end_follows_the_districts_term_length(geo):
    DistrictRules.objects.create(district=geo.district, term_years=3)
    election = elect(organisation_for(geo.courtyard_a1), "council", ["convener"])
    assert election.term.started_on == D(2023, 3, 1)
    assert election.term.ends_on == D(2026, 2, 28)
    other = DistrictFactory(name="青羊区")
    courtyard = CourtyardFactory(
        community=CommunityFactory(street=StreetFactory(district=other, name="草市街街道"))
    )
    assert elect(organisation_for(courtyard), "council", ["convener"]).term.ends_on == D(
        2028, 2, 29
    )


def test_a_general_election_ends_the_previous_terms_memberships_and_brings_its_end_forward(
    council,
):
    organisation = council.organisation
    old_members = list(
        Membership.objects.filter(body__kind="council", body__organisation=organisation)
    )
    second = elect(organisation, "council", ["convener", "representative"], held_on=D(2025, 6, 1))
    for membership in old_members:
        membership.refresh_from_db()
        assert membership.ended_on == D(2025, 6, 1)
        assert membership.end_reason == EndReason.TERM_ENDED
    first_term = council.council_election.term
    first_term.refresh_from_db()
    assert first_term.ends_on == D(2025, 5, 31)
    assert second.term.number == 2
    serving = Membership.objects.serving_on(D(2025, 6, 1)).filter(body__kind="council")
    assert set(serving) == set(Membership.objects.filter(election=second))


def test_a_re_elected_member_serves_on_without_a_gap(council):
    convener = council.member("convener")
    elect(
        council.organisation,
        "council",
        ["convener"],
        people=[convener.person],
        held_on=D(2025, 6, 1),
    )
    days = Membership.objects.filter(person=convener.person).order_by("started_on")
    assert [(m.started_on, m.ended_on) for m in days] == [
        (D(2023, 3, 1), D(2025, 6, 1)),
        (D(2025, 6, 1), None),
    ]


def test_a_new_term_cannot_start_before_the_previous_one(council):
    refused(
        lambda: elect(council.organisation, "council", ["convener"], held_on=D(2023, 2, 1)),
        field="term_started_on",
    )
    assert Term.objects.filter(body__kind="council").count() == 1


def test_an_election_refuses_more_votes_than_voters_and_writes_nothing(geo):
    organisation = organisation_for(geo.courtyard_a1)
    person = PersonFactory(courtyard=geo.courtyard_a1)
    refused(
        lambda: services.election_record(
            body=body_of(organisation, "council"),
            kind="general",
            method="open",
            held_on=D(2023, 3, 1),
            eligible_voters=100,
            votes_cast=120,
            candidates=[{"person": person, "votes": 90, "elected": True, "role": "convener"}],
            seats=3,
            by=None,
        ),
        field="votes_cast",
        text="实际投票人数不能超过应参加投票人数",
    )
    assert not Term.objects.exists() and not Election.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("candidates", "text"),
    [
        ([("a", 95, True, "convener")], "得票数不能超过实际投票人数"),
        ([("a", 50, True, "convener"), ("b", 40, True, "convener")], "召集人只能有一人"),
        ([("a", 50, True, "leader")], "请为"),
        ([("a", 50, False, "")], "请勾选当选人员"),
        ([("a", 50, True, "convener"), ("a", 40, False, "")], "候选人中有人重复出现"),
    ],
)
def test_an_election_refuses_what_the_rules_forbid(geo, candidates, text):
    organisation = organisation_for(geo.courtyard_a1)
    people = {key: PersonFactory(courtyard=geo.courtyard_a1) for key in "ab"}
    refused(
        lambda: services.election_record(
            body=body_of(organisation, "council"),
            kind="general",
            method="open",
            held_on=D(2023, 3, 1),
            eligible_voters=100,
            votes_cast=90,
            candidates=[
                {"person": people[key], "votes": votes, "elected": elected, "role": role}
                for key, votes, elected, role in candidates
            ],
            seats=3,
            by=None,
        ),
        field="candidates",
        text=text,
    )
    assert not Membership.objects.exists()


def test_more_elected_than_seats_is_refused(geo):
    organisation = organisation_for(geo.courtyard_a1)
    refused(
        lambda: elect(organisation, "council", ["convener", "representative"], seats=1),
        field="candidates",
    )


def test_a_person_from_another_community_cannot_be_elected(geo):
    organisation = organisation_for(geo.courtyard_a1)
    outsider = PersonFactory(courtyard=geo.courtyard_b1)
    refused(
        lambda: elect(organisation, "council", ["convener"], people=[outsider]),
        field="candidates",
        text=outsider.name,
    )
    assert not Membership.objects.exists()


# Leaving, vacancies and by-elections


def test_a_member_who_resigns_keeps_their_record_and_leaves_a_vacancy(council):
    membership = council.members("representative").first()
    services.membership_end(
        membership=membership, on=D(2024, 2, 1), reason=EndReason.RESIGNED, by=None
    )
    membership.refresh_from_db()
    assert (membership.ended_on, membership.end_reason) == (D(2024, 2, 1), "resigned")
    term = council.council_election.term
    serving = Membership.objects.filter(term=term).serving_on(D(2024, 2, 1)).count()
    assert term.seats - serving == 1


def test_a_membership_cannot_end_twice_or_before_it_began(council):
    membership = council.member("leader")
    refused(
        lambda: services.membership_end(
            membership=membership, on=D(2022, 1, 1), reason="resigned", by=None
        ),
        field="ended_on",
    )
    services.membership_end(membership=membership, on=D(2024, 1, 1), reason="moved_away", by=None)
    refused(
        lambda: services.membership_end(
            membership=membership, on=D(2024, 2, 1), reason="resigned", by=None
        )
    )


def test_a_by_election_fills_a_vacancy_in_the_current_term(council):
    leaving = council.members("representative").first()
    services.membership_end(membership=leaving, on=D(2024, 2, 1), reason="moved_away", by=None)
    election = elect(
        council.organisation,
        "council",
        ["representative"],
        held_on=D(2024, 3, 1),
        election_kind="by_election",
    )
    assert election.term == council.council_election.term
    joined = Membership.objects.get(election=election)
    assert joined.started_on == D(2024, 3, 1) and joined.term == election.term


def test_a_by_election_cannot_fill_more_seats_than_are_vacant(council):
    refused(
        lambda: elect(
            council.organisation,
            "council",
            ["representative"],
            held_on=D(2024, 3, 1),
            election_kind="by_election",
        ),
        field="candidates",
        text="只有0个空缺名额",
    )


def test_a_by_election_cannot_elect_a_second_convener(council):
    services.membership_end(
        membership=council.members("representative").first(),
        on=D(2024, 2, 1),
        reason="resigned",
        by=None,
    )
    refused(
        lambda: elect(
            council.organisation,
            "council",
            ["convener"],
            held_on=D(2024, 3, 1),
            election_kind="by_election",
        ),
        field="candidates",
        text="召集人职位没有空缺",
    )


# Evaluations


EVALUATED_ON, MOVED_ON, VOTED_ON = D(2023, 12, 20), D(2024, 5, 1), D(2024, 5, 20)


def _evaluate(council, ratings, held_on=EVALUATED_ON, **group):
    counts = {"group_satisfied": 30, "group_basically": 8, "group_dissatisfied": 2, **group}
    return services.evaluation_record(
        organisation=council.organisation,
        year=held_on.year,
        held_on=held_on,
        evaluators=40,
        ratings=ratings,
        by=None,
        **counts,
    )


def test_an_evaluation_computes_results_and_flags_members_more_than_half_dissatisfied(council):
    leader, deputy, member = (council.member(r) for r in ("leader", "deputy", "member"))
    evaluation = _evaluate(
        council,
        [
            {"membership": leader, "satisfied": 30, "basically": 8, "dissatisfied": 2},
            {"membership": deputy, "satisfied": 10, "basically": 10, "dissatisfied": 20},
            {"membership": member, "satisfied": 5, "basically": 10, "dissatisfied": 21},
        ],
    )
    assert evaluation.group_result == "satisfied"
    results = {r.membership.role: r.result for r in evaluation.ratings.all()}
    assert results == {"leader": "satisfied", "deputy": "basically", "member": "dissatisfied"}
    flagged = [r.membership for r in evaluation.ratings.all() if r.flagged_for_recall]
    assert flagged == [member]


def test_an_evaluation_rates_only_group_members_serving_that_day(council):
    representative = council.members("representative").first()
    refused(
        lambda: _evaluate(
            council,
            [{"membership": representative, "satisfied": 30, "basically": 0, "dissatisfied": 0}],
        ),
        field="ratings",
    )
    member = council.member("member")
    services.membership_end(membership=member, on=D(2023, 10, 1), reason="resigned", by=None)
    refused(
        lambda: _evaluate(
            council, [{"membership": member, "satisfied": 30, "basically": 0, "dissatisfied": 0}]
        ),
        field="ratings",
        text="评议当日",
    )
    assert not EvaluationRating.objects.exists()


def test_an_organisation_is_evaluated_once_a_year(council):
    _evaluate(council, [])
    refused(lambda: _evaluate(council, [], held_on=D(2023, 12, 28)), text="该年度已进行过")


# Inquiries


def test_an_inquiry_needs_one_fifth_of_the_representatives_serving(council):
    # three representatives serving (the convener included): at least one must sign
    inquiry = services.inquiry_raise(
        organisation=council.organisation,
        raised_on=D(2023, 9, 1),
        representatives=1,
        target=council.member("leader"),
        question="停车收费为何未公示？",
        by=None,
    )
    assert inquiry.state == "待答复"
    refused(
        lambda: services.inquiry_raise(
            organisation=council.organisation,
            raised_on=D(2023, 9, 1),
            representatives=4,
            question="？",
            by=None,
        ),
        field="representatives",
        text="只有3人",
    )


def test_an_inquiry_of_a_large_council_needs_more_signatures(geo):
    organisation = organisation_for(geo.courtyard_a1)
    elect(organisation, "council", ["convener"] + ["representative"] * 10)
    refused(
        lambda: services.inquiry_raise(
            organisation=organisation,
            raised_on=D(2023, 9, 1),
            representatives=2,
            question="账目问题",
            by=None,
        ),
        text="至少3人",
    )


def test_an_answer_is_recorded_and_judged(council):
    inquiry = services.inquiry_raise(
        organisation=council.organisation,
        raised_on=D(2023, 9, 1),
        representatives=2,
        question="停车收费为何未公示？",
        by=None,
    )
    refused(
        lambda: services.inquiry_answer(
            inquiry=inquiry, answered_on=D(2023, 8, 1), answer="已公示", by=None
        ),
        field="answered_on",
    )
    services.inquiry_answer(
        inquiry=inquiry, answered_on=D(2023, 9, 10), answer="已在公示栏张贴", accepted=True, by=None
    )
    inquiry.refresh_from_db()
    assert inquiry.state == "代表满意"


# Recalls


def _move(membership, moved_on=MOVED_ON):
    return services.recall_move(
        membership=membership,
        moved_on=moved_on,
        moved_by="民情代表王秀英等3人联名",
        reason="长期不履职",
        decided_by="meeting",
        by=None,
    )


def _vote(recall, votes_for, against=10, abstain=5, entitled=100, voted_on=VOTED_ON):
    return services.recall_vote(
        recall=recall,
        voted_on=voted_on,
        entitled_voters=entitled,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
        by=None,
    )


def test_a_passed_recall_ends_the_membership_the_day_of_the_vote_and_leaves_a_vacancy(council):
    member = council.member("member")
    recall = _vote(_move(member), votes_for=51)
    assert recall.outcome == Recall.Outcome.PASSED
    member.refresh_from_db()
    assert (member.ended_on, member.end_reason) == (D(2024, 5, 20), EndReason.RECALLED)
    term = council.group_election.term
    serving = Membership.objects.filter(term=term).serving_on(D(2024, 5, 20)).count()
    assert term.seats - serving == 1


def test_a_recall_with_half_the_entitled_voters_fails_and_the_member_stays(council):
    member = council.member("member")
    recall = _vote(_move(member), votes_for=50, against=30)
    assert recall.outcome == Recall.Outcome.FAILED
    member.refresh_from_db()
    assert member.ended_on is None


def test_votes_cannot_exceed_the_entitled_voters(council):
    recall = _move(council.member("member"))
    refused(lambda: _vote(recall, votes_for=60, against=40, abstain=10), field="votes_abstain")
    recall.refresh_from_db()
    assert recall.outcome == Recall.Outcome.PENDING
    assert council.member("member").ended_on is None


def test_a_recall_is_about_a_member_serving_at_that_date(council):
    member = council.member("member")
    refused(lambda: _move(member, moved_on=D(2022, 5, 1)), field="membership")
    services.membership_end(membership=member, on=D(2024, 1, 1), reason="resigned", by=None)
    refused(lambda: _move(member), field="membership", text="提议当日")


def test_a_recall_is_decided_once(council):
    recall = _vote(_move(council.member("member")), votes_for=20)
    refused(lambda: _vote(recall, votes_for=80))


def test_a_pending_recall_lapses_when_the_member_leaves(council):
    member = council.member("member")
    recall = _move(member)
    services.membership_end(membership=member, on=D(2024, 5, 10), reason="resigned", by=None)
    recall.refresh_from_db()
    assert recall.outcome == Recall.Outcome.LAPSED


# Trainings


def test_a_training_records_attendees_serving_in_its_unit(council, geo):
    serving = [council.member("leader").person, council.member("convener").person]
    training = services.training_save(
        street=geo.street_a,
        held_on=D(2023, 11, 5),
        topic="院落议事规则",
        organiser="浆洗街街道办事处",
        other_attendees=4,
        people=serving,
        by=None,
    )
    assert set(training.attendees.all()) == set(serving)
    services.training_save(
        training=training, people=serving[:1], by=None, topic="院落议事规则与财务公开"
    )
    assert list(TrainingAttendance.objects.values_list("person", flat=True)) == [serving[0].pk]


def test_a_training_refuses_people_outside_its_unit_or_not_serving(council, geo):
    refused(
        lambda: services.training_save(
            community=geo.community_a2,
            held_on=D(2023, 11, 5),
            topic="议事规则",
            organiser="洗面桥社区",
            people=[council.member("leader").person],
            by=None,
        ),
        field="people",
    )
    not_serving = PersonFactory(courtyard=geo.courtyard_a1)
    refused(
        lambda: services.training_save(
            community=geo.community_a1,
            held_on=D(2023, 11, 5),
            topic="议事规则",
            organiser="锦里社区",
            people=[not_serving],
            by=None,
        ),
        field="people",
        text="不在任",
    )


def test_bodies_of_every_organisation_are_the_three_kinds(council):
    assert set(Body.objects.values_list("kind", flat=True)) == set(Body.Kind.values)
