from django.contrib.auth.models import Group
from django.db import transaction

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
    """Make the user's groups and admin access follow their role assignment."""
    assignment = RoleAssignment.objects.filter(user=user).first()
    groups = Group.objects.filter(name=group_name(assignment.role)) if assignment else []
    user.groups.set(groups)
    if assignment and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
