from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem


class CourtyardsConfig(AppConfig):
    name = "courtyards"
    verbose_name = _("Streets, communities and courtyards")
    nav_items = [NavItem(_("Courtyards"), "courtyards:list", "courtyards.view_courtyard")]
