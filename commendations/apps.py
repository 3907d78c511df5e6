from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import VIEW, Role

# The district administrator opens a round and records its decision ("decide"); district
# staff and the streets nominate (the district its streets, a street its own communities,
# groups, representatives and workers). Community members read the honour roll; what each
# sees of the nominations is narrowed in commendations.models (NominationQuerySet).
# Allowances are recorded by those who keep the group members' records: street staff and
# community members. Inspectors have nothing to do here.
NOMINATE = "view add"


class CommendationsConfig(AppConfig):
    name = "commendations"
    verbose_name = _("Commendations")
    nav_items = [NavItem(_("Commendations"), "commendations:list", "commendations.view_round")]
    panels = {
        "street": ["commendations.panels.street_panel"],
        "community": ["commendations.panels.community_panel"],
        "courtyard": ["commendations.panels.courtyard_panel"],
        "organisation": ["commendations.panels.organisation_panel"],
        "person": ["commendations.panels.person_panel"],
        "public": ["commendations.panels.public_panel"],
        "public_community": ["commendations.panels.public_community_panel"],
    }
    role_permissions = {
        Role.DISTRICT_ADMIN: {
            "commendations.round": "view add change decide",
            "commendations.category": VIEW,
            "commendations.nomination": NOMINATE,
            "commendations.allowance": VIEW,
        },
        Role.DISTRICT_STAFF: {
            "commendations.round": VIEW,
            "commendations.category": VIEW,
            "commendations.nomination": NOMINATE,
            "commendations.allowance": VIEW,
        },
        Role.STREET_STAFF: {
            "commendations.round": VIEW,
            "commendations.category": VIEW,
            "commendations.nomination": NOMINATE,
            "commendations.allowance": NOMINATE,
        },
        Role.COMMUNITY_MEMBER: {
            "commendations.round": VIEW,
            "commendations.category": VIEW,
            "commendations.nomination": VIEW,
            "commendations.allowance": NOMINATE,
        },
    }
