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

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from datetime import date, datetime
from enum import Enum

from django.db import connection, models

_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateTimeField,
          models.DateField, models.ForeignKey, models.AutoField, models.BigAutoField)


def copyable(model: type[models.Model]) -> bool:
    fields = model._meta.concrete_fields
    return all(isinstance(field, _PLAIN) for field in fields)


def insert_tuples(model: type[models.Model], names: Sequence[str], rows: Sequence[tuple], *,
                  with_ids: bool = False) -> list[int] | None:
    """Insert ``rows`` (tuples of the values of the fields ``names``, validated by the caller) in one statement.

    No model instances: the values go from the tuples straight into ``COPY`` on PostgreSQL. ``names`` must cover every concrete field but the primary key (a column's default is Python's,
    not the database's). With ``with_ids``, returns the new rows' ids in order. Elsewhere (SQLite) the rows
    become instances for ``bulk_create``, which reads back their ids.
    """
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    missing = {f.attname for f in meta.concrete_fields if not f.primary_key} - {f.attname for f in fields}
    if missing:
        raise ValueError(f"insert_tuples({meta.label}): no value for {sorted(missing)}")
    if not rows:
        return [] if with_ids else None
    if connection.vendor != "postgresql" or not copyable(model):
        objs = [model(**dict(zip((f.attname for f in fields), row, strict=True))) for row in rows]
        model._base_manager.bulk_create(objs)
        return [obj.pk for obj in objs] if with_ids else None
    ids = None
    if with_ids:
        with connection.cursor() as cursor:
            # The sequence looked up once, in FROM: in the select list, pg_get_serial_sequence and the cast of its
            # text to a sequence ran for every id (360 ids: 1.8 → 0.6 ms).
            cursor.execute("SELECT nextval(s.seq) FROM CAST(pg_get_serial_sequence(%s, %s) AS regclass) AS s(seq), "
                           "generate_series(1, %s)", [meta.db_table, meta.pk.column, len(rows)])
            ids = [pk for (pk,) in cursor.fetchall()]
        fields = [meta.pk, *fields]
        rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    _copy(meta.db_table, [f.column for f in fields], rows)
    return ids


