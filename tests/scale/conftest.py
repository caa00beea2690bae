"""The builders' tests look at a year that is mostly over: 3 December of the clock's own year.

They check that this year is mixed (open, overdue, some answered) and that the yearly volumes are there.
On 15 March (the suite's run with the clock in 2027) the year has barely begun and holds too little to
say either. The year stays the clock's, so a year the holiday calendar does not know is still the one built.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone


@pytest.fixture(autouse=True)
def late_in_the_year():
    year = timezone.localdate().year
    with time_machine.travel(dt.datetime(year, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield
