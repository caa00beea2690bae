"""Who may see and do what: the one place that decides.

Every view and selector starts from here. A user's role assignments are loaded once per request
into an :class:`AccessScope`; visibility helpers turn it into querysets (another township's row is
then simply not found: 404), and :func:`has_perm` answers for actions (refused: 403).

Actions are named strings with the roles allowed to take them. This module defines the floor's
actions; higher apps define theirs with :func:`define_action` at import time of their own
``access`` or ``apps`` module, so this module imports no other app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from presidium.choices import COUNTY_ROLES, TOWNSHIP_ROLES, Role

STAFF_ROLES = frozenset({Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF})
ALL_ROLES = frozenset(Role)

_RULES: dict[str, frozenset[Role]] = {}
_DESCRIPTIONS: dict[str, str] = {}


def define_action(name: str, roles: Iterable[Role], description: str = "") -> str:
    """Declare an action and the roles that may take it (within their scope). Returns the name."""
    roles = frozenset(roles)
    if name in _RULES and _RULES[name] != roles:
        raise ValueError(f"action {name!r} is already defined with other roles")
    _RULES[name] = roles
    _DESCRIPTIONS[name] = description
    return name


def action_roles(name: str) -> frozenset[Role]:
    try:
        return _RULES[name]
    except KeyError:
        raise KeyError(f"unknown action {name!r}: define it with presidium.access.define_action") from None


def defined_actions() -> dict[str, frozenset[Role]]:
    return dict(_RULES)


# --- the floor's actions ----------------------------------------------------------------------
VIEW_TOWNSHIP = define_action(
    "township.view", {Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER, *STAFF_ROLES},
    "查看乡镇的组织信息、统计和台账",
)
MANAGE_ORGANISATION = define_action(
    "organisation.manage", STAFF_ROLES | {Role.COUNTY_ADMIN}, "维护届次、主席团成员、承办单位"
)
MANAGE_ACCOUNTS = define_action(
    "accounts.manage", STAFF_ROLES | {Role.COUNTY_ADMIN}, "为本乡镇（本县）开设账号、授予角色"
)
VIEW_HISTORY = define_action("history.view", {Role.COUNTY_ADMIN, *STAFF_ROLES}, "查看修改记录")


@dataclass(frozen=True)
class Grant:
    """One role assignment, flattened to ids."""

    role: Role
    county_id: int | None
    township_id: int | None  # for a liaison: the unit's township
    unit_id: int | None


@dataclass(frozen=True)
class AccessScope:
    """Everything access decisions need about one user, loaded in one query."""

    user_id: int | None
    is_superuser: bool
    grants: tuple[Grant, ...]
    # The townships of each county a county grant names, read with the grants: a county role's rows are found by
    # their township's id among these, not by a join from every row to its township to read its county (a county's
    # 104,098 visits counted in 9 ms instead of 21).
    county_townships: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    def has_role(self, *roles: Role) -> bool:
        return any(g.role in roles for g in self.grants)

    def county_ids(self, roles: Iterable[Role] = COUNTY_ROLES) -> frozenset[int]:
        roles = frozenset(roles)
        return frozenset(g.county_id for g in self.grants if g.role in roles and g.county_id)

    def township_ids(self, roles: Iterable[Role] = TOWNSHIP_ROLES) -> frozenset[int]:
        roles = frozenset(roles)
        return frozenset(g.township_id for g in self.grants if g.role in roles and g.township_id)

    def townships_of_counties(self, county_ids: Iterable[int]) -> frozenset[int]:
        wanted = frozenset(county_ids)
        return frozenset(pk for county_id, townships in self.county_townships if county_id in wanted
                         for pk in townships)

    def unit_ids(self) -> frozenset[int]:
        return frozenset(g.unit_id for g in self.grants if g.role == Role.UNIT_LIAISON and g.unit_id)


_ANONYMOUS = AccessScope(user_id=None, is_superuser=False, grants=())


def scope_of(user) -> AccessScope:
    """The user's scope, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _ANONYMOUS
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    from presidium.models import RoleAssignment

    # One query: each assignment, with (for a county grant) one row per township of the county.
    grants: dict[Grant, None] = {}  # in order, once each (a county grant comes back once per township)
    county_townships: dict[int, list[int]] = {}
    for role, county_id, township_id, unit_id, unit_township_id, county_township_id in (
            RoleAssignment.objects.filter(user=user).order_by("pk", "county__townships__id").values_list(
                "role", "county_id", "township_id", "handling_unit_id", "handling_unit__township_id",
                "county__townships__id")):
        grants[Grant(Role(role), county_id, township_id or unit_township_id, unit_id)] = None
        if county_id is not None:
            found = county_townships.setdefault(county_id, [])
            if county_township_id is not None and county_township_id not in found:
                found.append(county_township_id)
    scope = AccessScope(user_id=user.pk, is_superuser=user.is_superuser, grants=tuple(grants),
                        county_townships=tuple((pk, tuple(ids)) for pk, ids in county_townships.items()))
    user._access_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after roles change within a request or a test)."""
    if hasattr(user, "_access_scope"):
        del user._access_scope


def township_q(user, *, roles: Iterable[Role] = ALL_ROLES, field: str = "township") -> Q:
    """A filter for rows with a ``township`` foreign key that ``user`` may see through ``roles``.

    County roles reach every township of their county; township roles their own township; a
    liaison's role reaches the township of their unit (callers narrow liaisons further).
    """
    scope = scope_of(user)
    if scope.is_superuser:
        return Q()
    roles = frozenset(roles)
    prefix = f"{field}__" if field else ""
    county_ids = scope.county_ids(roles & COUNTY_ROLES)
    township_ids = frozenset(
        g.township_id for g in scope.grants if g.role in roles and g.role not in COUNTY_ROLES and g.township_id
    )
    condition = Q(pk__in=[])
    if county_ids and field:
        # The county's townships as a list of ids the planner can count, not a join to every row's township.
        township_ids |= scope.townships_of_counties(county_ids)
    elif county_ids:
        condition |= Q(county_id__in=sorted(county_ids))
    if township_ids:
        condition |= Q(**{f"{prefix}id__in" if field else "id__in": sorted(township_ids)})
    return condition


def townships_visible_to(user, *, roles: Iterable[Role] = ALL_ROLES) -> QuerySet:
    from presidium.models import Township

    return Township.objects.filter(township_q(user, roles=roles, field="")).select_related("county")


def townships_where(user, action: str) -> QuerySet:
    """The townships in which ``user`` may take ``action`` (for choice fields and filters)."""
    return townships_visible_to(user, roles=action_roles(action))


def township_ids_where(user, action: str) -> frozenset[int]:
    """The ids of :func:`townships_where`, from the user's roles without a query (the county's townships are read
    with the roles); a superuser's townships are listed (one query)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return frozenset(townships_where(user, action).values_list("pk", flat=True))
    roles = frozenset(action_roles(action))
    own = frozenset(g.township_id for g in scope.grants
                    if g.role in roles and g.role not in COUNTY_ROLES and g.township_id)
    return own | scope.townships_of_counties(scope.county_ids(roles & COUNTY_ROLES))


