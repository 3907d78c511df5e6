import os

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX
from simple_history.admin import SimpleHistoryAdmin

from portal.access import (
    may_see_personal_data,
    personal_fields,
    record_personal_data_access,
    touches_personal_data,
    users_visible_to,
    visible,
)
from portal.changelist import EstimatedCountPaginator, PortalChangeList, scoped_filters
from portal.importing import ImportRefused, PortalXLSX, Problem
from portal.models import PersonalDataAccess, RoleAssignment, person_name
from portal.services import sync_groups

# The temporary files of this session's import dry runs, which its confirm step may read.
PENDING_IMPORTS = "portal_pending_imports"
MAX_PENDING_IMPORTS = 10


class ScopedAdminMixin:
    """Narrows every admin screen to what the user may see (each model's `visible_to`):
    changelists, change, history and delete pages (another scope's object answers 404),
    foreign-key choices, autocomplete and list filters (use RelatedOnlyFieldListFilter,
    which draws from this queryset)."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.admin_request = request  # for ScopedReadonlyField's links
        return form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.admin_request = request
        return formset

    def get_list_filter(self, request):
        return scoped_filters(super().get_list_filter(request))

    def get_changelist(self, request, **kwargs):
        return PortalChangeList  # only declared filters narrow the rows

    def lookup_allowed(self, lookup, value, request=None):
        """No lookup reads a personal field for a user who sees personal data masked, not
        even a declared filter (PortalChangeList refuses every undeclared lookup)."""
        masked = request is not None and not may_see_personal_data(request.user)
        if masked and touches_personal_data(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        """Search reaches personal fields only for users who see them in full."""
        fields = super().get_search_fields(request)
        if may_see_personal_data(request.user):
            return fields
        return [f for f in fields if not touches_personal_data(self.model, f.lstrip("^=@"))]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _scoped_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if hasattr(related, "scope_lookups") and "queryset" not in kwargs:
            kwargs["queryset"] = visible(related._default_manager.all(), request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        users_admin = self.admin_site._registry.get(User)
        openable = (
            users_visible_to(request.user).filter(pk__in=obj.history.values("history_user"))
            if hasattr(obj, "history")
            and users_admin
            and users_admin.has_view_or_change_permission(request)
            else User.objects.none()
        )
        extra_context = {
            **(extra_context or {}),
            "openable_users": set(openable.values_list("pk", flat=True)),
        }
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, shown read-only to every role. simple-history would save the form
        on POST (a "revert") with nothing but the view-history permission, past the
        services' rules and the edit-conflict guard: a correction is a normal edit instead."""
        self.get_object(request, unquote(object_id))  # another scope's: 404
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        adminform = context.get("adminform")
        if adminform is not None:  # a past version's form: every field read-only
            context["adminform"] = helpers.AdminForm(
                adminform.form,
                list(adminform.fieldsets),
                {},
                readonly_fields=flatten_fieldsets(adminform.fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)


class ReadOnlyInline(ScopedAdminMixin, admin.TabularInline):
    """Related records listed on their parent's page, never added or deleted there, every
    field shown read-only (they are recorded elsewhere: on the pages, through services)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class ScopedReadonlyField(helpers.AdminReadonlyField):
    """A read-only field naming a related record links to it only for someone who may open
    it: Django links it for everyone, and a record outside the user's scope answers 404."""

    def get_admin_url(self, remote_field, remote_obj):
        request = getattr(self.form, "admin_request", None)
        related_admin = self.model_admin.admin_site._registry.get(remote_field.model)
        if (
            request is None
            or related_admin is None
            or not related_admin.has_view_or_change_permission(request, remote_obj)
            or not related_admin.get_queryset(request).filter(pk=remote_obj.pk).exists()
        ):
            return str(remote_obj)
        return super().get_admin_url(remote_field, remote_obj)


# The admin builds its read-only fields in one place (helpers.Fieldline), with no hook.
helpers.AdminReadonlyField = ScopedReadonlyField


def latest_version(obj):
    """The newest history row of a record: what an edit started from."""
    return obj.history.order_by("-history_id").first()


class PortalAdmin(ScopedAdminMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    """Base for the domain's admin screens: scoped, with history and Excel import/export,
    and no silent overwrite: a change form remembers the version it was opened at, and a
    save after someone else's is refused, naming who saved and when."""

    formats = [PortalXLSX]
    import_export_change_list_template = "admin/portal/change_list.html"
    change_form_template = "admin/portal/change_form.html"
    list_per_page = 50
    # A city's tables are too big to count twice, or exactly, on every page (portal.changelist).
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if request.method == "GET" else None
        version = latest_version(obj) if obj is not None else None
        extra_context = {
            **(extra_context or {}),
            "seen_version": version.history_id if version else request.POST.get("_seen_version"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form

        class GuardedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                seen = self.data.get("_seen_version")
                current = latest_version(self.instance)
                if seen and current and str(current.history_id) != seen:
                    raise ValidationError(
                        _(
                            "%(user)s saved this record at %(time)s, after you opened it. "
                            "Open it again to see their changes, then make yours."
                        ),
                        params={
                            "user": person_name(current.history_user) or _("someone"),
                            "time": timezone.localtime(current.history_date).strftime("%H:%M"),
                        },
                        code="edit_conflict",
                    )
                return cleaned_data

        return GuardedForm

    # List columns computed from personal fields (methods without an ordering), for the audit.
    personal_columns = ()

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        listed = request.method == "GET" and response.status_code == 200 and cl is not None
        if listed and any(self._personal_column(column) for column in cl.list_display):
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.VIEW,
                what=self.opts.verbose_name_plural,
                records=len(cl.result_list),
            )
        return response

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        resource_class = self.choose_export_resource_class(kwargs.get("export_form"), request)
        resource = resource_class(**self.get_export_resource_kwargs(request, **kwargs))
        personal = {
            field.column_name
            for field in resource.fields.values()
            if field.attribute and touches_personal_data(self.model, field.attribute)
        }
        if personal & set(data.headers or ()):
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.EXPORT,
                what=self.opts.verbose_name_plural,
                records=len(data),
            )
        return data

    def _personal_column(self, column):
        """Whether a list column shows a personal field: the field itself, a column declared
        in `personal_columns`, or one sorted by a personal field."""
        if column in self.personal_columns or column in personal_fields(self.model):
            return True
        attribute = column
        if isinstance(column, str):
            attribute = getattr(self, column, None) or getattr(self.model, column, None)
        order = getattr(attribute, "admin_order_field", None)
        return isinstance(order, str) and touches_personal_data(self.model, order)

    def get_confirm_form_initial(self, request, import_form):
        """The dry run's temporary file, remembered in the session: only this user's own
        dry runs can be confirmed."""
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            pending = request.session.get(PENDING_IMPORTS, [])[-(MAX_PENDING_IMPORTS - 1) :]
            name = os.path.basename(initial["import_file_name"])  # as the confirm form reads it
            request.session[PENDING_IMPORTS] = [*pending, name]
        return initial

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirm step, for a file this session's dry run left, and still there: a
        confirmation naming another file (someone else's upload, anything in the temporary
        folder) or one already gone (imported, cleaned up, on another server) is sent back
        to choose the file again instead of reading it or failing."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = os.path.basename(request.POST.get("import_file_name", ""))
        pending = request.session.get(PENDING_IMPORTS, [])
        if name in pending:
            try:
                response = super().process_import(request, **kwargs)
            except FileNotFoundError:
                pass
            else:
                if response.status_code == 302:  # imported: the file is gone
                    request.session[PENDING_IMPORTS] = [n for n in pending if n != name]
                return response
        messages.error(
            request, _("This import is no longer waiting to be confirmed: choose the file again.")
        )
        info = self.opts.app_label, self.opts.model_name
        return redirect("admin:{}_{}_import".format(*info))

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**kwargs, "user": request.user}

    # The import page (templates/admin/import_export/import.html): what a file may hold,
    # and every refusal in Chinese, located by row and column.

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and self.has_import_permission(request):
            context = response.context_data
            resource = self.get_import_resource_classes(request)[0](user=request.user)
            context["columns"] = resource.column_guide()
            result = context.get("result")
            context["problems"] = [
                Problem("", "", message)
                for message in getattr(context.get("form"), "read_refusals", [])
            ] + (result.problems if result is not None else [])
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        """A file refused as it is read (not a workbook, an empty first sheet): said in
        Chinese, with the other problems of a file (`problems` in the page)."""
        if isinstance(e, ImportRefused):
            form.read_refusals = e.messages
        else:
            form.read_refusals = [
                _(
                    "This file cannot be read as an Excel workbook. Upload an .xlsx file "
                    "(in Excel: File › Save as › Excel workbook)."
                )
            ]
        for message in form.read_refusals:
            form.add_error("import_file", message)

    def process_result(self, result, request):
        """The confirm step found the file no longer imports (the data changed since the
        preview): nothing was saved, and the page says why, as the preview would."""
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "form": self.get_import_form_class(request)(
                self.get_import_formats(), self.get_import_resource_classes(request)
            ),
            "result": result,
            "problems": result.problems,
            "columns": self.get_import_resource_classes(request)[0](
                user=request.user
            ).column_guide(),
        }
        return TemplateResponse(request, [self.import_template_name], context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](user=request.user)
        response = HttpResponse(
            resource.template_workbook(), content_type=XLSX().get_content_type()
        )
        filename = _("%(model)s import template.xlsx") % {"model": self.opts.verbose_name}
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
        return response


