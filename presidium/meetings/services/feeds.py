"""The per-user calendar feed address: made on first use, renewed on request (the old address stops working)."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from presidium.meetings.models import CalendarFeed


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_get_or_create(*, user, by) -> CalendarFeed:
    """The user's feed (created on first use). Only the user themself."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={
            "token": _new_token(), "created_at": timezone.now()})
    return feed


def calendar_feed_renew(*, user, by) -> CalendarFeed:
    """重新生成订阅地址: a new secret; whoever had the old address reads nothing more."""
    if by is None or by.pk != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return CalendarFeed.objects.create(user=user, token=_new_token(), created_at=timezone.now())
        feed.token, feed.created_at, feed.last_fetched_at = _new_token(), timezone.now(), None
        feed.full_clean()
        feed.save(update_fields=["token", "created_at", "last_fetched_at"])
    return feed


def calendar_feed_fetched(*, feed: CalendarFeed) -> None:
    """Note when a calendar app last read the feed (shown to the user; at most once a minute written)."""
    now = timezone.now()
    if feed.last_fetched_at is None or (now - feed.last_fetched_at).total_seconds() > 60:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=now)
