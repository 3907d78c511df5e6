"""The roles people hold in the portal, the scope each is bound to, and the model
permissions each role's group carries.

Each app declares what each role may do with its models in its AppConfig's
`role_permissions`; after every `migrate` (and every flush) `sync_role_groups` sets each
role's group to exactly what the code grants, as django.contrib.auth creates permissions.
Nobody is given delete permission: records are closed, not deleted.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    DISTRICT_STAFF = "district_staff", _("District staff")
    STREET_STAFF = "street_staff", _("Street office staff")
    COMMUNITY_MEMBER = "community_member", _("Community committee member")
    INSPECTOR = "inspector", _("Inspector")


class Level(models.TextChoices):
    """How far a user's view reaches, from widest to narrowest."""

    ALL = "all", _("Everything")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    NONE = "none", _("Nothing")


SCOPE_LEVEL = {
    Role.DISTRICT_ADMIN: Level.DISTRICT,
    Role.DISTRICT_STAFF: Level.DISTRICT,
    Role.STREET_STAFF: Level.STREET,
    Role.COMMUNITY_MEMBER: Level.COMMUNITY,
    Role.INSPECTOR: Level.DISTRICT,
}

VIEW = "view"
EDIT = "view add change"


def role_permissions():
    """Each role's grants, gathered from the `role_permissions` of every app's AppConfig:
    {role: {"app_label.model": "view add change"}}."""
    from django.apps import apps

    merged = {role: {} for role in Role}
    for config in apps.get_app_configs():
        for role, grants in getattr(config, "role_permissions", {}).items():
            merged[role].update(grants)
    return merged


def group_name(role):
    return f"role:{role}"


def sync_role_groups(sender=None, *, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """Give each role's group exactly the permissions `role_permissions()` lists.

    Connected to post_migrate (portal.apps), so a grant changed in code reaches the groups
    at the next migrate with no migration to write. The permissions of every app are made
    first: post_migrate reaches the portal before the apps listed after it.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    grant_role_permissions(apps, using)
    sync_staff_flags(apps, using)


def grant_role_permissions(apps, using=DEFAULT_DB_ALIAS):
    """Create each role's group and set its permissions, from permissions that exist."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=group_name(role))
        wanted = []
        for model_label, actions in grants.items():
            app_label, model_name = model_label.split(".")
            codenames = [f"{action}_{model_name}" for action in actions.split()]
            wanted += Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


def sync_staff_flags(apps, using=DEFAULT_DB_ALIAS):
    """Set every account's `is_staff` to what portal.access.may_use_back_office decides from
    its role, so accounts made before a change of BACK_OFFICE_ROLES follow it at the next
    migrate. `is_staff` is only a mirror: the admin site asks portal.access itself."""
    from django.conf import settings
    from django.db.models import Q

    from portal.access import BACK_OFFICE_ROLES
    from portal.scope_cache import access_changed

    User = apps.get_model(settings.AUTH_USER_MODEL)
    RoleAssignment = apps.get_model("portal", "RoleAssignment")
    back_office = RoleAssignment.objects.using(using).filter(role__in=BACK_OFFICE_ROLES)
    staff = Q(is_superuser=True) | Q(pk__in=back_office.values("user"))
    users = User.objects.using(using)
    raised = users.filter(staff, is_staff=False).update(is_staff=True)
    lowered = users.exclude(staff).filter(is_staff=True).update(is_staff=False)
    if raised or lowered:
        access_changed()  # pages kept per session show the Administration link or not
