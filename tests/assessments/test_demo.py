"""The demo schemes: 浆洗街街道's published ranking of its communities, and the district's
draft on its streets; a second run adds nothing."""

import pytest
from django.core.management import call_command

from assessments.models import Result, Scheme, Score
from assessments.selectors import published_ranking


@pytest.mark.django_db
def test_the_demo_has_a_published_street_scheme_and_a_district_draft():
    call_command("seed_demo", "--force")
    published = Scheme.objects.get(status="published")
    assert published.street.name == "浆洗街街道" and published.level == "communities"
    assert published.areas.count() == 2
    ranking = published_ranking(published)
    assert ranking and ranking[0].rank == 1
    assert Score.objects.filter(indicator__kind="manual", indicator__area__scheme=published)
    draft = Scheme.objects.get(status="draft")
    assert draft.street is None and draft.level == "streets"
    counts = [Scheme.objects.count(), Result.objects.count(), Score.objects.count()]
    call_command("seed_demo", "--force")
    assert [Scheme.objects.count(), Result.objects.count(), Score.objects.count()] == counts
