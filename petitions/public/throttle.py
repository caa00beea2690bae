"""Rate limits of the public pages (网上信访, 信访查询), kept in the database.

Why the database and not the cache: ``settings.CACHES`` is not set, so Django's cache is the
per-process local-memory cache — with two gunicorn workers each would count on its own (a limit of 5
becomes 10) and a restart would forget everything. Redis is there only as Celery's broker, and not at
all on sites without it. The database is shared by every worker on every site, so a limit holds
however many processes serve the page.

Each limit counts hits per key in fixed windows (``window`` long, aligned to the epoch). One row per
(limit, key digest, window) with a unique constraint; a hit is one conditional ``UPDATE … SET hits =
hits + 1`` (atomic in the database, so two workers never lose a count), and the first hit of a window
inserts the row (a racing insert falls back to the update). Keys are stored as keyed HMAC digests:
the table never holds an address, a phone number or a registration number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from petitions.public.models import ThrottleCount

KEEP = dt.timedelta(days=1)  # rows are kept this long past their window, then deleted


@dataclass(frozen=True)
class Limit:
    """At most ``max_hits`` per key in each ``window``."""

    scope: str
    max_hits: int
    window: dt.timedelta


# 网上信访: a person files a few matters at most; a script files hundreds.
ONLINE_PER_ADDRESS = Limit("online_address", 5, dt.timedelta(hours=1))
ONLINE_PER_MOBILE = Limit("online_mobile", 3, dt.timedelta(days=1))
# 信访查询: only wrong answers count (a petitioner checking the case every day is welcome).
LOOKUP_PER_ADDRESS = Limit("lookup_address", 10, dt.timedelta(hours=1))
LOOKUP_PER_NUMBER = Limit("lookup_number", 5, dt.timedelta(hours=1))


def _digest(limit: Limit, key: str) -> str:
    secret = hashlib.sha256(("petitions.public.throttle:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(secret, f"{limit.scope}\x00{key}".encode(), hashlib.sha256).hexdigest()


def window_start(limit: Limit, now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    seconds = int(limit.window.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def hits(limit: Limit, key: str, *, now: dt.datetime | None = None) -> int:
    """How often ``key`` used ``limit`` in the current window."""
    row = ThrottleCount.objects.filter(scope=limit.scope, key_digest=_digest(limit, key),
                                       window_start=window_start(limit, now)).values_list("hits", flat=True).first()
    return row or 0


def exceeded(limit: Limit, key: str, *, now: dt.datetime | None = None) -> bool:
    """Whether ``key`` has used up ``limit`` in this window (reads only)."""
    return bool(key) and hits(limit, key, now=now) >= limit.max_hits


def hit(limit: Limit, key: str, *, now: dt.datetime | None = None) -> bool:
    """Count one use of ``limit`` by ``key``; True while it is within the limit (this use included).

    Runs in its own transaction (savepoint inside an outer one), so the count stays even when what
    follows fails.
    """
    if not key:
        return True
    start = window_start(limit, now)
    rows = ThrottleCount.objects.filter(scope=limit.scope, key_digest=_digest(limit, key), window_start=start)
    with transaction.atomic():
        if not rows.update(hits=F("hits") + 1):
            try:
                with transaction.atomic():
                    ThrottleCount.objects.create(scope=limit.scope, key_digest=_digest(limit, key),
                                                 window_start=start, hits=1)
            except IntegrityError:  # another worker opened the window a moment ago
                rows.update(hits=F("hits") + 1)
            else:
                # A new window opened: forget windows long past (cheap, indexed, at most once per window).
                ThrottleCount.objects.filter(scope=limit.scope,
                                             window_start__lt=start - limit.window - KEEP).delete()
        count = rows.values_list("hits", flat=True).first() or 0
    return count <= limit.max_hits


def client_address(request) -> str:
    """The client's address as the login lockout sees it (django-axes, with the configured proxy count)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or ""


def wait_text(limit: Limit) -> str:
    """When to come back, for the calm message (the window may just have begun)."""
    from django.utils.translation import gettext as _

    return _("一小时后") if limit.window <= dt.timedelta(hours=1) else _("二十四小时后")
