"""The portal's admin site: Django's, entered only by those portal.access lets into the back
office, with a "view on site" redirect that applies the scope.

Who enters is asked of `portal.access.may_use_back_office`, not of `is_staff` (which only
mirrors it). A signed-in account it refuses gets the portal's 403 page on every admin
address, the login page included, rather than the admin's login form.

Django's own (`/admin/r/<content type>/<id>/`, contenttypes' `shortcut`) redirects to any
record that exists, whoever asks, and answers 404 only for missing ids: it told a street's
staff which ids exist in other streets. Here the record is looked up through the admin that
shows it (its scoped queryset and its permissions), and anything else answers 404.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.access import may_use_back_office


class PortalAdminSite(admin.AdminSite):
    site_header = _("Courtyard Self-Governance Portal")
    site_title = _("Courtyard Self-Governance Portal")
    index_title = _("Administration")
    site_url = "/"
    index_template = "admin/portal_index.html"

    def has_permission(self, request):
        return may_use_back_office(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def refuse_outsiders(request, *args, **kwargs):
            refuse_signed_in_outsider(self, request)
            return inner(request, *args, **kwargs)

        return refuse_outsiders

    def login(self, request, extra_context=None):
        refuse_signed_in_outsider(self, request)
        return super().login(request, extra_context)

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


def refuse_signed_in_outsider(site, request):
    """A signed-in account without the back office gets 403; visitors go on to the login."""
    if request.user.is_authenticated and not site.has_permission(request):
        raise PermissionDenied
