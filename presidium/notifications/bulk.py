"""Writing many rows at once: ``COPY`` on PostgreSQL (``bulk_create`` elsewhere), one ``UPDATE … FROM (VALUES …)``.

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


def update_rows(model: type[models.Model], objs: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """Write ``field_names`` of ``objs`` (validated by the caller) in one ``UPDATE … FROM (VALUES …)``.

    One statement whatever the values (``bulk_update``'s per-row ``CASE`` costs Python time per row and
    field). PostgreSQL gets each value cast to its column's type; SQLite (3.33 or later) takes them as
    they are and allows 999 parameters a statement, so a few hundred rows are written in two or three there.
    """
    if not objs:
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    postgresql = connection.vendor == "postgresql"
    row_sql = "(" + ", ".join(f"CAST(%s AS {f.db_type(connection)})" if postgresql else "%s" for f in fields) + ")"
    # VALUES names its columns column1, column2 … on both databases.
    names = ", ".join(f"column{i} AS {quote(field.column)}" for i, field in enumerate(fields, 1))
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields[1:])
    per_statement = max(1, (connection.features.max_query_params or 1 << 15) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            rows = objs[start:start + per_statement]
            values = ", ".join([row_sql] * len(rows))
            params = [field.get_db_prep_save(getattr(row, field.attname), connection) for row in rows for field in fields]
            cursor.execute(f"UPDATE {table} SET {assignments} FROM (SELECT {names} FROM (VALUES {values}) AS t) AS v "
                           f"WHERE {table}.{pk} = v.{pk}", params)


def _plain(value):
    return value.value if isinstance(value, Enum) else value  # a TextChoices member is stored as its value
