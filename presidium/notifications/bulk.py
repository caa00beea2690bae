"""Inserting many rows of plain columns at once: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

The reminder pass writes tens of thousands of notifications and e-mails (about 45 MB of text for the
county's catch-up pass). ``bulk_create`` prepares every value of every row in Python and psycopg then
quotes them into the statement; ``COPY … FROM STDIN`` sends the values as they are, formatted by
psycopg's C code. Rows that need their ids (notifications: the outbox rows and the e-mail links refer to
them) get them first from the table's sequence, in one query. The statement goes through Django's
execute wrappers, so query counts and logs see it like any other; a unique or check constraint that a
row breaks fails the statement as an ``IntegrityError``, as ``bulk_create`` would.

Only for models whose columns take Python values as they are (text, numbers, booleans, aware
datetimes, dates, foreign key ids): :func:`copyable` says which; the others go through ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from enum import Enum

from django.db import connection, models

_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateTimeField,
          models.DateField, models.ForeignKey, models.AutoField, models.BigAutoField)


def copyable(model: type[models.Model]) -> bool:
    fields = model._meta.concrete_fields
    return all(isinstance(field, _PLAIN) for field in fields)


def insert_rows(model: type[models.Model], objs: Sequence[models.Model], *, with_ids: bool = False) -> None:
    """Insert ``objs`` (unsaved, validated by the caller) in one statement; ``with_ids`` sets their pks first."""
    if not objs:
        return
    if connection.vendor != "postgresql" or not copyable(model):
        model._base_manager.bulk_create(objs)
        return
    meta = model._meta
    if with_ids:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(objs)])
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    fields = [field for field in meta.concrete_fields if with_ids or not field.primary_key]
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    rows = [tuple(_plain(getattr(obj, field.attname)) for field in fields) for obj in objs]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"

    def copy(sql, params, many, context):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, context["cursor"].cursor.copy(sql) as stream:
            for row in rows:
                stream.write_row(row)

    with connection.cursor() as cursor:
        # Through the execute wrappers (and the debug log, when queries are logged): counted like any query.
        logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged:
            cursor._execute_with_wrappers(sql, None, False, executor=copy)


def _plain(value):
    return value.value if isinstance(value, Enum) else value  # a TextChoices member is stored as its value