def townships_for_block(user, action: str) -> tuple[QuerySet, int | None] | None:
    """For a home-page block over the townships where ``user`` may take ``action``: those townships as a subquery
    and the one township's id when there is just one (else None); None when there are none. Read from the
    user's roles, without a query of its own (a superuser's townships are listed: one query)."""
    roles = action_roles(action)
    scope = scope_of(user)
    townships = townships_visible_to(user, roles=roles)
    if scope.is_superuser:
        ids = list(townships.order_by().values_list("pk", flat=True)[:2])
        return (townships.order_by().values("pk"), ids[0] if len(ids) == 1 else None) if ids else None
    counties, own = scope.county_ids(roles), scope.township_ids(roles)
    if not counties and not own:
        return None
    return townships.order_by().values("pk"), (next(iter(own)) if not counties and len(own) == 1 else None)


def counties_visible_to(user) -> QuerySet:
    from presidium.models import County

    scope = scope_of(user)
    if scope.is_superuser:
        return County.objects.all()
    return County.objects.filter(
        Q(pk__in=sorted(scope.county_ids())) | Q(townships__in=townships_visible_to(user))
    ).distinct()


def handling_units_visible_to(user) -> QuerySet:
    """Staff and county roles see their townships' units; a liaison sees only their own unit."""
    from presidium.models import HandlingUnit

    scope = scope_of(user)
    qs = HandlingUnit.objects.select_related("township")
    if scope.is_superuser:
        return qs
    condition = township_q(user, roles=COUNTY_ROLES | STAFF_ROLES | {Role.DEPUTY})
    if scope.unit_ids():
        condition |= Q(pk__in=sorted(scope.unit_ids()))
    return qs.filter(condition)


