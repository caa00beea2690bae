"""Django admin (superusers only): read-only access to the petitions app's rows, with history.

Changes go through the portal's screens and services (they check the lifecycle and start clocks);
personal data columns are never shown here, not even encrypted.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from petitions.models import (
    Category,
    Petition,
    PetitionAttachment,
    PetitionClock,
    PetitionDataAccess,
    PetitionEvent,
    PetitionNotice,
    PetitionRepresentative,
    PetitionReview,
    PetitionTransfer,
    ReceptionDay,
    ReceptionDuty,
    ReturnVisit,
)
from petitions.models.petition import PII_FIELDS


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServicesOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class RepresentativeInline(ReadOnlyMixin, admin.TabularInline):
    model = PetitionRepresentative
    extra = 0
    fields = ("position", "name")
    readonly_fields = fields


class TransferInline(ReadOnlyMixin, admin.TabularInline):
    model = PetitionTransfer
    extra = 0
    fields = ("unit", "owner_name", "due_on", "transferred_at", "replied_at", "cancelled_at")
    readonly_fields = fields


class ClockInline(ReadOnlyMixin, admin.TabularInline):
    model = PetitionClock
    extra = 0
    fields = ("kind", "round", "started_on", "due_on", "stopped_on", "state")
    readonly_fields = fields


@admin.register(Petition)
class PetitionAdmin(ServicesOnlyAdmin):
    list_display = ("registration_number", "township", "channel", "subject", "status", "received_on", "next_due_on")
    list_filter = ("township", "status", "channel", "urgency", "key_supervision")
    list_select_related = ("township",)
    search_fields = ("subject",)
    show_full_result_count = False
    date_hierarchy = "received_on"
    exclude = PII_FIELDS
    raw_id_fields = ("repeat_of", "related", "origin_opinion", "raised_by_deputy", "reception_day")
    inlines = [RepresentativeInline, TransferInline, ClockInline]


@admin.register(Category)
class CategoryAdmin(ServicesOnlyAdmin):
    list_display = ("name", "township", "sort_order", "is_active")
    list_filter = ("township", "is_active")
    list_select_related = ("township",)


@admin.register(PetitionTransfer)
class PetitionTransferAdmin(ServicesOnlyAdmin):
    list_display = ("petition", "unit", "owner_name", "due_on", "transferred_at", "replied_at")
    list_select_related = ("petition", "unit")
    list_filter = ("unit__township",)


@admin.register(PetitionClock)
class PetitionClockAdmin(ReadOnlyAdmin):
    list_display = ("petition", "kind", "round", "started_on", "due_on", "stopped_on", "state")
    list_filter = ("kind", "state")
    list_select_related = ("petition",)


@admin.register(PetitionNotice)
class PetitionNoticeAdmin(ReadOnlyAdmin):
    list_display = ("petition", "kind", "number", "issued_on", "issued_by")
    list_filter = ("kind",)
    list_select_related = ("petition", "number", "issued_by")
    exclude = ("body",)


@admin.register(ReturnVisit)
class ReturnVisitAdmin(ReadOnlyAdmin):
    list_display = ("petition", "visited_on", "method", "result", "reopened", "by")
    list_select_related = ("petition", "by")


@admin.register(PetitionReview)
class PetitionReviewAdmin(ReadOnlyAdmin):
    list_display = ("petition", "level", "requested_on", "decided_on", "decision")
    list_select_related = ("petition",)


@admin.register(PetitionEvent)
class PetitionEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "petition", "event", "title", "by")
    list_select_related = ("petition", "by")


@admin.register(PetitionAttachment)
class PetitionAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("petition", "original_name", "size_bytes", "uploaded_at")
    list_select_related = ("petition",)


@admin.register(PetitionDataAccess)
class PetitionDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "township", "petition", "purpose", "fields", "row_count")
    list_filter = ("purpose", "township")
    list_select_related = ("user", "township", "petition")


class DutyInline(ReadOnlyMixin, admin.TabularInline):
    model = ReceptionDuty
    extra = 0
    fields = ("deputy", "group", "status", "signed_in_at", "leave_reason")
    readonly_fields = fields


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "township", "place", "status")
    list_filter = ("township", "status")
    list_select_related = ("township",)
    inlines = [DutyInline]
