"""Demo data of the petitions app (filled in once the core services land)."""

from __future__ import annotations


def seed_petitions(*, scale: int = 1, stdout=None) -> None:
    return None
