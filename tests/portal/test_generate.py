"""The benchmark's generator (manage.py seed_city) at a tiny scale: consistent data."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from councils.models import Coverage, Membership, Organisation, Person
from courtyards.models import Community, Courtyard, District, Street
from funds.models import Allocation, Expenditure, Project
from inspections.models import Inspection
from portal.generate import SCALES

TODAY = datetime.date(2026, 11, 22)
TINY = SCALES["tiny"]


@pytest.fixture
def generated(db):
    call_command("seed_city", scale="tiny", quiet=True, today=TODAY, stdout=io.StringIO())


def test_sizes_follow_the_scale(generated):
    assert District.objects.count() == TINY.districts
    assert Street.objects.count() == TINY.districts * TINY.streets_per_district
    assert Community.objects.count() == TINY.districts * TINY.communities_per_district
    assert Courtyard.objects.count() == (
        TINY.districts * TINY.communities_per_district * TINY.courtyards_per_community
    )


def test_every_row_obeys_the_models_rules(generated):
    for app in ("courtyards", "councils", "funds", "inspections", "concerns"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for row in model.objects.all():
                row.full_clean()


def test_courtyards_lie_in_their_district_and_each_is_covered_once(generated):
    for courtyard in Courtyard.objects.select_related("community__street__district"):
        assert courtyard.community.street.district_id is not None
    assert set(Coverage.objects.values_list("courtyard", flat=True)) == set(
        Courtyard.objects.values_list("pk", flat=True)
    )
    for coverage in Coverage.objects.select_related("organisation", "courtyard"):
        assert coverage.organisation.community_id == coverage.courtyard.community_id


def test_memberships_lie_within_their_terms(generated):
    assert Membership.objects.exists()
    for membership in Membership.objects.select_related("term", "body", "person__courtyard"):
        term = membership.term
        assert membership.body_id == term.body_id
        assert term.started_on <= membership.started_on <= term.ends_on
        if membership.ended_on:
            assert membership.ended_on <= term.ends_on + datetime.timedelta(days=1)
        covered = Coverage.objects.filter(organisation=membership.body.organisation_id)
        assert covered.filter(courtyard=membership.person.courtyard_id).exists()
    serving = Membership.objects.filter(ended_on__isnull=True)
    assert serving.values("body").annotate(n=Count("pk")).filter(n__gt=6).count() == 0
    assert Person.objects.count() >= Organisation.objects.exclude(status="preparing").count()


def test_money_adds_up(generated):
    for project in Project.objects.annotate(spent=Sum("expenditures__amount")):
        assert 0 < project.spent <= project.budget
    for courtyard in Courtyard.objects.all():
        for year in (TODAY.year - 2, TODAY.year - 1):
            allocated = Allocation.objects.filter(courtyard=courtyard, year=year).aggregate(
                total=Sum("amount")
            )["total"]
            budgets = Project.objects.filter(courtyard=courtyard, year=year).aggregate(
                total=Sum("budget")
            )["total"]
            assert budgets <= allocated
    assert Expenditure.objects.count() == Project.objects.count() * 5


def test_every_courtyard_is_inspected_once_with_every_item_scored(generated):
    assert Inspection.objects.count() == Courtyard.objects.count()
    for inspection in Inspection.objects.annotate(points=Sum("scores__score")):
        assert inspection.points == inspection.total


def test_refuses_a_database_that_has_data(generated):
    with pytest.raises(CommandError):
        call_command("seed_city", scale="tiny", quiet=True, stdout=io.StringIO())


def test_meetings_with_motions_for_every_established_organisation(generated):
    from councils.models import Meeting, Motion

    established = Organisation.objects.exclude(established_on=None)
    assert (
        Meeting.objects.count()
        == 15 * Coverage.objects.filter(organisation__in=established).count()
    )
    assert not Meeting.objects.exclude(organisation__in=established).exists()
    assert Motion.objects.count() >= Meeting.objects.count()
    for project in Project.objects.filter(budget__gt=5000):
        assert project.resolution.outcome == "adopted"


def test_about_twenty_concerns_a_courtyard_a_year_numbered_as_the_portal_numbers(generated):
    from concerns.models import Concern
    from concerns.services import street_short_name

    last_year = Concern.objects.filter(received_at__year=TODAY.year - 1).count()
    assert 15 <= last_year / Courtyard.objects.count() <= 25
    this_year = Concern.objects.filter(received_at__year=TODAY.year).count()
    share = (TODAY - datetime.date(TODAY.year, 1, 1)).days / 365
    assert 15 <= this_year / share / Courtyard.objects.count() <= 25
    for street in Street.objects.all():
        for year in (TODAY.year - 1, TODAY.year):
            concerns = Concern.objects.filter(community__street=street, received_at__year=year)
            numbers = list(concerns.order_by("received_at", "pk").values_list("number", "sequence"))
            assert numbers == [
                (f"{year}-{street_short_name(street)}-{n:04d}", n)
                for n in range(1, len(numbers) + 1)
            ]


def test_a_concern_received_in_the_portal_takes_the_next_number(generated):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from concerns.models import Concern
    from concerns.services import concern_receive
    from portal.generate import BENCH_COMMUNITY

    clerk = get_user_model().objects.get(username=BENCH_COMMUNITY)
    community = clerk.role_assignment.community
    street = Concern.objects.filter(community__street=community.street_id)
    last = street.filter(received_at__year=TODAY.year).order_by("-sequence").first()
    concern = concern_receive(
        by=clerk,
        community=community,
        channel="phone",
        category="repairs",
        text="楼道灯坏了。",
        resident_name="王阿姨",
        received_at=timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10))),
    )
    assert concern.sequence == last.sequence + 1
    assert concern.number.endswith(f"-{last.sequence + 1:04d}")


def test_concerns_follow_their_steps_and_deadlines(generated):
    from django.utils import timezone

    from concerns.models import Concern
    from concerns.services import deadlines_for
    from concerns.workdays import add_working_days
    from portal.models import RoleAssignment

    kinds = {}
    for concern in Concern.objects.select_related("community__street__district").prefetch_related(
        "events"
    ):
        received_on = timezone.localdate(concern.received_at)
        deadlines = deadlines_for(concern.community.street.district)
        days = deadlines.days_for(concern.routing or 1)
        assert concern.answer_due == add_working_days(received_on, days)
        assert received_on < TODAY
        steps = [concern.received_at, concern.answered_at, concern.resolved_at, concern.visited_at]
        taken = [at for at in steps if at is not None]
        assert taken == steps[: len(taken)] and taken == sorted(taken)
        assert all(timezone.localdate(at) < TODAY for at in taken)
        if concern.answered_at:
            assert concern.routing and concern.answer
            assert concern.answered_on == timezone.localdate(concern.answered_at)
        assert bool(concern.resolved_at) == bool(concern.resolution)
        assert bool(concern.visited_at) == bool(concern.satisfaction)
        assert RoleAssignment.objects.filter(
            user=concern.received_by_id, role="community_member", community=concern.community_id
        ).exists()
        events = [(event.kind, event.at) for event in concern.events.all()]
        assert events == sorted(events, key=lambda event: event[1])
        expected = ["received"] + ["classified"] * bool(concern.routing)
        expected += ["escalated"] * ["community", "street", "district"].index(concern.level)
        expected += [
            kind
            for kind, at in zip(["answered", "resolved", "return_visit"], steps[1:], strict=True)
            if at
        ]
        assert [kind for kind, _at in events] == expected
        texts = {event.kind: event.text for event in concern.events.all()}
        assert texts["received"] == concern.get_channel_display()  # as the services write
        if concern.visited_at:
            assert texts["return_visit"] == concern.get_satisfaction_display()
        kinds[concern.satisfaction] = kinds.get(concern.satisfaction, 0) + 1
    assert kinds["satisfied"] > kinds["basic"] > kinds["dissatisfied"] > 0


def test_the_concerns_figures_are_sensible(generated):
    from django.contrib.auth import get_user_model

    from concerns.figures import concern_table
    from portal.generate import BENCH_DISTRICT_ADMIN

    user = get_user_model().objects.get(username=BENCH_DISTRICT_ADMIN)
    last_year = concern_table(user, TODAY.year - 1, today=TODAY).totals
    assert 0.97 <= last_year["answered"] / last_year["received"] < 1
    assert 0.8 <= last_year["on_time_rate"] <= 0.97
    assert 0.75 <= last_year["resolved_rate"] <= 0.95
    assert 0.85 <= last_year["satisfied_rate"] < 1
    assert 0 < last_year["average_days"] < 3
    this_year = concern_table(user, TODAY.year, today=TODAY).totals
    assert 0 < this_year["overdue_now"] < this_year["received"] * 0.05
