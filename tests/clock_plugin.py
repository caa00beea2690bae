"""``pytest --clock 2027-03-15``: run the whole suite with the clock moved to that day (time-machine).

DEVELOPERS.md asks every change to be tried "with the clock moved into a year the holiday calendar does
not know": chinesecalendar stops at 2026, so code that asks it about today, or a test that assumes the
current year is confirmed, breaks only then. The clock keeps ticking from the given moment (Asia/Shanghai
09:30 unless a time is given), so timeouts and ordering by time behave as in real life.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="YYYY-MM-DD[THH:MM]",
        default=None,
        help="move the clock to this Asia/Shanghai moment for the whole run (time-machine)",
    )


def _parse(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value if "T" in value else f"{value}T09:30")
    except ValueError as exc:
        raise pytest.UsageError(f"--clock: {value!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM") from exc
    return moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")) if moment.tzinfo is None else moment


def pytest_configure(config):
    value = config.getoption("--clock")
    if not value:
        return
    import time_machine

    traveller = time_machine.travel(_parse(value), tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    value = config.getoption("--clock")
    return f"clock moved to {_parse(value).isoformat()} (time-machine)" if value else None
