from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, Role


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    nav_items = [NavItem(_("Overview"), "dashboard")]
    role_permissions = {
        Role.DISTRICT_ADMIN: {"auth.user": EDIT, "portal.roleassignment": EDIT},
    }
