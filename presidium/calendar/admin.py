"""Admin for superusers: read the calendar and its history; changes go through the portal's screens.

Editing here would bypass the services (validation, who changed it, the year-confirmed listeners),
so the admin is read-only: 工作日历 in the portal is where staff change days and confirm years.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from presidium.calendar.models import CalendarDay, CalendarYear


class _ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(_ReadOnlyHistoryAdmin):
    list_display = ("date", "name", "is_working_day", "county", "source", "changed_by", "changed_at")
    list_filter = ("is_working_day", "source", "county")
    search_fields = ("name",)
    date_hierarchy = "date"
    list_select_related = ("county", "changed_by")


@admin.register(CalendarYear)
class CalendarYearAdmin(_ReadOnlyHistoryAdmin):
    list_display = ("year", "county", "confirmed", "source", "note", "changed_by", "changed_at")
    list_filter = ("confirmed", "source", "county")
    list_select_related = ("county", "changed_by")
