from django.contrib.auth.models import Group
from django.db import transaction

from portal.access import BACK_OFFICE_ROLES
from portal.models import RoleAssignment
from portal.roles import SCOPE_LEVEL, group_name


@transaction.atomic
def assign_role(*, user, role, unit):
    """Give `user` the `role` over `unit` (a District, Street or Community), replacing any
    role they held, and the permissions that go with it."""
    level = SCOPE_LEVEL[role]
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, defaults={"role": role, level: unit}
    )
    assignment.role = role
    for field in ("district", "street", "community"):
        setattr(assignment, field, unit if field == level else None)
    assignment.full_clean(exclude=["user"])
    assignment.save()
    sync_groups(user)
    return assignment


def sync_groups(user):
    """Make the user's groups, and `is_staff`, follow their role assignment. `is_staff` only
    mirrors what portal.access.may_use_back_office decides (portal.roles keeps it so too)."""
    assignment = RoleAssignment.objects.filter(user=user).first()
    groups = Group.objects.filter(name=group_name(assignment.role)) if assignment else []
    user.groups.set(groups)
    staff = user.is_superuser or (assignment is not None and assignment.role in BACK_OFFICE_ROLES)
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_portal_assignment", None)  # portal.access reads the new role
