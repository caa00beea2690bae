"""Django admin (superusers only): read-only access to motions and suggestions, sized for a county.

Changes go through the portal's screens and services (they check the lifecycle and compute deadlines). The
changelist is bounded: related names come with the rows (``list_select_related``), filters list choices
only, big foreign keys are raw ids, and the full count is not run on every page.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from proposals.models import Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(SimpleHistoryAdmin):
    list_display = ("serial_year", "serial_number", "title", "township", "kind", "status", "lead_deputy",
                    "lead_unit", "deadline")
    list_select_related = ("township", "lead_deputy", "lead_unit")
    list_filter = ("status", "kind", "is_key", "township")
    search_fields = ("title", "former_serial")
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    raw_id_fields = ("lead_deputy", "source_opinion", "session", "lead_unit", "category", "entered_by",
                     "registered_by", "assigned_by", "responsible_leader_user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
