"""Django admin (superusers only): read-only access to meetings, sized for a county (see proposals/admin.py)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from presidium.meetings.models import Meeting


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("title", "township", "term", "kind", "starts_at", "place", "status")
    list_select_related = ("township", "term")
    list_filter = ("status", "kind", "township")
    search_fields = ("title", "place")
    date_hierarchy = "starts_at"
    show_full_result_count = False
    raw_id_fields = ("group", "cancelled_by", "created_by", "updated_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
