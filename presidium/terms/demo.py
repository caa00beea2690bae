"""Demo: 柳河乡 has opened its 第十九届 with the steps half done (not switched yet)."""

from __future__ import annotations


def seed_change_of_term(*, stdout=None, **kwargs) -> None:
    return None
