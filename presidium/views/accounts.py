"""Accounts and roles: a county admin opens accounts in the county, presidium staff in their township."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from presidium import access, services
from presidium.access import scope_of
from presidium.choices import Role
from presidium.filters import AccountFilter
from presidium.forms import AccountCreateForm
from presidium.models import HandlingUnit, RoleAssignment, User
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView

TOWNSHIP_GRANTABLE = [Role.PRESIDIUM_STAFF, Role.DEPUTY, Role.UNIT_LIAISON]
COUNTY_GRANTABLE = [Role.COUNTY_REVIEWER, Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF, Role.DEPUTY, Role.UNIT_LIAISON]


def assignments_manageable_by(user):
    """Role assignments that ``user`` may see and revoke on the accounts screen."""
    scope = scope_of(user)
    if scope.is_superuser:
        return RoleAssignment.objects.all()
    townships = access.townships_where(user, access.MANAGE_ACCOUNTS)
    counties = scope.county_ids({Role.COUNTY_ADMIN})
    return RoleAssignment.objects.filter(
        Q(township__in=townships) | Q(handling_unit__township__in=townships)
        | Q(county_id__in=sorted(counties), role=Role.COUNTY_REVIEWER)
    )


def grantable_roles(user) -> list[Role]:
    scope = scope_of(user)
    if scope.is_superuser or scope.has_role(Role.COUNTY_ADMIN):
        return COUNTY_GRANTABLE
    return TOWNSHIP_GRANTABLE


class AccountListView(PortalListView):
    filterset_class = AccountFilter
    template_name = "presidium/account_list.html"
    page_title = _("账号与角色")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_perm(request.user, access.MANAGE_ACCOUNTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        assignments = assignments_manageable_by(self.request.user).select_related("county", "township",
                                                                                  "handling_unit")
        return (
            User.objects.filter(pk__in=assignments.values("user_id"))
            .prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="managed_roles"))
            .order_by("real_name", "username")
        )


class AccountCreateView(ServiceFormView):
    form_class = AccountCreateForm
    page_title = _("开设账号")
    submit_label = _("开设账号")
    success_message = _("账号已开设。请把用户名和初始密码当面或电话告知本人，并提醒首次登录后修改密码。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_perm(request.user, access.MANAGE_ACCOUNTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        townships = access.townships_where(self.request.user, access.MANAGE_ACCOUNTS)
        kwargs.update(
            role_choices=[(r.value, r.label) for r in grantable_roles(self.request.user)],
            townships=townships,
            units=HandlingUnit.objects.filter(township__in=townships, is_active=True).select_related("township")
            .order_by("township__name", "name"),
        )
        return kwargs

    def perform(self, form):
        from django.db import transaction

        data = form.cleaned_data
        role = Role(data["role"])
        scope = scope_of(self.request.user)
        with transaction.atomic():
            user = services.account_create(by=self.request.user, username=data["username"],
                                           real_name=data["real_name"], password=data["password"],
                                           mobile=data.get("mobile") or "", email=data.get("email") or "")
            if role == Role.COUNTY_REVIEWER:
                county_ids = sorted(scope.county_ids({Role.COUNTY_ADMIN}))
                if not county_ids:
                    raise ValidationError({"role": _("只有县级管理员可以开设县级审阅账号。")})
                from presidium.models import County

                services.role_grant(by=self.request.user, user=user, role=role,
                                    county=County.objects.get(pk=county_ids[0]))
            elif role == Role.UNIT_LIAISON:
                services.role_grant(by=self.request.user, user=user, role=role, handling_unit=data["handling_unit"])
            else:
                services.role_grant(by=self.request.user, user=user, role=role, township=data["township"])
        return reverse("presidium:account_list")


@require_POST
def role_revoke_view(request, pk: int):
    if not request.user.is_authenticated:
        return redirect("login")
    assignment = get_object_or_404(assignments_manageable_by(request.user).select_related("user"), pk=pk)
    try:
        services.role_revoke(by=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已撤销 %(user)s 的角色“%(role)s”。") % {
            "user": assignment.user, "role": assignment.get_role_display()})
    return redirect("presidium:account_list")
