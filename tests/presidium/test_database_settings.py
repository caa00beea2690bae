"""Database connection settings that matter for speed at county scale."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compilation cost 200 ms of a 245 ms home-page count query on a county (docs/performance.md): the
    portal's PostgreSQL connections turn it off; SQLite gets no such option (it would refuse it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    else:
        assert "options" not in connection.settings_dict.get("OPTIONS", {})
