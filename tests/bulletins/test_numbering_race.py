"""Two clerks signing off at the same moment on PostgreSQL get consecutive numbers (the series and its year
counter are locked while a number is given). SQLite refuses a second writer instead of waiting, so this runs
with the ``stack`` marker; ``test_numbering.py`` covers the numbering one step at a time."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from presidium.bulletins import services
from tests.factories import BulletinIssueFactory, BulletinSeriesFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
TIMEOUT = 20


@pytest.fixture(autouse=True)
def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (the database is {connection.vendor}); run through .ci/run "
                    "or leave out with -m 'not stack'", pytrace=False)


def test_it_gives_concurrent_sign_offs_distinct_consecutive_numbers():
    series = BulletinSeriesFactory(first_overall_number=660)
    issues = [BulletinIssueFactory(series=series, issue_date=dt.date(2026, 5, 30)) for _ in range(4)]
    start = threading.Barrier(len(issues))
    results, errors = [], []

    def sign(issue):
        try:
            start.wait(TIMEOUT)
            signed = services.issue_sign_off(issue=issue, by=None)
            results.append((signed.number, signed.overall_number))
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(issue,)) for issue in issues]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not errors and sorted(results) == [(1, 660), (2, 661), (3, 662), (4, 663)]
