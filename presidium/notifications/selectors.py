"""Reads with a rule in them: a user sees only their own notifications, unread first; who reminders tell."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from presidium.choices import Role
from presidium.models import RoleAssignment, User
from presidium.notifications.loading import Shape
from presidium.notifications.models import Notification, NotificationPreference


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    """A notification belongs to its recipient alone: anyone else gets a 404, superusers included."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def inbox_for(user: User) -> QuerySet[Notification]:
    """The inbox: unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        notifications_visible_to(user)
        .select_related("actor")
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def preference_for(user: User) -> NotificationPreference:
    """The user's channel preference; an unsaved default until they first save the settings page."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


# What the pass and the outbox read of an account told (its activity, addresses and the name the e-mail greets):
# providers load recipients with ``only(*RECIPIENT_FIELDS)`` (prefixed by their relation), not the whole account.
RECIPIENT_FIELDS = ("username", "real_name", "first_name", "last_name", "email", "mobile", "is_active")
# An account told, as the pass's providers load it from rows (``loading.Shape``): what ``only`` would give.
RECIPIENT = Shape(User, ("id", *RECIPIENT_FIELDS))
# A role held, with its holder's account (the holders of a batch's units and townships: hundreds a batch).
_GRANT = Shape(RoleAssignment, ("id", "role", "handling_unit", "township", "user"), related=(("user", RECIPIENT),))


@dataclass(frozen=True)
class RoleHolders:
    """Who holds a role where, for a batch: unit id → its liaisons, township id → its staff (by user id)."""

    liaisons: dict[int, list[User]]
    staff: dict[int, list[User]]


def liaisons_and_staff(*, unit_ids: Iterable[int], township_ids: Iterable[int]) -> RoleHolders:
    """The active liaisons of ``unit_ids`` and presidium staff of ``township_ids``, in one query.

    For providers' ``prefetch``: one query whether the batch names units, townships or both (none: no query).
    """
    unit_ids, township_ids = sorted(set(unit_ids) - {None}), sorted(set(township_ids) - {None})
    holders = RoleHolders(liaisons={}, staff={})
    if not unit_ids and not township_ids:
        return holders
    # One assignment per (user, role, scope) (a unique constraint): no duplicates to drop.
    wanted = Q(role=Role.UNIT_LIAISON, handling_unit_id__any=unit_ids) | Q(role=Role.PRESIDIUM_STAFF,
                                                                           township_id__any=township_ids)
    # Read as rows (``select_related("user").only(...)`` gives the same instances at about four times the CPU).
    for grant in _GRANT.load(RoleAssignment.objects.filter(wanted, user__is_active=True).order_by("user_id")):
        if grant.role == Role.UNIT_LIAISON:
            holders.liaisons.setdefault(grant.handling_unit_id, []).append(grant.user)
        else:
            holders.staff.setdefault(grant.township_id, []).append(grant.user)
    return holders
