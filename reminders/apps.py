from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.navigation import HeaderLink
from portal.roles import EDIT, VIEW, Role
from reminders.roles import REMINDED_ROLES


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")
    # The header's 提醒 N: the count rides on the role query every page makes.
    header_links = [
        HeaderLink(
            name="unread_reminders",
            label=_("Reminders"),
            url_name="reminders:inbox",
            roles=REMINDED_ROLES,
            count="reminders.header.unread_count",
        )
    ]
    role_permissions = {
        Role.DISTRICT_ADMIN: {"reminders.reminderintervals": EDIT},
        Role.DISTRICT_STAFF: {"reminders.reminderintervals": VIEW},
    }
