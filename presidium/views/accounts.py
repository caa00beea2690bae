"""Accounts and roles: a county admin opens accounts in the county, presidium staff in their township.

Which account a manager may reset or change is decided by ``access.account_manage_refusal`` alone:
the services enforce it (403 with the reason), these screens ask it to leave out what would be refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from presidium import access, services
from presidium.access import scope_of
from presidium.choices import Role
from presidium.filters import AccountFilter
from presidium.forms import AccountCreateForm, PasswordResetByManagerForm, RoleScopeForm
from presidium.models import County, HandlingUnit, RoleAssignment, User
from presidium.views.accounts_rows import AccountRows
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


def role_assignments_visible_to(user):
    """Role assignments ``user`` sees on the accounts screen: those inside their managing scope.

    Seeing is not managing: whether an account's password may be reset or its roles changed is
    ``access.account_manage_refusal``, which also weighs the account's roles outside this list.
    """
    scope = scope_of(user)
    if scope.is_superuser:
        return RoleAssignment.objects.all()
    townships = access.townships_where(user, access.MANAGE_ACCOUNTS)
    counties = scope.county_ids({Role.COUNTY_ADMIN})
    return RoleAssignment.objects.filter(
        Q(township__in=townships) | Q(handling_unit__township__in=townships)
        | Q(county_id__in=sorted(counties), role=Role.COUNTY_REVIEWER)
    )


def accounts_visible_to(user):
    return User.objects.filter(pk__in=role_assignments_visible_to(user).values("user_id"))


def form_grantable_roles(user) -> list[Role]:
    """The roles the grant forms offer: what the rule lets ``user`` hand out, except the county admin role,
    which has no county field here (a superuser appoints county admins in the system admin)."""
    return [role for role in access.roles_grantable_by(user) if role != Role.COUNTY_ADMIN]


class AccountListView(PortalListView):
    filterset_class = AccountFilter
    template_name = "presidium/account_list.html"
    page_title = _("账号与角色")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_perm(request.user, access.MANAGE_ACCOUNTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        assignments = role_assignments_visible_to(self.request.user).select_related("county", "township",
                                                                                    "handling_unit")
        return (
            User.objects.filter(pk__in=assignments.values("user_id"))
            .prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="managed_roles"),
                              access.held_roles_prefetch())
            .order_by("real_name", "username")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = AccountRows(get_token(self.request))
        for account in context["object_list"]:
            # Why the buttons are missing, when they are: the same rule the services enforce.
            account.refusal = access.account_manage_refusal(self.request.user, account,
                                                            held=getattr(account, access.HELD_ROLES_ATTR))
            account.row_html = row(account)
        return context


def _grant(by, user, data) -> None:
    """Grant the role chosen in a RoleScopeForm, in the scope the granting manager holds."""
    role = Role(data["role"])
    if role == Role.COUNTY_REVIEWER:
        county_ids = sorted(scope_of(by).county_ids({Role.COUNTY_ADMIN}))
        if not county_ids:
            raise ValidationError({"role": _("只有县级管理员可以开设县级审阅账号。")})
        services.role_grant(by=by, user=user, role=role, county=County.objects.get(pk=county_ids[0]))
    elif role == Role.UNIT_LIAISON:
        services.role_grant(by=by, user=user, role=role, handling_unit=data["handling_unit"])
    else:
        services.role_grant(by=by, user=user, role=role, township=data["township"])


class _ManagerMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_perm(request.user, access.MANAGE_ACCOUNTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def role_form_kwargs(self) -> dict:
        townships = access.townships_where(self.request.user, access.MANAGE_ACCOUNTS)
        return {
            "role_choices": [(r.value, r.label) for r in form_grantable_roles(self.request.user)],
            "townships": townships,
            "units": HandlingUnit.objects.filter(township__in=townships, is_active=True).select_related("township")
            .order_by("township__name", "name"),
        }


class _TargetAccountMixin(_ManagerMixin):
    """The account from the URL: 404 unless the user sees it, 403 with the reason unless they may manage it.

    The service checks again when the form is saved; this only spares a form that could not be saved.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.account = get_object_or_404(accounts_visible_to(request.user), pk=kwargs["pk"])
            access.require_account_manageable(request.user, self.account)
        return super().dispatch(request, *args, **kwargs)


class AccountRoleGrantView(_TargetAccountMixin, ServiceFormView):
    form_class = RoleScopeForm
    submit_label = _("授予角色")
    success_message = _("角色已授予。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.role_form_kwargs()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("为 %(name)s 授予角色") % {"name": self.account}, **kwargs)

    def perform(self, form):
        _grant(self.request.user, self.account, form.cleaned_data)
        return reverse("presidium:account_list")


class AccountPasswordResetView(_TargetAccountMixin, ServiceFormView):
    form_class = PasswordResetByManagerForm
    submit_label = _("重置密码")
    success_message = _("密码已重置。请把临时密码告知本人，并提醒登录后立即修改。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("重置 %(name)s 的密码") % {"name": self.account}, **kwargs)

    def perform(self, form):
        services.account_password_reset(by=self.request.user, user=self.account, password=form.cleaned_data["password"])
        return reverse("presidium:account_list")


class AccountCreateView(_ManagerMixin, ServiceFormView):
    form_class = AccountCreateForm
    page_title = _("开设账号")
    submit_label = _("开设账号")
    success_message = _("账号已开设。请把用户名和初始密码当面或电话告知本人，并提醒首次登录后修改密码。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.role_form_kwargs()}

    def perform(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            user = services.account_create(by=self.request.user, username=data["username"],
                                           real_name=data["real_name"], password=data["password"],
                                           mobile=data.get("mobile") or "", email=data.get("email") or "")
            _grant(self.request.user, user, data)
        return reverse("presidium:account_list")


@require_POST
def role_revoke_view(request, pk: int):
    if not request.user.is_authenticated:
        return redirect("login")
    assignment = get_object_or_404(role_assignments_visible_to(request.user).select_related("user"), pk=pk)
    services.role_revoke(by=request.user, assignment=assignment)  # 403 with the reason if not theirs to change
    messages.success(request, _("已撤销 %(user)s 的角色“%(role)s”。") % {
        "user": assignment.user, "role": assignment.get_role_display()})
    return redirect("presidium:account_list")
