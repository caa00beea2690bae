"""Figures snapshots (统计快照): a county's figures of the year, computed every few minutes, read by its home page.

Why: a county's year is 6,000 suggestions and 12,000 petitions with 30,000 clocks (docs/performance.md). Their
figures cannot be aggregated on every view of the county's home page within the page budget, while a township's
can. So an app registers what its county block shows (:func:`register_figures_snapshot`: a function of the
townships, the year and the day that returns JSON, computed by the same selectors as the live block); Celery beat
recomputes every county's snapshots every 10 minutes (``presidium.refresh_figures_snapshots``, or ``manage.py
refresh_figures_snapshots`` from cron), and the block says when they were counted ("统计截至 HH:MM").

A snapshot older than :data:`MAX_AGE`, or of another day, is recomputed when read, so the page is never older
than that even when beat is not running. Counts that ask someone to act now (the home page's 待办 cards) are never
snapshots: they stay live and exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from presidium.access import action_roles, scope_of
from presidium.choices import COUNTY_ROLES
from presidium.models import County, FiguresSnapshot, Township

REFRESH_EVERY = dt.timedelta(minutes=10)  # the beat schedule's period (config/celery.py)
MAX_AGE = 2 * REFRESH_EVERY  # a snapshot older than this is recomputed on reading (beat stopped, or late)

Compute = Callable[..., dict]
_PROVIDERS: dict[str, Compute] = {}


def register_figures_snapshot(kind: str, compute: Compute) -> None:
    """``compute(*, township_ids: list[int], year: int, today: date) -> dict`` (JSON): the figures of ``kind``
    over those townships, as the county's roles see them."""
    _PROVIDERS[kind] = compute


def snapshot_kinds() -> list[str]:
    return sorted(_PROVIDERS)


def snapshot_county(user, action: str) -> int | None:
    """The county whose snapshot ``user`` reads for a block of ``action``: a user whose only roles are county roles
    in one county sees exactly that county's townships (as the snapshot counts them); anyone else gets None and
    the block computes live (a township is small)."""
    scope = scope_of(user)
    if scope.is_superuser or not scope.roles or not scope.roles <= COUNTY_ROLES:
        return None
    counties = scope.county_ids(action_roles(action))
    return next(iter(counties)) if len(counties) == 1 else None


def figures_snapshot_refresh(*, kind: str, county_id: int, year: int, today: dt.date | None = None) -> FiguresSnapshot:
    """Recompute one snapshot from the live selectors and store it (the system's work: no user)."""
    compute = _PROVIDERS[kind]
    today = today or timezone.localdate()
    township_ids = sorted(Township.objects.filter(county_id=county_id).values_list("pk", flat=True))
    data = compute(township_ids=township_ids, year=year, today=today)
    values = {"data": data, "computed_at": timezone.now()}
    try:
        with transaction.atomic():
            snapshot, _created = FiguresSnapshot.objects.update_or_create(
                kind=kind, county_id=county_id, year=year, defaults=values)
    except IntegrityError:  # another worker created it at the same moment: write over theirs
        with transaction.atomic():
            snapshot = FiguresSnapshot.objects.select_for_update().get(kind=kind, county_id=county_id, year=year)
            snapshot.data, snapshot.computed_at = values["data"], values["computed_at"]
            snapshot.save(update_fields=["data", "computed_at"])
    return snapshot


def figures_snapshots_refresh_all(*, today: dt.date | None = None) -> int:
    """Every registered snapshot of every county for the current year (beat's pass); returns how many."""
    today = today or timezone.localdate()
    done = 0
    for county_id in County.objects.order_by("pk").values_list("pk", flat=True):
        for kind in snapshot_kinds():
            figures_snapshot_refresh(kind=kind, county_id=county_id, year=today.year, today=today)
            done += 1
    return done


def figures_snapshot(kind: str, county_id: int, year: int) -> FiguresSnapshot:
    """The stored snapshot (one query), recomputed first when missing, older than :data:`MAX_AGE` or of an
    earlier day (its overdue counts are "as of today")."""
    found = FiguresSnapshot.objects.filter(kind=kind, county_id=county_id, year=year).first()
    now = timezone.now()
    if (found is None or found.computed_at < now - MAX_AGE
            or timezone.localdate(found.computed_at) != timezone.localdate(now)):
        found = figures_snapshot_refresh(kind=kind, county_id=county_id, year=year)
    return found
