"""Admin screens of the concerns app: the district's working-day table and its "123"
deadlines, kept by district administrators with their history."""

from django.contrib import admin

from concerns.models import CalendarDay, ResponseDeadlines
from portal.admin import PortalAdmin


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
