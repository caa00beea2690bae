"""The county's 办理统计 page as it opens (this year, every township) from a figures snapshot (presidium.snapshots).

A county's year is ~6,000 items over ~750 lead units: the page's figures were five aggregates over the year's rows
(the units, the totals, the townships, the months, the unsatisfied ratings), 55-75 ms of SQL a view. The snapshot
holds exactly what the page shows, computed by the same selectors as the live page; any other view (a township,
another year) and the Excel export stay live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import NamedTuple

from proposals.selectors.figures import (
    Rates,
    UnitRow,
    _named_unit,
    county_visible,
    in_period,
    monthly_intake,
    rates,
    rates_by_township,
    rates_from_json,
    rates_json,
    unit_rows,
)

FIGURES_SNAPSHOT = "proposals.figures"  # a county's figures page (county only: register_figures_snapshot)


def figures_snapshot_data(*, township_ids, year: int, today: dt.date, whole_county: bool = True) -> dict:
    """The figures page of ``year`` over ``township_ids`` as the county's roles see it, as JSON (read back by
    :func:`figures_from_json`)."""
    items = in_period(county_visible(township_ids), dt.date(year, 1, 1), dt.date(year, 12, 31))
    figures = rates(items, today=today)
    return {
        "figures": rates_json(figures), "by_kind": figures.by_kind,
        "units": [[row.unit.pk, row.unit.name, row.unit.township_id, row.unit.township.name, _counts(row.rates),
                   row.unsatisfied, row.flagged] for row in unit_rows(items, township_ids=township_ids, year=year,
                                                                      today=today)],
        "townships": [[township.pk, _counts(row)] for township, row in rates_by_township(items, today=today)],
        "intake": monthly_intake(items, year),
    }


def _counts(row: Rates) -> dict:
    counts = asdict(row)
    del counts["by_status"]  # the per-unit and per-township rows have none
    return counts


class FiguresPage(NamedTuple):
    figures: Rates
    unit_rows: list[UnitRow]
    township_rows: list[tuple[object, Rates]]
    intake: list[int]


def figures_from_json(data: dict, townships) -> FiguresPage:
    """The page's figures from :func:`figures_snapshot_data`, the township rows with the objects of ``townships``
    (those the reader sees)."""
    figures = rates_from_json(data["figures"])
    figures.by_kind = data["by_kind"]
    by_pk = {township.pk: township for township in townships}
    return FiguresPage(
        figures,
        [UnitRow(_named_unit(pk, name, township_id, township_name), Rates(**counts), unsatisfied, flagged)
         for pk, name, township_id, township_name, counts, unsatisfied, flagged in data["units"]],
        [(by_pk[pk], Rates(**counts)) for pk, counts in data["townships"] if pk in by_pk],
        list(data["intake"]),
    )
