from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import NavItem
from portal.roles import VIEW, Role

# The district and the streets issue notices ("add change": write a draft, issue it); the
# units they go to acknowledge them (签收: "change" on their recipient row). Who may act on
# which notice is decided in notices/rules.py.
ISSUE = "view add change"
# A notice's return: its fields are written with the draft; each unit it goes to answers it
# ("add change" on its own answer, notices/rules.py).
ISSUER = {"notices.notice": ISSUE, "notices.returnfield": ISSUE}
RECEIVER = {"notices.recipient": "view change", "notices.answer": "view add change"}


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")
    nav_items = [NavItem(_("Notices"), "notices:list", "notices.view_notice")]
    role_permissions = {
        Role.DISTRICT_ADMIN: {**ISSUER, "notices.recipient": VIEW, "notices.answer": VIEW},
        Role.DISTRICT_STAFF: {**ISSUER, "notices.recipient": VIEW, "notices.answer": VIEW},
        Role.STREET_STAFF: {**ISSUER, **RECEIVER},
        Role.COMMUNITY_MEMBER: {
            "notices.notice": VIEW,
            "notices.returnfield": VIEW,
            **RECEIVER,
        },
    }
