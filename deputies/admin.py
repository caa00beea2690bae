"""Django admin (superusers only): read-mostly access to the deputies app's rows, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deputies.models import (
    Award,
    Constituency,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    DutyPledge,
    LiaisonStation,
    PersonalDataAccess,
    StationStaff,
    TrainingRecord,
    Visit,
    VisitOpinion,
    VisitPhoto,
    VisitTarget,
    VoterReport,
    YearAssessment,
)


class ReadOnlyMixin:
    """Changes go through the portal's screens (the services check the rules); the admin reads."""

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


@admin.register(Deputy)
class DeputyAdmin(ServicesOnlyAdmin):
    list_display = ("name", "township", "term", "gender", "level", "group", "status")
    # term and group are nullable: without naming them the changelist loaded both per row (209 queries a page)
    list_select_related = ("township", "term", "group")
    list_filter = ("township", "status", "level", "gender")
    search_fields = ("name", "name_pinyin", "name_initials")
    show_full_result_count = False
    raw_id_fields = ("previous", "user")
    exclude = ("id_number",)
    readonly_fields = ("id_number_digest",)


@admin.register(Constituency)
class ConstituencyAdmin(ServicesOnlyAdmin):
    list_display = ("name", "township", "seats")
    list_filter = ("township",)


@admin.register(DeputyGroup)
class DeputyGroupAdmin(ServicesOnlyAdmin):
    list_display = ("name", "township", "kind", "parent", "leader")
    list_filter = ("township", "kind")


class StationStaffInline(ReadOnlyMixin, admin.TabularInline):
    model = StationStaff
    extra = 0


@admin.register(LiaisonStation)
class LiaisonStationAdmin(ServicesOnlyAdmin):
    list_display = ("name", "township", "kind", "level", "star_rating", "is_active")
    list_filter = ("township", "kind", "level")
    inlines = [StationStaffInline]


class VisitOpinionInline(ReadOnlyMixin, admin.TabularInline):
    model = VisitOpinion
    extra = 0
    fields = ("position", "content", "category", "converted_kind", "converted_at")


@admin.register(Visit)
class VisitAdmin(ServicesOnlyAdmin):
    list_display = ("deputy", "township", "visited_on", "place", "method", "people")
    list_select_related = ("deputy", "township")
    list_filter = ("township", "method")
    search_fields = ("place",)
    show_full_result_count = False
    raw_id_fields = ("deputy",)
    date_hierarchy = "visited_on"
    inlines = [VisitOpinionInline]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "township", "deputy", "purpose", "fields", "row_count")
    list_filter = ("purpose", "township")


for model in (DeputyStatusChange, VisitPhoto, VisitTarget, DutyPledge, VoterReport, YearAssessment, TrainingRecord,
              Award):
    admin.site.register(model, ServicesOnlyAdmin if hasattr(model, "history") else ReadOnlyAdmin)
