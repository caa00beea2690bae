"""Personal data at rest: deputies' ID numbers are stored encrypted, read back plain, and keys can rotate."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from deputies.models import Deputy
from deputies.pii import id_number_digest
from presidium.crypto import PREFIX, derived_key
from tests.factories import DeputyFactory

pytestmark = pytest.mark.django_db
NUMBER = "11010519491231002X"
KEY_1 = derived_key("first test key")
KEY_2 = derived_key("second test key")


def _stored(deputy) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM deputies_deputy WHERE id = %s", [deputy.pk])
        return cursor.fetchone()[0]


def _write_raw(deputy, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE deputies_deputy SET id_number = %s WHERE id = %s", [value, deputy.pk])


def test_it_stores_a_token_and_reads_back_the_number_and_finds_it_by_its_digest(world, settings):
    settings.PII_ENCRYPTION_KEYS = [KEY_1]
    deputy = DeputyFactory(township=world.township, id_number=NUMBER, gender="female",
                           birth_date=dt.date(1949, 12, 31))
    stored = _stored(deputy)
    assert stored.startswith(PREFIX) and NUMBER not in stored
    assert Deputy.objects.get(pk=deputy.pk).id_number == NUMBER
    assert Deputy.objects.get(id_number_digest=id_number_digest(NUMBER)).pk == deputy.pk
    Deputy.objects.filter(pk=deputy.pk).update(id_number=NUMBER)
    assert _stored(deputy) != stored  # a fresh token each write: equal numbers are not visible as equal rows


def test_it_refuses_to_read_a_token_whose_key_is_gone_instead_of_showing_a_wrong_value(world, settings):
    settings.PII_ENCRYPTION_KEYS = [KEY_1]
    deputy = DeputyFactory(township=world.township, id_number=NUMBER, gender="female", birth_date=dt.date(1949, 12, 31))
    settings.PII_ENCRYPTION_KEYS = [KEY_2]
    with pytest.raises(ImproperlyConfigured, match="PII_ENCRYPTION_KEYS"):
        Deputy.objects.get(pk=deputy.pk)


def test_it_rotates_to_a_new_key_and_then_reads_without_the_old_one(world, settings):
    settings.PII_ENCRYPTION_KEYS = [KEY_1]
    deputy = DeputyFactory(township=world.township, id_number=NUMBER, gender="female", birth_date=dt.date(1949, 12, 31))
    other = DeputyFactory(township=world.township)  # no ID number: nothing to rotate
    before = _stored(deputy)
    settings.PII_ENCRYPTION_KEYS = [KEY_2, KEY_1]
    out = StringIO()
    call_command("rotate_pii_keys", stdout=out)
    assert "重新加密 1 名代表" in out.getvalue()
    assert _stored(deputy) != before and _stored(other) == ""
    settings.PII_ENCRYPTION_KEYS = [KEY_2]
    assert Deputy.objects.get(pk=deputy.pk).id_number == NUMBER


def test_it_encrypts_numbers_written_before_encryption_when_the_migration_runs(world, settings):
    settings.PII_ENCRYPTION_KEYS = [KEY_1]
    deputy = DeputyFactory(township=world.township)
    _write_raw(deputy, NUMBER)  # as the column held it before the migration
    assert Deputy.objects.get(pk=deputy.pk).id_number == NUMBER  # plain values read back as they are
    migration = importlib.import_module("deputies.migrations.0002_encrypt_id_numbers")
    migration.encrypt_existing(apps, None)
    assert _stored(deputy).startswith(PREFIX)
    assert Deputy.objects.get(pk=deputy.pk).id_number == NUMBER


def test_it_still_validates_the_plain_number_in_forms(world, settings):
    from deputies.forms import DeputyForm
    from presidium.models import Township

    field = DeputyForm(townships=Township.objects.all()).fields["id_number"]
    assert field.max_length == 18 and field.widget.input_type == "text"
