from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from presidium.models import County, HandlingUnit, PresidiumMembership, RoleAssignment, Term, Township, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["county", "township", "handling_unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("联系信息"), {"fields": ("real_name", "mobile")}))
    list_display = ("username", "real_name", "mobile", "email", "is_active", "is_superuser")
    search_fields = ("username", "real_name", "mobile", "email")
    inlines = [RoleAssignmentInline]


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Township)
class TownshipAdmin(SimpleHistoryAdmin):
    list_display = ("name", "county", "kind", "reply_deadline_months")
    list_filter = ("county",)
    search_fields = ["name"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("township", "ordinal", "start_date", "end_date", "is_current")
    list_filter = ("township",)


@admin.register(PresidiumMembership)
class PresidiumMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("name", "position", "term")
    list_filter = ("position", "term__township")


@admin.register(HandlingUnit)
class HandlingUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "township", "kind", "responsible_leader", "is_active")
    list_filter = ("township", "kind", "is_active")
    search_fields = ["name"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "county", "township", "handling_unit")
    list_filter = ("role",)
    autocomplete_fields = ["user", "county", "township", "handling_unit"]
