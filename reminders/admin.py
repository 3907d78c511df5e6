"""The district's reminder intervals (提醒设置), kept by its administrator with their
history. Reminders themselves are opened and settled by the daily run and read in the
inbox, never edited here."""

from django.contrib import admin

from portal.admin import PortalAdmin
from reminders.models import ReminderIntervals


@admin.register(ReminderIntervals)
class ReminderIntervalsAdmin(PortalAdmin):
    list_display = [
        "district",
        "term_ending_days",
        "council_idle_months",
        "notice_period_days",
        "rectification_days",
        "return_days",
    ]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]

    def has_import_permission(self, request):
        return False
