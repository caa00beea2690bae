"""Every state change of the organisation: one keyword-only function each, atomic, validated.

Views, admin actions, imports and ``seed_demo`` all go through these.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presidium.access import forget_scope, require_account_manageable
from presidium.choices import COUNTY_ROLES, TOWNSHIP_ROLES, UNIT_ROLES, HandlingUnitKind, Role
from presidium.models import County, HandlingUnit, PresidiumMembership, RoleAssignment, Term, Township, User

UNIT_FIELDS = ("name", "kind", "responsible_leader", "contact_person", "contact_phone", "is_active")


def _save(obj, *, fields: list[str] | None = None):
    obj.full_clean()
    if fields and obj.pk:
        obj.save(update_fields=fields)
    else:
        obj.save()
    return obj


@transaction.atomic
def township_update_settings(*, township: Township, by: User, reply_deadline_months: int,
                             hard_case_deadline_months: int) -> Township:
    if hard_case_deadline_months < reply_deadline_months:
        raise ValidationError({"hard_case_deadline_months": _("复杂建议的办理期限不能短于一般期限。")})
    township.reply_deadline_months = reply_deadline_months
    township.hard_case_deadline_months = hard_case_deadline_months
    township._history_user = by
    return _save(township, fields=["reply_deadline_months", "hard_case_deadline_months"])


@transaction.atomic
def term_create(*, township: Township, by: User, ordinal: int, start_date, end_date, make_current: bool) -> Term:
    if Term.objects.filter(township=township, ordinal=ordinal).exists():
        raise ValidationError({"ordinal": _("本乡镇已有第 %(n)s 届。") % {"n": ordinal}})
    if make_current:
        for old in Term.objects.select_for_update().filter(township=township, is_current=True):
            old.is_current = False
            old._history_user = by
            old.save(update_fields=["is_current"])
    term = Term(township=township, ordinal=ordinal, start_date=start_date, end_date=end_date, is_current=make_current)
    term._history_user = by
    return _save(term)


@transaction.atomic
def presidium_member_add(*, term: Term, by: User, name: str, position: str, since=None,
                         user: User | None = None) -> PresidiumMembership:
    member = PresidiumMembership(term=term, name=name.strip(), position=position, since=since, user=user)
    if position == "chair" and PresidiumMembership.objects.filter(term=term, position="chair", until__isnull=True).exists():
        raise ValidationError({"position": _("本届已有在任主席；请先为原主席登记离任日期。")})
    member._history_user = by
    return _save(member)


@transaction.atomic
def presidium_member_end(*, member: PresidiumMembership, by: User, until) -> PresidiumMembership:
    if member.since and until < member.since:
        raise ValidationError({"until": _("离任日期不能早于任职日期。")})
    member.until = until
    member._history_user = by
    return _save(member, fields=["until"])


@transaction.atomic
def handling_unit_create(*, township: Township, by: User, name: str, kind: str = HandlingUnitKind.STATION,
                         responsible_leader: str = "", contact_person: str = "", contact_phone: str = "",
                         is_active: bool = True) -> HandlingUnit:
    name = name.strip()
    if HandlingUnit.objects.filter(township=township, name=name).exists():
        raise ValidationError({"name": _("本乡镇已有名为“%(name)s”的承办单位。") % {"name": name}})
    unit = HandlingUnit(township=township, name=name, kind=kind, responsible_leader=responsible_leader.strip(),
                        contact_person=contact_person.strip(), contact_phone=contact_phone.strip(),
                        is_active=is_active)
    unit._history_user = by
    return _save(unit)


@transaction.atomic
def handling_unit_update(*, unit: HandlingUnit, by: User, **changes) -> HandlingUnit:
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if HandlingUnit.objects.filter(township_id=unit.township_id, name=changes["name"]).exclude(pk=unit.pk).exists():
            raise ValidationError({"name": _("本乡镇已有名为“%(name)s”的承办单位。") % {"name": changes["name"]}})
    for field, value in changes.items():
        setattr(unit, field, value)
    unit._history_user = by
    return _save(unit, fields=list(changes) or None)


@transaction.atomic
def account_create(*, by: User, username: str, real_name: str, password: str, mobile: str = "",
                   email: str = "") -> User:
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已被使用。") % {"u": username}})
    user = User(username=username, real_name=real_name.strip(), mobile=mobile.strip(), email=email.strip())
    user.set_password(password)
    user._history_user = by
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _locked_account(user: User) -> User:
    """The account's row, locked: managers changing one account take turns, and the rule reads it as it is."""
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def role_grant(*, by: User | None, user: User, role: Role | str, county: County | None = None,
               township: Township | None = None, handling_unit: HandlingUnit | None = None) -> RoleAssignment:
    """Give ``user`` a role in one scope (idempotent).

    ``by`` is the manager, held to ``access.account_manage_refusal``: the account must be theirs to
    manage and the role no higher than their own, inside their scope (403 otherwise). ``by=None`` is
    the system itself (``seed_demo``, imports run by an operator), which no rule limits.
    """
    role = Role(role)
    scope_field = "county" if role in COUNTY_ROLES else "township" if role in TOWNSHIP_ROLES else "handling_unit"
    assert role in COUNTY_ROLES | TOWNSHIP_ROLES | UNIT_ROLES
    existing = RoleAssignment.objects.filter(user=user, role=role, county=county, township=township,
                                             handling_unit=handling_unit).first()
    if existing:
        return existing  # nothing changes, so there is nothing to refuse
    assignment = RoleAssignment(user=user, role=role, county=county, township=township, handling_unit=handling_unit)
    if getattr(assignment, f"{scope_field}_id") is None:
        raise ValidationError(_("请为该角色选择范围。"))
    if by is not None:
        require_account_manageable(by, _locked_account(user), adding=assignment)
    assignment._history_user = by
    _save(assignment)
    forget_scope(user)
    return assignment


@transaction.atomic
def role_revoke(*, by: User, assignment: RoleAssignment) -> None:
    """Take a role away; the account must be ``by``'s to manage (which one's own account never is)."""
    require_account_manageable(by, _locked_account(assignment.user))
    assignment._history_user = by
    assignment.delete()
    forget_scope(assignment.user)


@transaction.atomic
def account_password_reset(*, by: User, user: User, password: str) -> User:
    """A manager sets a temporary password (for someone who has no e-mail to reset it themselves).

    Only for an account ``by`` may manage (``access.account_manage_refusal``): else 403, as setting
    the password of an account that can do more than ``by`` would hand ``by`` its powers.
    """
    require_account_manageable(by, _locked_account(user))
    user.set_password(password)
    user._history_user = by
    user.save(update_fields=["password"])
    return user
