"""The arithmetic of tracked results (Decidim accountability): a parent's progress from its parts, satisfaction.

A parent project's progress is the **budget-weighted** mean of its parts' progress (a part of 80 万元
counts four times one of 20 万元), because the budget is what the deputies voted for; when any part has
no budget (0 or missing) the parts count **equally** instead, so a part is never silently weightless.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal


def parent_progress(parts: Iterable[tuple[Decimal | None, int]]) -> int | None:
    """Progress (0–100) of a parent from its parts' ``(budget, progress)``; None when it has no parts."""
    parts = list(parts)
    if not parts:
        return None
    if all(budget is not None and budget > 0 for budget, _ in parts):
        total = sum((Decimal(budget) for budget, _ in parts), Decimal(0))
        weighted = sum((Decimal(budget) * progress for budget, progress in parts), Decimal(0)) / total
    else:
        weighted = Decimal(sum(progress for _, progress in parts)) / len(parts)
    return int(weighted.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def weighting_of(parts: Sequence[tuple[Decimal | None, int]]) -> str:
    """"budget" or "equal": how :func:`parent_progress` weighs these parts (shown on the page)."""
    return "budget" if parts and all(b is not None and b > 0 for b, _ in parts) else "equal"


def satisfaction_rate(satisfied: int, basically: int, unsatisfied: int) -> int | None:
    """满意率 in whole per cent: (满意 + 基本满意) / all answers; None when nobody answered."""
    total = satisfied + basically + unsatisfied
    if not total:
        return None
    return int((Decimal(satisfied + basically) * 100 / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
