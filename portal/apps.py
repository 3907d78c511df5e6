from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    nav_items = [NavItem(_("Overview"), "dashboard")]
