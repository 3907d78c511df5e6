from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role

_CRITERIA = ["criteriatemplate", "criteriaarea", "criteriaitem"]
_PLANNING = ["campaign", "campaignarea", "campaignitem", "inspectiongroup", "groupmember"]
_PLANNING += ["assignment"]
_RESULTS = ["inspection", "score", "inspectionphoto"]


def _grants(models, actions):
    return {f"inspections.{model}": actions for model in models}


# District roles plan and run campaigns and publish bulletins; inspectors record visits and
# verify rectifications; streets and communities read results and report progress.
_DISTRICT = {
    **_grants(_CRITERIA + _PLANNING + _RESULTS, EDIT),
    "inspections.rectification": f"{EDIT} verify",
    "inspections.progressnote": EDIT,
    "inspections.bulletin": f"{EDIT} publish",
}
_LOCAL = {
    **_grants(["campaign", "campaignarea", "campaignitem"] + _RESULTS, VIEW),
    "inspections.rectification": VIEW,
    "inspections.progressnote": "view add",
    "inspections.bulletin": VIEW,
}


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")
    annual_figures = "inspections.report_figures.FIGURES"
    nav_items = [
        NavItem(_("Inspections"), "inspections:campaigns", "inspections.view_campaign"),
        NavItem(
            _("Rectifications"), "inspections:rectifications", "inspections.view_rectification"
        ),
        NavItem(_("Bulletins"), "inspections:bulletins", "inspections.view_bulletin"),
    ]
    panels = {
        "dashboard": ["inspections.panels.dashboard_panel"],
        "street": ["inspections.panels.street_panel"],
        "community": ["inspections.panels.community_panel"],
        "courtyard": ["inspections.panels.courtyard_panel"],
    }
    role_permissions = {
        Role.DISTRICT_ADMIN: _DISTRICT,
        Role.DISTRICT_STAFF: _DISTRICT,
        Role.INSPECTOR: {
            **_grants(_CRITERIA + _PLANNING, VIEW),
            **_grants(_RESULTS, EDIT),
            "inspections.rectification": f"{EDIT} verify",
            "inspections.progressnote": VIEW,
            "inspections.bulletin": VIEW,
        },
        Role.STREET_STAFF: _LOCAL,
        Role.COMMUNITY_MEMBER: _LOCAL,
    }