def _copy(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """``COPY table (columns) FROM STDIN`` with ``rows``, through Django's execute wrappers."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"

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
    """Write ``field_names`` of ``objs`` (validated by the caller) in one ``UPDATE … FROM`` a table of their values.

    One statement whatever the values (``bulk_update``'s per-row ``CASE`` costs Python time per row and
    field). On PostgreSQL the table is ``unnest`` of one array per column, each cast to its column's type:
    a statement of as many parameters as columns, however many rows. SQLite (3.33 or later) gets ``VALUES``
    and allows 999 parameters a statement, so a few hundred rows are written in two or three there.
    """
    if not objs:
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields[1:])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"CAST(%s AS {f.db_type(connection)}[])" for f in fields)
            names = ", ".join(quote(f.column) for f in fields)
            params = [_column(field, [getattr(obj, field.attname) for obj in objs]) for field in fields]
            cursor.execute(f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({names}) "
                           f"WHERE {table}.{pk} = v.{pk}", params)
            return
        # VALUES names its columns column1, column2 … on both databases.
        names = ", ".join(f"column{i} AS {quote(field.column)}" for i, field in enumerate(fields, 1))
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, (connection.features.max_query_params or 1 << 15) // len(fields))
        for start in range(0, len(objs), per_statement):
            rows = objs[start:start + per_statement]
            values = ", ".join([row_sql] * len(rows))
            params = [field.get_db_prep_save(getattr(row, field.attname), connection) for row in rows for field in fields]
            cursor.execute(f"UPDATE {table} SET {assignments} FROM (SELECT {names} FROM (VALUES {values}) AS t) AS v "
                           f"WHERE {table}.{pk} = v.{pk}", params)



# The Python type a field's values are sent as they are (``get_db_prep_save`` gives them back unchanged on
# PostgreSQL): text as ``str``, numbers as ``int``, aware datetimes. Anything else (an enum member, a naive
# datetime, a lazy string) goes through the field. ``BooleanField`` is not here: ``bool`` is an ``int``.
_AS_IS = ((models.CharField, str), (models.TextField, str), (models.IntegerField, int), (models.AutoField, int),
          (models.BigAutoField, int), (models.DateTimeField, datetime))


def _column(field: models.Field, values: list) -> list | str:
    """One column's values for ``update_rows``: each as it is when of the field's plain type, else prepared by it.

    A column of integers, aware datetimes or text (and NULLs) is sent as one array literal (``{1,2,NULL}``):
    psycopg dumps a list element by element in Python, 3 ms for 500 datetimes against 0.3 ms for the literal.
    An ISO datetime keeps its offset (the same instant); text is quoted and escaped as PostgreSQL reads it.
    A choice (a ``TextChoices`` member) is text: its value, what the field would prepare.
    """
    plain = next((kind for field_class, kind in _AS_IS if isinstance(field, field_class)), None)
    if plain is None:
        return [field.get_db_prep_save(value, connection) for value in values]
    literal = array_literal(values, plain)
    if literal is not None:
        return literal
    prepared = []
    for value in values:
        if value is None or (type(value) is plain and (plain is not datetime or value.tzinfo is not None)):
            prepared.append(value)
        else:
            prepared.append(field.get_db_prep_save(value, connection))
    return prepared


def _quoted(text: str) -> str:
    """An element of a PostgreSQL array literal: always quoted, so that ``NULL``, commas and braces stay text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_literal(values: Iterable, plain: type) -> str | None:
    """PostgreSQL's text of an array of ``values``, all of type ``plain`` or None; None if one is not.

    ``plain`` is ``int``, ``datetime`` (aware only), ``date`` or ``str`` (a ``str`` enum member — a choice — as its
    value; text with a NUL character is not sent this way, as PostgreSQL text cannot hold one).
    """
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        elif plain is int:
            if type(value) is not int:
                return None
            items.append(str(value))
        elif plain is datetime:
            if type(value) is not datetime or value.tzinfo is None or value.utcoffset() is None:
                return None
            items.append(value.isoformat())
        elif plain is date:
            if type(value) is not date:
                return None
            items.append(value.isoformat())
        elif plain is str:
            if isinstance(value, Enum) and isinstance(value, str):
                value = value.value
            if type(value) is not str or "\x00" in value:
                return None
            items.append(_quoted(value))
        else:
            return None
    return "{" + ",".join(items) + "}"


def existing_keys(model: type[models.Model], names: Sequence[str], keys: Iterable[tuple]) -> set[tuple]:
    """Which of ``keys`` (tuples of the values of the fields ``names``) are in ``model``'s table: one query.

    On PostgreSQL the keys go as one array per column, joined on all the columns at once (``unnest``): the
    rows read are exactly the keys found, and no value is prepared by the ORM one by one (four ``__any`` lists
    of a reminder batch's keys cost 6 ms of CPU to build). Elsewhere, one ``IN`` per column, and the rows
    read are narrowed to the keys in Python. Columns of integers, dates and text only.
    """
    keys = set(keys)
    if not keys:
        return set()
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    columns = list(zip(*keys, strict=True))
    if connection.vendor == "postgresql":
        literals = [array_literal(values, _key_type(field)) for field, values in zip(fields, columns, strict=True)]
        if all(literal is not None for literal in literals):
            quote = connection.ops.quote_name
            table = quote(meta.db_table)
            arrays = ", ".join(f"CAST(%s AS {field.db_type(connection)}[])" for field in fields)
            selected = ", ".join(f"{table}.{quote(field.column)}" for field in fields)
            joined = " AND ".join(f"{table}.{quote(field.column)} = k.c{i}" for i, field in enumerate(fields))
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {selected} FROM {table} JOIN unnest({arrays}) AS k("
                               f"{', '.join(f'c{i}' for i in range(len(fields)))}) ON {joined}", literals)
                return {tuple(row) for row in cursor.fetchall()} & keys
    lookups = {f"{field.attname}__in": set(values) for field, values in zip(fields, columns, strict=True)}
    found = model._base_manager.filter(**lookups).values_list(*(field.attname for field in fields))
    return {key for key in found if key in keys}


def _key_type(field: models.Field) -> type | None:
    if isinstance(field, (models.IntegerField, models.AutoField, models.BigAutoField, models.ForeignKey)):
        return int
    if isinstance(field, models.DateTimeField):
        return None
    if isinstance(field, models.DateField):
        return date
    if isinstance(field, (models.CharField, models.TextField)):
        return str
    return None
