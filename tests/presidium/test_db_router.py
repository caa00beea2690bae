"""Replica routing (issue 12): inside ``presidium.db.reporting()`` reads go to the reporting database
(the replica when ``DATABASE_REPLICA_URL`` is set), everything else and every write to ``default``.

The test settings add a ``replica`` alias that is a TEST MIRROR of ``default`` (config/settings.py):
a second connection to the same test database, so what runs on which connection can be counted.
The tests commit (``transaction=True``) so that the mirror connection sees the rows.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.db_router import ReplicaRouter
from presidium.choices import Role
from presidium.db import in_reporting_scope, reporting
from presidium.models import HandlingUnit, Township
from tests.factories import HandlingUnitFactory

both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def replica(settings):
    settings.REPORTING_DATABASE = "replica"
    return "replica"


def _sql(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def _writes(statements) -> list[str]:
    return [sql for sql in statements if sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


@both_databases
def test_it_reads_a_list_export_from_the_replica(world, login, replica):
    HandlingUnitFactory(township=world.township, name="水利站")
    client = login(world.user(Role.PRESIDIUM_STAFF))
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as mirror:
        response = client.get(reverse("presidium:unit_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert any("presidium_handlingunit" in sql for sql in _sql(mirror)), _sql(mirror)
    assert not _writes(_sql(mirror))
    # the session, the user and the row count that decides between a download and a job stay on the primary
    assert any("django_session" in sql for sql in _sql(primary))


@both_databases
def test_it_reads_an_ordinary_page_from_the_primary(world, login, replica):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as mirror:
        response = client.get(reverse("presidium:unit_list"))
    assert response.status_code == 200
    assert _sql(mirror) == []
    assert any("presidium_handlingunit" in sql for sql in _sql(primary))


@both_databases
def test_it_reads_the_county_report_from_the_replica(world, login, replica):
    client = login(world.user(Role.COUNTY_ADMIN))
    with CaptureQueriesContext(connections["replica"]) as mirror:
        response = client.get(reverse("proposals:county_report"))
    assert response.status_code == 200
    assert any("proposals_suggestion" in sql for sql in _sql(mirror))
    assert not _writes(_sql(mirror))


@both_databases
def test_it_never_routes_a_write_to_the_replica(world, replica):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as mirror, reporting():
        unit = HandlingUnit.objects.create(township=Township.objects.get(pk=world.township.pk), name="新单位")
        HandlingUnit.objects.filter(pk=unit.pk).update(name="改名单位")
        unit.delete()
    assert len(_writes(_sql(primary))) >= 3
    assert not _writes(_sql(mirror))
    assert any("presidium_township" in sql for sql in _sql(mirror))  # the read inside the scope
    router = ReplicaRouter()
    with reporting():
        assert router.db_for_write(HandlingUnit) == "default"
        assert router.db_for_read(HandlingUnit) == "replica"
    assert router.db_for_read(HandlingUnit) is None
    assert router.allow_migrate("replica", "presidium") is False and router.allow_migrate("default", "presidium")


@both_databases
def test_it_reads_everything_from_default_without_a_replica(world, login, settings):
    settings.REPORTING_DATABASE = "default"  # what settings.py says when DATABASE_REPLICA_URL is unset
    client = login(world.user(Role.PRESIDIUM_STAFF))
    with CaptureQueriesContext(connections["replica"]) as mirror:
        response = client.get(reverse("presidium:unit_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert _sql(mirror) == []


def test_it_ends_the_scope_even_when_the_block_raises():
    with pytest.raises(RuntimeError), reporting():
        assert in_reporting_scope()
        raise RuntimeError
    assert not in_reporting_scope()


def _settings_with(env: dict) -> str:
    code = ("import config.settings as s; print(sorted(s.DATABASES), s.REPORTING_DATABASE, "
            "s.DATABASES.get('replica', {}).get('HOST'), s.DATABASE_ROUTERS)")
    base = {"PATH": "/usr/bin:/bin", "PORTAL_VAR_DIR": "/tmp/portal-settings-test",
            "DATABASE_URL": "postgres://p:p@10.0.0.11:5432/presidium"}
    result = subprocess.run([sys.executable, "-c", code], env=base | env, capture_output=True, text=True,
                            check=False)
    return result.stdout.strip() + result.stderr


def test_it_adds_the_replica_alias_only_when_a_replica_url_is_set():
    with_replica = _settings_with({"DATABASE_REPLICA_URL": "postgres://ro:ro@10.0.0.12:5432/presidium"})
    assert with_replica == "['default', 'replica'] replica 10.0.0.12 ['config.db_router.ReplicaRouter']"
    assert _settings_with({}) == "['default'] default None ['config.db_router.ReplicaRouter']"
    assert "DATABASE_REPLICA_URL must start with one of" in _settings_with({"DATABASE_REPLICA_URL": "sqlite:///x"})
