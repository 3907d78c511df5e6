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
    for app in ("courtyards", "councils", "funds", "inspections"):
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
