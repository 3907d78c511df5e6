from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role

MODELS = [
    "organisation",
    "coverage",
    "body",
    "term",
    "membership",
    "person",
    "election",
    "candidate",
    "evaluation",
    "evaluationrating",
    "inquiry",
    "recall",
    "training",
    "trainingattendance",
    "researchvisit",
    "meeting",
    "attendance",
    "motion",
    "attachment",
    "revision",
    "objection",
    "districtrules",
]
ACCEPT = "view add change accept"


def _grants(default, **special):
    """Every councils model with `default` rights, except those named in `special`. Bodies
    are created with their organisation, so nobody adds or changes them by hand."""
    grants = {f"councils.{model}": special.get(model, default) for model in MODELS}
    grants["councils.body"] = VIEW
    # Revisions are written by the edit of a published meeting, never by hand; the
    # rules (docs/rules.md) are the district's to set.
    grants["councils.revision"] = VIEW
    grants["councils.districtrules"] = special.get("districtrules", VIEW)
    return grants


def oversees_meetings(user):
    return user.has_perm("councils.use_meeting_register")  # councils/rules.py


def records_meetings(user):
    return user.has_perm("councils.view_meeting") and not oversees_meetings(user)


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Self-governance organisations")
    # Figures kept per community and year (portal/kept.py): the dashboard's table, and the
    # meeting reports' this year so far.
    kept_figures = {
        "councils": "councils.selectors.kept_unit_figures",
        "meetings": "councils.selectors.meetings.kept_meeting_figures",
    }
    annual_figures = "councils.report_figures.FIGURES"
    # Exports the worker may write (portal/exports.py).
    export_kinds = {
        "people": "councils.exports.people_export",
        "meeting_register": "councils.exports.meeting_register_export",
    }
    nav_items = [
        NavItem(_("Organisations"), "councils:list", "councils.view_organisation"),
        NavItem(_("People serving"), "councils:people", "councils.view_person"),
        NavItem(_("Trainings"), "councils:trainings", "councils.view_training"),
        NavItem(_("Research visits"), "councils:research", "councils.view_researchvisit"),
        # One 会议记录 entry: staff who oversee many courtyards open the register, the
        # others their courtyards' cards.
        NavItem(_("Meetings"), "councils:meetings", rule=records_meetings),
        NavItem(_("Meetings"), "councils:meeting_register", rule=oversees_meetings),
    ]
    # Who records what: communities keep their organisations up to date, streets accept
    # them (组建及验收), the district organises trainings and research visits and accepts too;
    # inspectors read. Research visits are the district's and streets' own work.
    role_permissions = {
        Role.DISTRICT_ADMIN: _grants(EDIT, organisation=ACCEPT, districtrules=EDIT),
        Role.DISTRICT_STAFF: _grants(
            VIEW,
            organisation="view change accept",
            training=EDIT,
            trainingattendance=EDIT,
            researchvisit=EDIT,
        ),
        Role.STREET_STAFF: _grants(EDIT, organisation=ACCEPT),
        Role.COMMUNITY_MEMBER: _grants(EDIT, researchvisit=""),
        Role.INSPECTOR: _grants(VIEW),
    }
    panels = {
        "courtyard": ["councils.panels.courtyard_panel"],
        "community": ["councils.panels.community_panel"],
        "street": ["councils.panels.street_panel"],
        "dashboard": ["councils.panels.dashboard_panel"],
        "public": ["councils.panels.public_panel"],
    }
