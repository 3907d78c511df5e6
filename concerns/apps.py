from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role

# Community members and street staff take a concern through its whole life in their scope
# ("change" covers classify, answer, resolve, note and the return visit; the rules in
# concerns/rules.py say at which level each may act). The district acts on what is
# escalated to it. The streets' hand-kept registers (民情诉求登记台账) are imported by the
# streets and the district, not by community members, who receive concerns one by one.
WORK = f"{EDIT} handover"

READ_SETTINGS = {"concerns.responsedeadlines": VIEW, "concerns.calendarday": VIEW}
# A concern's photos are added on its page (concerns.services); the grant only lets the
# admin's record of a concern list them (ConcernPhotoInline) for those who see the concern.
PHOTOS = {"concerns.concernphoto": VIEW}


class ConcernsConfig(AppConfig):
    name = "concerns"
    verbose_name = _("Residents' concerns")
    nav_items = [NavItem(_("Residents' concerns"), "concerns:register", "concerns.view_concern")]
    # Figures kept per community and year (portal/kept.py): the dashboard's and the report's,
    # and the register's totals.
    kept_figures = {
        "concerns": "concerns.figures.kept_counts",
        "concern_register": "concerns.selectors.register_counts",
    }
    panels = {
        "dashboard": ["concerns.panels.dashboard_panel"],
        "public": ["concerns.panels.public_panel"],
    }
    role_permissions = {
        Role.DISTRICT_ADMIN: {
            **PHOTOS,
            "concerns.concern": "view change import",
            "concerns.dutyroster": VIEW,
            "concerns.calendarday": EDIT,
            "concerns.responsedeadlines": EDIT,
        },
        Role.DISTRICT_STAFF: {
            **READ_SETTINGS,
            **PHOTOS,
            "concerns.concern": "view change import",
            "concerns.dutyroster": VIEW,
        },
        Role.STREET_STAFF: {
            **READ_SETTINGS,
            **PHOTOS,
            "concerns.concern": f"{WORK} escalate import",
            "concerns.dutyroster": EDIT,
        },
        Role.COMMUNITY_MEMBER: {
            **READ_SETTINGS,
            **PHOTOS,
            "concerns.concern": f"{WORK} escalate",
            "concerns.dutyroster": EDIT,
        },
    }
