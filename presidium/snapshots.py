"""Figures snapshots (统计快照): a county's or a township's figures of the year, computed every few minutes, read by
its home page.

Why: a county's year is 6,000 suggestions and 12,000 petitions with 30,000 clocks (docs/performance.md). Their
figures cannot be aggregated on every view of the county's home page within the page budget, and a township's
charts were most of its staff's and chair's home pages. So an app registers what its block shows
(:func:`register_figures_snapshot`: a function of the townships, the year and the day that returns JSON,
computed by the same selectors as the live block); Celery beat recomputes every county's and every township's
snapshots every 10 minutes (``presidium.refresh_figures_snapshots``, or ``manage.py refresh_figures_snapshots``
from cron), and the block says when they were counted ("统计截至 HH:MM"). :func:`snapshot_scope` is the one place
that decides whether a user's block reads a snapshot (and whose) or is computed live.

A snapshot older than :data:`MAX_AGE`, or of another day, is recomputed when read, so the page is never older
than that even when beat is not running. Counts that ask someone to act now (the home page's 待办 cards) are never
snapshots: they stay live and exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from presidium.access import STAFF_ROLES, action_roles, scope_of
from presidium.choices import COUNTY_ROLES
from presidium.models import County, FiguresSnapshot, Township

REFRESH_EVERY = dt.timedelta(minutes=10)  # the beat schedule's period (config/celery.py)
MAX_AGE = 2 * REFRESH_EVERY  # a snapshot older than this is recomputed on reading (beat stopped, or late)

Compute = Callable[..., dict]
_PROVIDERS: dict[str, Compute] = {}
_COUNTY_ONLY: set[str] = set()


def register_figures_snapshot(kind: str, compute: Compute, *, townships: bool = True) -> None:
    """``compute(*, township_ids: list[int], year: int, today: date, whole_county: bool) -> dict`` (JSON): the
    figures of ``kind`` over those townships, as the county's roles see them (``whole_county``) or, for one
    township's snapshot, as that township's staff and chair see them. ``townships=False``: for counties only (a
    county-wide page's figures)."""
    _PROVIDERS[kind] = compute
    if not townships:
        _COUNTY_ONLY.add(kind)


def snapshot_kinds(*, townships: bool = False) -> list[str]:
    """The registered kinds; with ``townships``, those also kept for each township."""
    return sorted(kind for kind in _PROVIDERS if not (townships and kind in _COUNTY_ONLY))


@dataclass(frozen=True)
class SnapshotScope:
    """Whose snapshot a block reads: a county's (``township_id`` None) or one township's."""

    county_id: int | None  # None for a township's: its county is looked up only when it is (re)computed
    township_id: int | None = None


def snapshot_scope(user, action: str) -> SnapshotScope | None:
    """The snapshot ``user`` reads for a block of ``action``, or None: the block computes live.

    * a user whose only roles are county roles in one county: that county's (exactly its townships, as the
      snapshot counts them);
    * a user whose roles for ``action`` are the staff's or the chair's in one township and nowhere else: that
      township's. Their other roles there (a deputy's, a liaison's) show them nothing the staff's do not, but
      their own unsubmitted drafts, which no figure counts;
    * anyone else (a superuser, several townships that are not a whole county, mixed county and township roles):
      None."""
    scope = scope_of(user)
    if scope.is_superuser or not scope.roles:
        return None
    roles = action_roles(action)
    counties = scope.county_ids(roles)
    if scope.roles <= COUNTY_ROLES:
        return SnapshotScope(next(iter(counties))) if len(counties) == 1 else None
    townships = scope.township_ids(roles)
    acting = {grant.role for grant in scope.grants if grant.role in roles}
    if counties or len(townships) != 1 or not acting <= STAFF_ROLES:
        return None
    return SnapshotScope(None, next(iter(townships)))


def snapshot_county(user, action: str) -> int | None:
    """The county whose snapshot ``user`` reads for a county-wide page of ``action`` (:func:`snapshot_scope`)."""
    found = snapshot_scope(user, action)
    return found.county_id if found is not None and found.township_id is None else None


def figures_snapshot_refresh(*, kind: str, county_id: int | None, year: int, today: dt.date | None = None,
                             township_id: int | None = None) -> FiguresSnapshot:
    """Recompute one snapshot (a county's, or with ``township_id`` that township's) from the live selectors and
    store it (the system's work: no user)."""
    compute = _PROVIDERS[kind]
    today = today or timezone.localdate()
    if township_id is None:
        township_ids = sorted(Township.objects.filter(county_id=county_id).values_list("pk", flat=True))
    else:
        township_ids = [township_id]
        county_id = Township.objects.values_list("county_id", flat=True).get(pk=township_id)
    data = compute(township_ids=township_ids, year=year, today=today, whole_county=township_id is None)
    values = {"data": data, "computed_at": timezone.now(), "county_id": county_id}
    key = {"kind": kind, "township_id": township_id, "year": year}
    if township_id is None:
        key["county_id"] = county_id
    try:
        with transaction.atomic():
            snapshot, _created = FiguresSnapshot.objects.update_or_create(**key, defaults=values)
    except IntegrityError:  # another worker created it at the same moment: write over theirs
        with transaction.atomic():
            snapshot = FiguresSnapshot.objects.select_for_update().get(**key)
            snapshot.data, snapshot.computed_at = values["data"], values["computed_at"]
            snapshot.save(update_fields=["data", "computed_at"])
    return snapshot


def figures_snapshots_refresh_all(*, today: dt.date | None = None) -> int:
    """Every registered snapshot of every county and every township for the current year (beat's pass); returns
    how many."""
    today = today or timezone.localdate()
    done = 0
    for county_id in County.objects.order_by("pk").values_list("pk", flat=True):
        for kind in snapshot_kinds():
            figures_snapshot_refresh(kind=kind, county_id=county_id, year=today.year, today=today)
            done += 1
    for township_id, county_id in Township.objects.order_by("pk").values_list("pk", "county_id"):
        for kind in snapshot_kinds(townships=True):
            figures_snapshot_refresh(kind=kind, county_id=county_id, township_id=township_id, year=today.year,
                                     today=today)
            done += 1
    return done


def figures_snapshot(kind: str, county_id: int | None, year: int, *, township_id: int | None = None,
                     data: bool = True) -> FiguresSnapshot:
    """The stored snapshot of a county (or, with ``township_id``, of that township) in one query, recomputed first
    when missing, older than :data:`MAX_AGE` or of an earlier day (its overdue counts are "as of today").

    ``data=False`` leaves its JSON unread until it is first used (one more query then): for a reader whose HTML
    is kept by :func:`snapshot_html` and needs the JSON only when it renders it."""
    snapshots = FiguresSnapshot.objects if data else FiguresSnapshot.objects.defer("data")
    if township_id is None:
        found = snapshots.filter(kind=kind, county_id=county_id, township=None, year=year).first()
    else:
        found = snapshots.filter(kind=kind, township_id=township_id, year=year).first()
    now = timezone.now()
    if (found is None or found.computed_at < now - MAX_AGE
            or timezone.localdate(found.computed_at) != timezone.localdate(now)):
        found = figures_snapshot_refresh(kind=kind, county_id=county_id, township_id=township_id, year=year)
    return found


def scope_snapshot(kind: str, scope: SnapshotScope, year: int) -> FiguresSnapshot:
    """The snapshot of ``kind`` that :func:`snapshot_scope` chose."""
    return figures_snapshot(kind, scope.county_id, year, township_id=scope.township_id)


def snapshot_html(snapshot: FiguresSnapshot, name: str, render: Callable[[], str]) -> str:
    """The HTML ``render()`` writes from ``snapshot``, rendered once per snapshot, block and language.

    A block drawn from a snapshot (the home pages' charts and rates) is the same for everyone who reads that
    snapshot, until it is recomputed: the key holds the snapshot's row and the time it was counted, so a recomputed
    snapshot is a new key and the old HTML is never shown. Kept in the default cache (each process's own memory
    unless ``CACHES`` says otherwise) for :data:`MAX_AGE`, after which the snapshot is stale anyway. ``name`` says
    which block, and anything else its HTML depends on."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    key = f"snapshot-html:{snapshot.pk}:{snapshot.computed_at.timestamp()}:{name}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, MAX_AGE.total_seconds())
    return html
