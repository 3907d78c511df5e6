import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.http import Http404

from courtyards.models import Community, Courtyard, District, Street
from portal.access import get_visible_or_404, scope_of, users_visible_to
from portal.models import RoleAssignment
from portal.roles import Level, Role, group_name, role_permissions
from portal.services import assign_role
from tests.factories import UserFactory


def names(queryset):
    return sorted(str(obj) for obj in queryset)


def test_each_role_is_bound_to_the_level_it_works_at(people, geo):
    assert scope_of(people.district_staff).level == Level.DISTRICT
    assert scope_of(people.street_a).level == Level.STREET
    assert scope_of(people.street_a).pk == geo.street_a.pk
    assert scope_of(people.community).level == Level.COMMUNITY
    assert scope_of(people.inspector).level == Level.DISTRICT


def test_anonymous_and_unassigned_users_see_nothing(people):
    assert not Courtyard.objects.visible_to(AnonymousUser()).exists()
    assert not Courtyard.objects.visible_to(people.no_role).exists()
    assert scope_of(people.no_role).level == Level.NONE


def test_an_inactive_user_sees_nothing(people):
    people.street_a.is_active = False
    assert not Courtyard.objects.visible_to(people.street_a).exists()


def test_district_staff_see_the_whole_district(people, geo):
    assert Courtyard.objects.visible_to(people.district_staff).count() == 4
    assert names(Street.objects.visible_to(people.district_staff)) == ["望江路街道", "浆洗街街道"]


def test_street_staff_see_only_their_street(people, geo):
    assert names(Street.objects.visible_to(people.street_a)) == ["浆洗街街道"]
    assert names(Community.objects.visible_to(people.street_a)) == ["洗面桥社区", "锦里社区"]
    assert geo.courtyard_b1 not in Courtyard.objects.visible_to(people.street_a)
    assert names(District.objects.visible_to(people.street_a)) == ["武侯区"]


def test_a_community_member_sees_only_their_community(people, geo):
    assert names(Community.objects.visible_to(people.community)) == ["锦里社区"]
    assert names(Courtyard.objects.visible_to(people.community)) == ["电力局宿舍", "锦里12号院"]
    assert names(Street.objects.visible_to(people.community)) == ["浆洗街街道"]


def test_another_scopes_object_is_not_found(people, geo):
    with pytest.raises(Http404):
        get_visible_or_404(Courtyard, people.street_a, pk=geo.courtyard_b1.pk)
    assert (
        get_visible_or_404(Courtyard, people.street_a, pk=geo.courtyard_a1.pk) == geo.courtyard_a1
    )


def test_a_superuser_sees_everything(geo):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert Courtyard.objects.visible_to(root).count() == 4


def test_role_and_scope_must_match_in_the_database(geo):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.STREET_STAFF, district=geo.district)


def test_role_and_scope_mismatch_is_explained(geo):
    user = UserFactory()
    assignment = RoleAssignment(user=user, role=Role.STREET_STAFF, community=geo.community_a1)
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert set(error.value.message_dict) == {"street", "community"}


def test_assigning_a_role_gives_its_group_and_admin_access(geo):
    user = UserFactory()
    assign_role(user=user, role=Role.STREET_STAFF, unit=geo.street_a)
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.STREET_STAFF)]
    assert user.is_staff
    assign_role(user=user, role=Role.COMMUNITY_MEMBER, unit=geo.community_a1)
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.COMMUNITY_MEMBER)]
    assert RoleAssignment.objects.get(user=user).street is None


def granted_to(role):
    group = Group.objects.get(name=group_name(role))
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def granted_in_code(role):
    return {
        f"{model_label.split('.')[0]}.{action}_{model_label.split('.')[1]}"
        for model_label, actions in role_permissions()[role].items()
        for action in actions.split()
    }


@pytest.mark.django_db
def test_after_migrate_each_roles_group_holds_exactly_what_the_code_grants():
    for role in Role:
        assert granted_to(role) == granted_in_code(role), role
        assert not any(
            codename.split(".")[1].startswith("delete_") for codename in granted_to(role)
        )


@pytest.mark.django_db
def test_a_grant_changed_in_code_reaches_the_groups_at_the_next_migrate(monkeypatch):
    courtyards = django_apps.get_app_config("courtyards")
    grants = {role: dict(models) for role, models in courtyards.role_permissions.items()}
    grants[Role.INSPECTOR] = {**grants.get(Role.INSPECTOR, {}), "courtyards.courtyard": "view add"}
    del grants[Role.STREET_STAFF]["courtyards.courtyard"]
    monkeypatch.setattr(courtyards, "role_permissions", grants)
    assert "courtyards.add_courtyard" not in granted_to(Role.INSPECTOR)

    call_command("migrate", verbosity=0)

    assert "courtyards.add_courtyard" in granted_to(Role.INSPECTOR)
    assert "courtyards.change_courtyard" not in granted_to(Role.STREET_STAFF)
    assert granted_to(Role.STREET_STAFF) == granted_in_code(Role.STREET_STAFF)


def test_street_staff_cannot_edit_streets_but_can_edit_courtyards(people):
    assert people.street_a.has_perm("courtyards.change_courtyard")
    assert not people.street_a.has_perm("courtyards.change_street")
    assert not people.inspector.has_perm("courtyards.change_courtyard")
    assert not people.district_admin.has_perm("courtyards.delete_courtyard")


def test_account_managers_see_only_accounts_within_their_scope(people):
    visible = set(users_visible_to(people.district_admin).values_list("username", flat=True))
    assert {"jd_a", "jd_b", "sq_a1", "ducha"} <= visible
    assert "nobody" not in visible


def test_personal_data_is_shown_in_full_only_to_roles_that_work_with_people(people):
    from portal.access import may_see_personal_data

    assert may_see_personal_data(people.community)
    assert may_see_personal_data(people.street_a)
    assert may_see_personal_data(people.district_admin)
    assert not may_see_personal_data(people.district_staff)
    assert not may_see_personal_data(people.inspector)
    assert not may_see_personal_data(AnonymousUser())


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812341234", "138****1234"), ("138-1234-1234", "138****1234"), ("", ""), ("12345", "****")],
)
def test_phone_numbers_are_masked_to_the_usual_pattern(phone, masked):
    from portal.access import mask_phone

    assert mask_phone(phone) == masked
