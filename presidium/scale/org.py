"""The townships of a scale plan beyond the demo's three: term, presidium, handling units, accounts.

Accounts share the demo password (hashed once, not once per user). Per township ``tNN``:
``tNN_chair`` (主席团主席), ``tNN_staff`` (人大办), one liaison per handling unit ``tNN_uNN``; the
deputies step adds ``tNN_dNNNN`` for every deputy. The first built township's accounts are the ones
``scripts/bench.py`` signs in as.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db import transaction

from presidium.choices import HandlingUnitKind, PresidiumPosition, Role, TownshipKind
from presidium.demo import COUNTY_NAME, DEMO_PASSWORD, LEADERS, OFFICES, VILLAGE_STEMS, presidium_member_names
from presidium.models import County, HandlingUnit, PresidiumMembership, RoleAssignment, Term, Township, User
from presidium.scale import ScalePlan, ScaleTownship

FIRST = "东西南北新老大小上下"
SECOND = "山河桥岭溪坪田湾塘源"
TERM_START, TERM_END = dt.date(2021, 12, 28), dt.date(2026, 12, 27)


def township_names(count: int) -> list[tuple[str, str]]:
    """``count`` distinct township names (东山镇, 东河乡, …), at most 100, never one of the demo's."""
    names = []
    for n in range(count):
        first, second = FIRST[n // len(SECOND) % len(FIRST)], SECOND[n % len(SECOND)]
        kind = TownshipKind.TOWNSHIP if n % 3 == 1 else TownshipKind.TOWN
        names.append((f"{first}{second}{'乡' if kind == TownshipKind.TOWNSHIP else '镇'}", kind))
    return names


def build_organisation(plan: ScalePlan) -> None:
    plan.county = County.objects.get(name=COUNTY_NAME)
    plan.admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    plan.password_hash = make_password(DEMO_PASSWORD)
    demo_count = Township.objects.filter(county=plan.county).exclude(
        name__in=[n for n, _ in township_names(100)]).count()
    wanted = max(0, plan.townships - demo_count)
    if wanted > 100:
        raise ValueError("at most 100 townships can be built beyond the demo's")
    for index, (name, kind) in enumerate(township_names(wanted), start=1):
        with transaction.atomic():
            plan.built.append(_township(plan, index, name, kind))
    plan.say(f"    organisation: {len(plan.built)} townships beyond the demo's {demo_count}")


def _township(plan: ScalePlan, index: int, name: str, kind: str) -> ScaleTownship:
    township, _ = Township.objects.get_or_create(county=plan.county, name=name,
                                                 defaults={"kind": kind, "code": f"3610{index:02d}100"})
    term, created = Term.objects.get_or_create(
        township=township, ordinal=18, defaults={"start_date": TERM_START, "end_date": TERM_END, "is_current": True})
    if created:
        positions = [PresidiumPosition.CHAIR, PresidiumPosition.VICE_CHAIR] + [PresidiumPosition.MEMBER] * 5
        plan.bulk(PresidiumMembership, [
            PresidiumMembership(term=term, name=member, position=position, since=TERM_START)
            for member, position in zip(presidium_member_names(index + 3), positions, strict=True)])
    existing = set(HandlingUnit.objects.filter(township=township).values_list("name", flat=True))
    villages = [(f"{stem}村", "village") for stem in VILLAGE_STEMS[:11]]
    plan.bulk(HandlingUnit, [
        HandlingUnit(township=township, name=unit_name, kind=HandlingUnitKind(unit_kind),
                     responsible_leader=LEADERS[n % len(LEADERS)], contact_person=LEADERS[(n + 3) % len(LEADERS)],
                     contact_phone=f"0794-{7000000 + index * 1000 + n}")
        for n, (unit_name, unit_kind) in enumerate(OFFICES + villages) if unit_name not in existing])
    built = ScaleTownship(township=township, term=term, index=index,
                          units=list(HandlingUnit.objects.filter(township=township).order_by("pk")))
    prefix = built.prefix
    chair_name = PresidiumMembership.objects.filter(term=term, position=PresidiumPosition.CHAIR).values_list(
        "name", flat=True).first() or f"{name}主席"
    accounts = [(f"{prefix}_chair", chair_name, Role.PRESIDIUM_CHAIR, {"township": township}),
                (f"{prefix}_staff", f"{name[:2]}人大办", Role.PRESIDIUM_STAFF, {"township": township})]
    accounts += [(f"{prefix}_u{n:02d}", unit.contact_person or f"{unit.name}联络员", Role.UNIT_LIAISON,
                  {"handling_unit": unit}) for n, unit in enumerate(built.units, start=1)]
    users = ensure_users(plan, [(username, real_name) for username, real_name, _, _ in accounts])
    grant_roles(plan, [(users[username], role, scope) for username, _, role, scope in accounts])
    built.chair = users[f"{prefix}_chair"]
    built.staff = users[f"{prefix}_staff"]
    built.liaisons = {unit.pk: users[f"{prefix}_u{n:02d}"] for n, unit in enumerate(built.units, start=1)}
    return built


def ensure_users(plan: ScalePlan, accounts: list[tuple[str, str]]) -> dict[str, User]:
    """The users named in ``accounts`` (username, real name), created in bulk where missing."""
    names = [username for username, _ in accounts]
    have = {u.username: u for u in User.objects.filter(username__in=names)}
    plan.bulk(User, [User(username=username, real_name=real_name, email=f"{username}@example.invalid",
                          password=plan.password_hash, is_active=True)
                     for username, real_name in accounts if username not in have])
    return {u.username: u for u in User.objects.filter(username__in=names)}


def grant_roles(plan: ScalePlan, grants: list[tuple[User, Role, dict]]) -> None:
    """Role assignments in bulk, skipping those a user already holds."""
    users = [user for user, _, _ in grants]
    held = set(RoleAssignment.objects.filter(user__in=users).values_list("user_id", "role"))
    plan.bulk(RoleAssignment, [RoleAssignment(user=user, role=role, **scope) for user, role, scope in grants
                               if (user.pk, str(role)) not in held])
