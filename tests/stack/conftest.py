"""Stack tests run against the real services: PostgreSQL, Redis and a Celery worker process.

They are marked ``stack`` and run by ``.ci/run``, which starts throwaway PostgreSQL and Redis and
sets ``DATABASE_URL`` and ``REDIS_URL``. Run without them they fail loudly instead of skipping, so
a CI job that forgot to set the stack up cannot pass green; ``make test`` deselects the marker.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection


def stack_problems() -> list[str]:
    problems = []
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        problems.append(f"the database is {connection.vendor}, not PostgreSQL (set DATABASE_URL=postgres://...)")
    return problems


@pytest.fixture(autouse=True)
def _require_the_real_stack():
    problems = stack_problems()
    if problems:
        pytest.fail("stack tests need the real stack: " + "; ".join(problems)
                    + ". Run them through .ci/run, or leave them out with -m 'not stack'.", pytrace=False)
