"""The portal's admin site: Django's, with a "view on site" redirect that applies the scope.

Django's own (`/admin/r/<content type>/<id>/`, contenttypes' `shortcut`) redirects to any
record that exists, whoever asks, and answers 404 only for missing ids: it told a street's
staff which ids exist in other streets. Here the record is looked up through the admin that
shows it (its scoped queryset and its permissions), and anything else answers 404.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Courtyard Self-Governance Portal")
    site_title = _("Courtyard Self-Governance Portal")
    index_title = _("Administration")
    site_url = "/"
    index_template = "admin/portal_index.html"

    def get_urls(self):
        urls = super().get_urls()
        scoped = path(
            "r/<int:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [scoped if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self.admin_showing(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404
        try:
            obj = model_admin.get_queryset(request).get(pk=unquote(object_id))
        except (model.DoesNotExist, ValidationError, ValueError):
            raise Http404 from None
        if not hasattr(obj, "get_absolute_url"):
            raise Http404
        return HttpResponseRedirect(obj.get_absolute_url())

    def admin_showing(self, model):
        """The ModelAdmin of `model`, or the inline that shows it on its parent's page."""
        if model in self._registry:
            return self._registry[model]
        for parent_admin in self._registry.values():
            for inline in parent_admin.inlines:
                if inline.model is model:
                    return inline(parent_admin.model, self)
        return None