def has_perm(user, action: str, township=None) -> bool:
    """May ``user`` take ``action`` in ``township`` (a Township, its id, or None for "anywhere")?"""
    scope = scope_of(user)
    if scope.user_id is None:
        return False
    if scope.is_superuser:
        return True
    roles = action_roles(action)
    if township is None:
        return any(g.role in roles for g in scope.grants)
    township_id = getattr(township, "pk", township)
    county_id = getattr(township, "county_id", None)
    for g in scope.grants:
        if g.role not in roles:
            continue
        if g.role in COUNTY_ROLES:
            if county_id is None:
                from presidium.models import Township

                county_id = Township.objects.filter(pk=township_id).values_list("county_id", flat=True).first()
            if g.county_id == county_id:
                return True
        elif g.township_id == township_id:
            return True
    return False


def require_perm(user, action: str, township=None) -> None:
    """Raise PermissionDenied (403) unless ``has_perm``."""
    if not has_perm(user, action, township):
        raise PermissionDenied


def is_county_user(user) -> bool:
    return scope_of(user).has_role(*COUNTY_ROLES)


def is_township_staff(user) -> bool:
    return scope_of(user).has_role(*STAFF_ROLES)


# --- managing accounts ----------------------------------------------------------------------------
#
# Resetting someone's password hands their whole account to whoever does it, so a manager may touch
# only an account that could not do more than the manager already can: every role it holds lies
# inside the manager's own scope and ranks below the manager's role there. A manager with several
# managing roles (staff here, chair there) may use any of them for each of the target's roles.
# Superusers are never managed here (only in the system admin, by a superuser), nor is one's own
# account (the password under "修改密码"; roles by whoever stands above). Granting may lift an account
# up to the manager's own rank, never above it, and only inside the manager's scope; the county
# admin role itself is handed out by a superuser only, so county admins do not appoint or manage
# each other (the safest choice: a county admin sees the whole county's unmasked personal data).

ROLE_RANK: dict[Role, int] = {
    Role.COUNTY_ADMIN: 50,
    Role.COUNTY_REVIEWER: 40,
    Role.PRESIDIUM_CHAIR: 30,
    Role.PRESIDIUM_STAFF: 20,
    Role.DEPUTY: 10,
    Role.UNIT_LIAISON: 10,
}
ACCOUNT_MANAGER_ROLES = action_roles(MANAGE_ACCOUNTS)
SUPERUSER_ONLY_GRANTS = frozenset({Role.COUNTY_ADMIN})
HELD_ROLES_ATTR = "held_roles"


class AccountRefused(PermissionDenied):
    """Refused account management (403) with the reason in the actor's language; the 403 page shows it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _held_roles_queryset(user=None) -> QuerySet:
    from presidium.models import RoleAssignment

    qs = RoleAssignment.objects.select_related("county", "township", "handling_unit__township").order_by("pk")
    return qs if user is None else qs.filter(user=user)


def held_roles_prefetch() -> Prefetch:
    """Every role of each listed account (for :func:`account_manage_refusal` on a list, in one query)."""
    return Prefetch("role_assignments", queryset=_held_roles_queryset(), to_attr=HELD_ROLES_ATTR)


def _county_id_of(assignment) -> int:
    if assignment.county_id:
        return assignment.county_id
    if assignment.township_id:
        return assignment.township.county_id
    return assignment.handling_unit.township.county_id


def _township_id_of(assignment) -> int | None:
    if assignment.township_id:
        return assignment.township_id
    return assignment.handling_unit.township_id if assignment.handling_unit_id else None


def _reaches(grant: Grant, assignment) -> bool:
    """Does the manager's ``grant`` cover the place where ``assignment`` is held?"""
    if grant.role in COUNTY_ROLES:
        return grant.county_id == _county_id_of(assignment)
    return Role(assignment.role) not in COUNTY_ROLES and grant.township_id == _township_id_of(assignment)


