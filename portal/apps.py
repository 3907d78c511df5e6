from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

from portal.access import may_read_annual_report
from portal.navigation import NavItem
from portal.roles import EDIT, VIEW, Role


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (portal.admin_site); named in INSTALLED_APPS."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"


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
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from portal import checks  # noqa: F401 (registers the portal's system checks)
        from portal.roles import sync_role_groups
        from portal.scope_cache import record_changed

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="role-groups")

        post_save.connect(record_changed, dispatch_uid="scope-cache-saved")
        post_delete.connect(record_changed, dispatch_uid="scope-cache-deleted")
        m2m_changed.connect(record_changed, dispatch_uid="scope-cache-m2m")
        _keep_figures_up_to_date(self)
        _hide_task_results_from_the_back_office()


def _keep_figures_up_to_date(config):
    """Writes mark the kept figures of the communities they touch (portal/kept.py)."""
    from django.db.models.signals import (
        m2m_changed,
        post_delete,
        post_migrate,
        post_save,
        pre_save,
    )

    from portal import kept
    from portal.scope_cache import figures_written

    pre_save.connect(kept.before_save, dispatch_uid="kept-figures-moved")
    post_save.connect(kept.saved_or_deleted, dispatch_uid="kept-figures-saved")
    post_delete.connect(kept.saved_or_deleted, dispatch_uid="kept-figures-deleted")
    m2m_changed.connect(kept.relation_changed, dispatch_uid="kept-figures-m2m")
    figures_written.connect(kept.bulk_written, dispatch_uid="kept-figures-bulk")
    post_migrate.connect(kept.migrated, sender=config, dispatch_uid="kept-figures-migrated")


def _hide_task_results_from_the_back_office():
    """django-tasks-db registers its queue table in the admin; users follow their exports on
    我的导出 (docs/exports.md), and the table follows none of the portal's scope rules."""
    from django.contrib import admin
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
