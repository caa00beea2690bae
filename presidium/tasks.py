"""Celery tasks of the floor itself (the notifications and documents packages have their own)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from presidium.snapshots import figures_snapshots_refresh_all


@shared_task(name="presidium.refresh_figures_snapshots", autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=30, max_retries=3)
def refresh_figures_snapshots() -> int:
    """Recompute every county's and township's figures snapshots (presidium.snapshots); a missed or doubled run
    is harmless."""
    return figures_snapshots_refresh_all()