def _seat(assignment) -> dict[str, str]:
    """"人大代表" and "乙镇" for a reason's text."""
    if assignment.handling_unit_id:
        unit = assignment.handling_unit
        place = f"{unit.name}（{unit.township.name}）"
    else:
        place = str(assignment.county or assignment.township)
    return {"role": Role(assignment.role).label, "scope": place}


def _held_refusal(managing: list[Grant], assignment) -> str | None:
    """Why an account holding ``assignment`` is not the manager's (None: one of ``managing`` is above it)."""
    covering = [g for g in managing if _reaches(g, assignment)]
    if not covering:
        return _("该账号还担任“%(role)s · %(scope)s”，超出您的管理范围，请由上级管理员办理。") % _seat(assignment)
    if not any(ROLE_RANK[g.role] > ROLE_RANK[Role(assignment.role)] for g in covering):
        return _("该账号担任“%(role)s · %(scope)s”，与您同级或高于您，请由上级管理员办理。") % _seat(assignment)
    return None


def _grant_refusal(managing: list[Grant], assignment) -> str | None:
    """Why the manager may not hand out ``assignment`` (None: it is at most their rank, inside their scope)."""
    role = Role(assignment.role)
    if role in SUPERUSER_ONLY_GRANTS:
        return _("“%(role)s”只能由系统管理员授予。") % {"role": role.label}
    if not any(ROLE_RANK[g.role] >= ROLE_RANK[role] for g in managing):
        return _("您不能授予“%(role)s”：它高于您自己的角色。") % {"role": role.label}
    if not any(ROLE_RANK[g.role] >= ROLE_RANK[role] and _reaches(g, assignment) for g in managing):
        return _("“%(scope)s”超出您的管理范围，不能在那里授予“%(role)s”。") % _seat(assignment)
    return None


def account_manage_refusal(manager, target, *, adding=None, held=None) -> str | None:
    """Why ``manager`` may not reset the password of, or change the roles of, ``target``; None if they may.

    The one rule behind every account-management service (which raise :class:`AccountRefused` with
    this reason) and the accounts screen (which shows it instead of the buttons); see the comment above.
    ``adding`` is an unsaved ``RoleAssignment`` about to be granted to ``target``. ``held`` is the
    target's role assignments when the caller has them (a list prefetched with
    :func:`held_roles_prefetch`); otherwise they are read from the database, active account or not.
    """
    scope = scope_of(manager)
    if scope.user_id is None or not (scope.is_superuser or scope.has_role(*ACCOUNT_MANAGER_ROLES)):
        return _("您没有管理账号的权限。")
    if target.pk is not None and target.pk == scope.user_id:
        return _("这是您自己的账号：密码请在“修改密码”中修改，角色请由上级管理员调整。")
    if target.is_superuser:
        return _("这是系统管理员账号，只能在系统后台维护。")
    if scope.is_superuser:
        return None
    if held is None:
        held = list(_held_roles_queryset(target)) if target.pk is not None else []
    if not held and adding is None:
        return _("该账号没有您管理范围内的角色。")
    managing = [g for g in scope.grants if g.role in ACCOUNT_MANAGER_ROLES]
    for assignment in sorted(held, key=lambda a: -ROLE_RANK[Role(a.role)]):
        reason = _held_refusal(managing, assignment)
        if reason:
            return reason
    return _grant_refusal(managing, adding) if adding is not None else None


def require_account_manageable(manager, target, *, adding=None) -> None:
    """Raise :class:`AccountRefused` (403, with the reason) unless ``manager`` may manage ``target``."""
    reason = account_manage_refusal(manager, target, adding=adding)
    if reason:
        raise AccountRefused(reason)


def roles_grantable_by(user) -> list[Role]:
    """The roles ``user`` may hand out somewhere in their scope (the role choices of the grant forms)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return list(Role)
    ranks = [ROLE_RANK[g.role] for g in scope.grants if g.role in ACCOUNT_MANAGER_ROLES]
    top = max(ranks, default=0)
    return [role for role in Role if role not in SUPERUSER_ONLY_GRANTS and ROLE_RANK[role] <= top]
