"""The demo data: organisations for most courtyards, believable and within the rules."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from councils.models import (
    Coverage,
    Election,
    Evaluation,
    EvaluationRating,
    Inquiry,
    Meeting,
    Membership,
    Organisation,
    Person,
    Recall,
    Term,
    Training,
    TrainingAttendance,
)
from councils.selectors import organisation_state
from courtyards.models import Courtyard

COUNTED = [
    Organisation,
    Coverage,
    Person,
    Term,
    Membership,
    Election,
    Evaluation,
    Inquiry,
    Recall,
    Training,
    TrainingAttendance,
    Meeting,
]


@pytest.mark.django_db
def test_the_demo_covers_most_courtyards_obeys_the_rules_and_is_built_once():
    call_command("seed_demo", "--force")
    courtyards = Courtyard.objects.open().count()
    assert Coverage.objects.open().count() > courtyards * 0.75
    assert Organisation.objects.filter(coverage__isnull=False).distinct().count() == (
        Organisation.objects.count()
    )
    several = Organisation.objects.annotate(covered=Count("coverage")).filter(covered__gt=1)
    assert several.exists()  # small neighbouring courtyards share an organisation
    assert Membership.objects.current().representatives().count() > 500
    assert Membership.objects.filter(end_reason="term_ended").exists()  # two terms of history
    assert set(Organisation.objects.values_list("status", flat=True)) >= {
        "preparing",
        "established",
        "accepted",
    }

    showcase = Organisation.objects.filter(community__name="长寿苑社区")
    assert Evaluation.objects.filter(organisation__in=showcase).exists()
    assert EvaluationRating.objects.filter(result="dissatisfied").exists()
    assert Inquiry.objects.filter(organisation__in=showcase, accepted=True).exists()
    recall = Recall.objects.get(organisation__in=showcase)
    assert recall.outcome == "passed" and recall.membership.end_reason == "recalled"
    state = organisation_state(recall.organisation)
    assert sum(body.vacancies for body in state.bodies) >= 1  # the recalled seat is vacant
    assert Election.objects.filter(kind="by_election", body__organisation__in=showcase).exists()
    assert TrainingAttendance.objects.exists()

    # The part written in bulk obeys the same rules as the part written by the services.
    sample = Organisation.objects.exclude(community__name="长寿苑社区").order_by("pk")[:12]
    for organisation in sample:
        organisation.full_clean()
        for membership in Membership.objects.filter(body__organisation=organisation):
            membership.full_clean()
        for term in Term.objects.filter(body__organisation=organisation):
            term.full_clean()
        for election in Election.objects.filter(body__organisation=organisation):
            election.full_clean()
        for meeting in Meeting.objects.filter(organisation=organisation).prefetch_related(
            "attendance", "motions"
        ):
            meeting.full_clean()
            for row in [*meeting.attendance.all(), *meeting.motions.all()]:
                row.full_clean()
    showcase_meetings = Meeting.objects.filter(organisation__in=showcase)
    assert set(showcase_meetings.values_list("kind", flat=True)) == set(Meeting.Kind.values) - {
        "five_party"
    }
    assert showcase_meetings.filter(status="draft").exists()
    assert showcase_meetings.filter(attachments__isnull=False).exists()
    assert showcase_meetings.filter(revisions__isnull=False).exists()
    assert showcase_meetings.filter(motions__objections__isnull=False).exists()
    assert Meeting.objects.exclude(organisation__in=showcase).count() > 200
    names = set(Person.objects.values_list("name", flat=True)[:50])
    assert all(2 <= len(name) <= 3 for name in names)

    counts = [model.objects.count() for model in COUNTED]
    call_command("seed_demo", "--force")
    assert [model.objects.count() for model in COUNTED] == counts
