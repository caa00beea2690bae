"""The rows of the lists' select options, and the lists' filter cards, kept per process under the stamp of the tables
they come from.

A county filter form lists its 20 townships and 21 terms, ~1,100 groups, stations and constituencies, or 800
handling units and 400 categories: queries on every request for rows that change a few times a term. The database
keeps a stamp of those tables (:class:`presidium.models.ChoicesStamp`), written by a trigger in the same
transaction as any write to them, whatever makes it (a service, the admin, an import, ``QuerySet.update()``, raw
SQL). A request reads the stamp once (one query on a one-row table); a process keeps the rows it read under (what
was read, the stamp), so the same stamp means the same rows.

Why that is exact: the stamp is read before the rows, so rows kept under a stamp are at least as new as it; a write
that commits makes a new stamp visible together with its rows; a stamp written by a transaction that rolls back is a
random number no one reads again. Without a stamp row (another database, or a test that emptied the table) nothing
is kept and the rows are read every time.

The floor (this app's migration 0005) makes the stamp, the PostgreSQL function that writes it and the triggers on
its own tables; each app's migration puts the triggers on the tables of its own that name options, with
:func:`stamp_tables`.
"""

from __future__ import annotations

from django.db import connections, migrations, router

from presidium.kept import KeptStore
from presidium.models import ChoicesStamp

# Every table whose rows name a list's options, by the migration that stamps it (a test checks each has its triggers).
STAMPED_TABLES = (
    "presidium_county", "presidium_township", "presidium_term", "presidium_handlingunit",  # presidium 0005
    "deputies_deputygroup", "deputies_liaisonstation", "deputies_constituency",  # deputies 0014
    "proposals_category",  # proposals 0010
    "petitions_category",  # petitions 0006
)

_ROWS: KeptStore[list] = KeptStore(256)  # (what, stamp) entries; a county's scopes × terms × selects are a few dozen
_NO_STAMP = object()

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION presidium_choices_stamp_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO presidium_choicesstamp (id, value) VALUES (1, floor(random() * 9.0e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$;
"""
_EVENTS = ("insert", "update", "delete")


def choices_stamp(request) -> int | None:
    """The stamp of the options' tables, read once per request (None when there is none)."""
    stamp = getattr(request, "_choices_stamp", _NO_STAMP) if request is not None else _NO_STAMP
    if stamp is _NO_STAMP:
        with connections[router.db_for_read(ChoicesStamp)].cursor() as cursor:
            cursor.execute("SELECT value FROM presidium_choicesstamp WHERE id = 1")
            row = cursor.fetchone()
        stamp = row[0] if row else None
        if request is not None:
            request._choices_stamp = stamp
    return stamp


def stamped_rows(key: tuple, stamp: int | None, read) -> list:
    """``read()`` (a list of rows that depends on the options' tables and on ``key`` alone), kept under ``stamp``."""
    if stamp is None:
        return read()
    return _ROWS.get((key, stamp), read)


def forget() -> None:
    """Drop every kept row (tests)."""
    _ROWS.clear()


# --- the triggers, for the migrations ------------------------------------------------------------------------------

def add_stamp_triggers(schema_editor, tables) -> None:
    """A new random stamp (never an old one again, even after a rollback) on every write to each of ``tables``: on
    PostgreSQL once per statement (and on TRUNCATE), on SQLite (whose triggers are per row) once per row. Another
    database gets none, and no stamp row: its options are read on every request."""
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_options_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION presidium_choices_stamp_write()")
        elif vendor == "sqlite":
            for event in _EVENTS:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_options_stamp_{event} AFTER {event.upper()} ON {table} BEGIN "
                    f"INSERT OR REPLACE INTO presidium_choicesstamp (id, value) VALUES (1, random()); END")


def drop_stamp_triggers(schema_editor, tables) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_options_stamp ON {table}")
        elif vendor == "sqlite":
            for event in _EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_options_stamp_{event}")


def stamp_tables(*tables: str) -> migrations.RunPython:
    """A migration operation that puts the stamp's triggers on ``tables`` (and takes them off when reversed)."""
    return migrations.RunPython(lambda apps, schema_editor: add_stamp_triggers(schema_editor, tables),
                                lambda apps, schema_editor: drop_stamp_triggers(schema_editor, tables))
