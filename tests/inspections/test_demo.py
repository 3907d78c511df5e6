"""The demo inspections: believable, idempotent, and showing each part of the workflow."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from inspections.models import (
    Bulletin,
    Campaign,
    Inspection,
    ProgressNote,
    Rectification,
    Score,
)


def counts():
    return [
        model.objects.count()
        for model in [Campaign, Inspection, Score, Rectification, ProgressNote, Bulletin]
    ]


@pytest.mark.django_db
def test_the_demo_has_a_published_campaign_and_one_under_way_and_a_second_run_changes_nothing():
    call_command("seed_demo", "--force")
    closed = Campaign.objects.get(status="closed")
    under_way = Campaign.objects.get(status="under_way")
    assert closed.bulletin.is_published and closed.results_published_on
    assert closed.bulletin.snapshot["figures"]["courtyards"] > 20
    assert any(
        row["rank"] is None and row["courtyards"] for row in closed.bulletin.snapshot["streets"]
    )
    assert Inspection.objects.filter(assignment__campaign=under_way).exists()
    assert under_way.assignments.filter(inspections__isnull=True).exists()  # still to visit
    assert Rectification.objects.overdue().exists()
    assert Inspection.objects.filter(is_reinspection=True).exists()

    member = get_user_model().objects.get(username="sq_changshouyuan")
    assert Rectification.objects.visible_to(member).unfinished().exists()
    inspector = get_user_model().objects.get(username="ducha")
    visible = Inspection.objects.visible_to(inspector)
    assert visible.exists() and visible.count() < Inspection.objects.count()

    before = counts()
    call_command("seed_demo", "--force")
    assert counts() == before
