from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal.access import may_read_annual_report
from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")
    nav_items = [
        NavItem(_("Overview"), "dashboard"),
        NavItem(_("Annual report"), "annual_report", rule=may_read_annual_report),
    ]
    role_permissions = {
        Role.DISTRICT_ADMIN: {
            "auth.user": EDIT,
            "portal.roleassignment": EDIT,
            "portal.personaldataaccess": VIEW,
        },
    }

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal.scope_cache import record_saved_or_deleted

        post_save.connect(record_saved_or_deleted, dispatch_uid="figures-saved")
        post_delete.connect(record_saved_or_deleted, dispatch_uid="figures-deleted")
