import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from courtyards.models import Community, Courtyard, Street
from portal.access import scope_of
from portal.models import RoleAssignment
from portal.roles import Role

SEED_STREETS = {"浆洗街街道", "望江路街道", "火车南站街道", "跳伞塔街道", "双楠街道", "红牌楼街道"}


@pytest.mark.django_db
def test_it_builds_the_district_of_the_report_with_one_login_per_role(capsys):
    call_command("seed_demo", "--force")
    streets = set(Street.objects.values_list("name", flat=True))
    assert streets >= SEED_STREETS and len(streets) == 7
    assert Community.objects.filter(name="长寿苑社区", street__name="火车南站街道").exists()
    for street in Street.objects.all():
        assert 5 <= street.communities.count() <= 10
    assert Courtyard.objects.count() > 300
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    printed = capsys.readouterr().out
    assert "demo-portal-2026" in printed and "sq_changshouyuan" in printed
    member = get_user_model().objects.get(username="sq_changshouyuan")
    assert member.check_password("demo-portal-2026")
    assert scope_of(member).pk == Community.objects.get(name="长寿苑社区").pk


@pytest.mark.django_db
def test_running_it_twice_changes_nothing():
    call_command("seed_demo", "--force")
    counts = (
        Street.objects.count(),
        Community.objects.count(),
        Courtyard.objects.count(),
        get_user_model().objects.count(),
    )
    call_command("seed_demo", "--force")
    assert counts == (
        Street.objects.count(),
        Community.objects.count(),
        Courtyard.objects.count(),
        get_user_model().objects.count(),
    )


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Street.objects.exists()
