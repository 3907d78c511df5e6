"""Admin screens of the concerns app: the district's working-day table and its "123"
deadlines, kept by district administrators with their history; and, read-only, the
concerns with their timeline and the duty roster, for their change history. A concern
moves only through its page (concerns.services: each step writes its timeline line), and a
roster day is set on the roster page, which checks the officer: here they are read."""

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from concerns.models import (
    CalendarDay,
    Concern,
    ConcernEvent,
    ConcernPhoto,
    DutyRoster,
    ResponseDeadlines,
)
from portal.access import mask_phone, may_see_personal_data
from portal.admin import PortalAdmin, ReadOnlyInline


@admin.register(CalendarDay)
class CalendarDayAdmin(PortalAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def has_import_permission(self, request):
        return False


@admin.register(ResponseDeadlines)
class ResponseDeadlinesAdmin(PortalAdmin):
    list_display = ["district", "street_days", "department_days", "departments_days"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]

    def has_import_permission(self, request):
        return False


class ReadOnlyAdmin(PortalAdmin):
    """Recorded on the portal's pages, through the services: read here with its history,
    never added, changed or deleted, and not imported or exported (the register's export
    masks the phones by role; the import has its own page)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return False

    def has_export_permission(self, request):
        return False


class MaskedPhoneHistoryHelper(HistoricalRecordContextHelper):
    """The history's "changes" column, with the resident's phone masked."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "resident_phone":
            return mask_phone(value)
        return super().prepare_delta_change_value(change, value)


class ConcernEventInline(ReadOnlyInline):
    model = ConcernEvent
    fields = ["at", "kind", "by", "text", "from_officer", "to_officer", "duty_day"]
    verbose_name_plural = _("Timeline")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by", "from_officer", "to_officer")


class ConcernPhotoInline(ReadOnlyInline):
    """The photos, each a link to the page that serves it after checking the scope (never
    the storage's own address)."""

    model = ConcernPhoto
    fields = ["open_link", "uploaded_at", "uploaded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def open_link(self, photo):
        return format_html('<a href="{}">{}</a>', photo.get_absolute_url(), photo.name)


CONCERN_FIELDS = [
    "number",
    "received_at",
    "received_by",
    "community",
    "courtyard",
    "channel",
    "category",
    "anonymous",
    "resident_name",
    "resident_phone",
    "text",
    "routing",
    "level",
    "answer_due",
    "answer",
    "answered_at",
    "answered_by",
    "resolution",
    "resolved_at",
    "resolved_by",
    "satisfaction",
    "visited_at",
    "visited_by",
    "motion",
    "rectification",
    "project",
]


@admin.register(Concern)
class ConcernAdmin(ReadOnlyAdmin):
    """The resident's phone in full only for users who may see personal data; others get it
    masked, in the list, the record, its history and its past versions."""

    list_filter = [
        "channel",
        "category",
        "routing",
        "level",
        "satisfaction",
        ("community", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["number", "resident_name", "resident_phone"]  # phone: PortalAdmin decides
    list_select_related = ["community__street", "courtyard"]
    date_hierarchy = "received_at"
    inlines = [ConcernEventInline, ConcernPhotoInline]

    def get_list_display(self, request):
        phone = "resident_phone" if may_see_personal_data(request.user) else "masked_phone"
        return [
            "number",
            "received_at",
            "community",
            "courtyard",
            "resident_name",
            phone,
            "category",
            "routing",
            "level",
            "answer_due",
        ]

    def get_fields(self, request, obj=None):
        if may_see_personal_data(request.user):
            return CONCERN_FIELDS
        return ["masked_phone" if n == "resident_phone" else n for n in CONCERN_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        if may_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedPhoneHistoryHelper(self.model, historical_record)

    @admin.display(description=_("resident's phone"))
    def masked_phone(self, concern):
        return mask_phone(concern.resident_phone) or "—"


@admin.register(DutyRoster)
class DutyRosterAdmin(ReadOnlyAdmin):
    list_display = ["date", "community", "officer"]
    list_filter = [("community", RelatedOnlyFieldListFilter)]
    list_select_related = ["community", "officer"]
    search_fields = ["community__name"]
    date_hierarchy = "date"
    fields = ["community", "date", "officer"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields
