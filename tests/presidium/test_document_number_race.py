"""发文字号 under real concurrency on PostgreSQL: clerks printing at the same moment never share a number.

SQLite refuses a second writer in the test database instead of waiting, so this runs with the ``stack``
marker against PostgreSQL; ``test_official_documents.py`` covers the numbering one step at a time.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from presidium.documents import services
from tests.factories import HandlingUnitFactory, TownshipFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db(transaction=True)]
TIMEOUT = 20


@pytest.fixture(autouse=True)
def _require_postgres():
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (the database is {connection.vendor}); run through .ci/run "
                    "or leave out with -m 'not stack'", pytrace=False)


def test_it_gives_concurrent_issuers_consecutive_distinct_numbers():
    """The sequence row is locked while a number is taken: four letters at once get 1, 2, 3 and 4."""
    township = TownshipFactory(name="并发镇")
    units = [HandlingUnitFactory(township=township) for _ in range(4)]
    start = threading.Barrier(len(units))
    results, errors = [], []

    def issue(unit):
        try:
            start.wait(TIMEOUT)
            results.append(services.document_number_issue(township=township, kind="test.letter", subject=unit,
                                                          year=2026, by=None).number)
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(unit,)) for unit in units]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not errors and sorted(results) == [1, 2, 3, 4]
