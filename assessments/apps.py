from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role

# The district's and the streets' offices write schemes, their areas and indicators, and
# enter the hand-scored points (scores); the results are written at publication only.
# Community members read the published schemes that concern them (assessments/models.py).
# Inspectors have no part in assessment. Who may act on which scheme: assessments/rules.py.
OWNER = {
    "assessments.scheme": EDIT,
    "assessments.area": EDIT,
    "assessments.indicator": EDIT,
    "assessments.score": EDIT,
    "assessments.result": VIEW,
}
READER = {
    "assessments.scheme": VIEW,
    "assessments.area": VIEW,
    "assessments.indicator": VIEW,
    "assessments.score": VIEW,
    "assessments.result": VIEW,
}


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessment schemes")
    nav_items = [NavItem(_("Assessment"), "assessments:list", "assessments.view_scheme")]
    role_permissions = {
        Role.DISTRICT_ADMIN: OWNER,
        Role.DISTRICT_STAFF: OWNER,
        Role.STREET_STAFF: OWNER,
        Role.COMMUNITY_MEMBER: READER,
    }