def _quote(filename):
    from urllib.parse import quote

    return quote(str(filename))


class RoleAssignmentInline(ScopedAdminMixin, admin.StackedInline):
    model = RoleAssignment
    can_delete = False
    extra = 0
    max_num = 1
    autocomplete_fields = ["district", "street", "community"]

    def get_min_num(self, request, obj=None, **kwargs):
        # An account outside every scope would vanish from its creator's own lists.
        return 0 if request.user.is_superuser else 1


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "role", "district", "street", "community"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["district", "street", "community"]
    readonly_fields = ["user"]
    list_select_related = ["user", "district", "street", "community"]

    def has_add_permission(self, request):
        return False  # roles are given on the account's page, together with the account

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_groups(obj.user)


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "last_name", "first_name", "role", "is_active", "last_login"]
    list_select_related = ["role_assignment"]
    list_filter = ["is_active", "role_assignment__role"]
    limited_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def get_changelist(self, request, **kwargs):
        return PortalChangeList

    @admin.display(description=_("role"), ordering="role_assignment__role")
    def role(self, user):
        assignment = getattr(user, "role_assignment", None)
        return assignment.get_role_display() if assignment else "—"

    def get_queryset(self, request):
        visible = users_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Only superusers grant superuser status, groups or single permissions.
        return self.limited_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["is_staff"]  # follows the role (portal.services.sync_groups)
        return ["last_login", "date_joined"] if obj else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_groups(form.instance)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The audit of bulk personal data access: read-only, for district administrators."""

    list_display = ["at", "user", "action", "what", "records", "path"]
    list_filter = ["action"]
    search_fields = ["user__username", "user__last_name", "what"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
