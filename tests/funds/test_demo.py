"""The demo district's fund: two consistent years, and a second run changes nothing."""

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from courtyards.models import Courtyard
from funds.models import Allocation, Expenditure, FundRate, Income, Project
from funds.selectors import annotate_fund_figures, projects_with_spending


@pytest.mark.django_db
def test_the_demo_has_two_consistent_years_and_is_idempotent():
    call_command("seed_demo", "--force")
    this_year = timezone.localdate().year
    assert sorted(FundRate.objects.values_list("year", flat=True)) == [this_year - 1, this_year]
    counts = [m.objects.count() for m in (Allocation, Project, Expenditure, Income)]
    assert all(count > 100 for count in counts)
    for year in (this_year - 1, this_year):
        courtyards = annotate_fund_figures(Courtyard.objects.all(), year, "courtyard")
        assert not courtyards.filter(balance__lt=0).exists()
        assert courtyards.filter(spent__gt=0).exists()
    assert not projects_with_spending(Project.objects.all()).filter(spent__gt=F("budget")).exists()
    assert Expenditure.objects.filter(reverses__isnull=False).exists()
    assert Expenditure.objects.filter(payee_kind="person").exists()
    assert Allocation.objects.filter(source="street").exists()
    # a community's own fund (社区本级): 200,000 yuan a year, a project with spending, no
    # balance below zero
    own = Allocation.objects.filter(courtyard__isnull=True, year=this_year).get()
    assert own.amount == 200000
    spent = Expenditure.objects.filter(courtyard__isnull=True, community=own.community)
    assert 0 < spent.filter(year=this_year).total() <= own.amount
    call_command("seed_demo", "--force")
    assert counts == [m.objects.count() for m in (Allocation, Project, Expenditure, Income)]
