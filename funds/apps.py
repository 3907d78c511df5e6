from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role

# Entries (expenditures, income) are never edited: "add" records one, a correction is a
# reversing entry. "change" on an expenditure only attaches a receipt scan afterwards.
RECORD = "view add change"

READ_ALL = {
    "funds.fundrate": VIEW,
    "funds.allocation": VIEW,
    "funds.project": VIEW,
    "funds.expenditure": VIEW,
    "funds.income": VIEW,
    "funds.ownexpenditure": VIEW,
}


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("Special fund")
    annual_figures = "funds.report_figures.FIGURES"
    nav_items = [NavItem(_("Special fund"), "funds:report", "funds.view_allocation")]
    panels = {
        "dashboard": ["funds.panels.scope_panel"],
        "street": ["funds.panels.scope_panel"],
        "community": ["funds.panels.scope_panel"],
        "courtyard": ["funds.panels.courtyard_panel"],
        "public": ["funds.panels.public_panel", "funds.panels.own_money_public_panel"],
        "public_community": ["funds.panels.public_community_panel"],
    }
    role_permissions = {
        Role.DISTRICT_ADMIN: {
            **READ_ALL,
            "funds.fundrate": EDIT,
            "funds.allocation": f"{EDIT} generate",
        },
        Role.DISTRICT_STAFF: {**READ_ALL, "funds.allocation": EDIT},
        Role.STREET_STAFF: {**READ_ALL, "funds.allocation": EDIT},
        Role.COMMUNITY_MEMBER: {
            **READ_ALL,
            "funds.project": EDIT,
            "funds.expenditure": RECORD,
            "funds.income": "view add",
            # own money is spent and reversed by those who record its income
            "funds.ownexpenditure": "view add",
        },
        Role.INSPECTOR: READ_ALL,
    }
