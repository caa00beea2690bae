"""Reads with a rule in them: a user sees only their own notifications, unread first."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from presidium.models import User
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
