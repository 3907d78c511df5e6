"""The demo's commendations: a decided round honouring 长寿苑社区 among others, an open
round with nominations by 浆洗街街道, allowances paid from the fund; a second run adds
nothing."""

import pytest
from django.core.management import call_command

from commendations.models import Allowance, Nomination, Round


@pytest.mark.django_db
def test_the_demo_has_a_decided_and_an_open_round_and_allowances():
    call_command("seed_demo", "--force")
    decided = Round.objects.get(status="decided")
    honoured = Nomination.objects.filter(category__round=decided, status="honoured")
    assert honoured.filter(community__name="长寿苑社区").exists()
    assert honoured.filter(category__kind="group").exists()
    open_ = Round.objects.get(status="open")
    assert Nomination.objects.filter(category__round=open_, street__name="浆洗街街道").count() >= 3
    assert Allowance.objects.count() >= 3
    assert all(a.expenditure.project.category == "allowances" for a in Allowance.objects.all())
    counts = [Round.objects.count(), Nomination.objects.count(), Allowance.objects.count()]
    call_command("seed_demo", "--force")
    assert counts == [Round.objects.count(), Nomination.objects.count(), Allowance.objects.count()]
