"""What the notifications app adds to the floor: the unread badge in every page's frame, demo data."""

from __future__ import annotations

from presidium.registry import register_demo_step
from presidium.shell import register_shell_context


def unread_notifications_context(request) -> dict:
    """The navigation's bell badge: one COUNT over the partial index of unread rows."""
    from presidium.notifications.selectors import unread_count

    return {"unread_notifications": unread_count(request.user)}


def register() -> None:
    from presidium.notifications.demo import seed_notifications

    register_shell_context(unread_notifications_context)
    register_demo_step("notifications", seed_notifications, order=5)
