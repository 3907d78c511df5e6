from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role


class CourtyardsConfig(AppConfig):
    name = "courtyards"
    verbose_name = _("Streets, communities and courtyards")
    # Figures kept per community and year (portal/kept.py): the dashboard's table.
    kept_figures = {"courtyards": "courtyards.selectors.kept_courtyard_figures"}
    annual_figures = "courtyards.report_figures.FIGURES"
    nav_items = [NavItem(_("Courtyards"), "courtyards:list", "courtyards.view_courtyard")]
    role_permissions = {
        Role.DISTRICT_ADMIN: {
            "courtyards.district": "view change",
            "courtyards.street": EDIT,
            "courtyards.community": EDIT,
            "courtyards.courtyard": EDIT,
        },
        Role.DISTRICT_STAFF: {
            "courtyards.district": VIEW,
            "courtyards.street": VIEW,
            "courtyards.community": EDIT,
            "courtyards.courtyard": EDIT,
        },
        Role.STREET_STAFF: {
            "courtyards.district": VIEW,
            "courtyards.street": VIEW,
            "courtyards.community": EDIT,
            "courtyards.courtyard": EDIT,
        },
        Role.COMMUNITY_MEMBER: {
            "courtyards.district": VIEW,
            "courtyards.street": VIEW,
            "courtyards.community": VIEW,
            "courtyards.courtyard": EDIT,
        },
        Role.INSPECTOR: {
            "courtyards.district": VIEW,
            "courtyards.street": VIEW,
            "courtyards.community": VIEW,
            "courtyards.courtyard": VIEW,
        },
    }
