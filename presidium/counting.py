"""Several counts in one round trip: ``SELECT (SELECT COUNT(*) FROM (q1)), …, a.* FROM (aggregate of q2) a``.

A page that shows many independent counts (the home page's cards, each from its own app and table) pays one
query instead of one per count. Each queryset is counted as it stands (a ``distinct()`` or ``values()``
queryset counts its distinct rows); an :class:`Aggregated` (several conditional counts over one table) comes
back as its ``aggregate()`` dict. Everything is read from the database the models read from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet, Value


@dataclass(frozen=True)
class Aggregated:
    """``queryset.aggregate(**aggregates)``, to be read together with other counts (or alone with :meth:`get`)."""

    queryset: QuerySet
    aggregates: dict

    def get(self) -> dict:
        return self.queryset.order_by().aggregate(**self.aggregates)

    def query(self) -> QuerySet:
        # A constant "group" adds no GROUP BY: one row with every aggregate, as aggregate() reads it.
        return (self.queryset.order_by().annotate(_one=Value(1)).values("_one")
                .annotate(**self.aggregates).values(*self.aggregates))


@dataclass(frozen=True)
class CompiledCount:
    """A queryset's count as SQL, compiled once: what :func:`count_together` runs for it (see
    :func:`compile_count`). ``sql`` is None for a queryset that cannot match a row (``.none()``)."""

    alias: str
    sql: str | None
    params: tuple


def compile_count(queryset: QuerySet) -> CompiledCount:
    """The SQL that counts ``queryset``'s rows (its keys only, as :func:`count_together` counts it)."""
    alias = router.db_for_read(queryset.model)
    try:
        sql, params = _counted(queryset).query.sql_with_params()
    except EmptyResultSet:
        return CompiledCount(alias, None, ())
    return CompiledCount(alias, sql, tuple(params))


def count_together(items: dict[str, QuerySet | Aggregated | CompiledCount]) -> dict:
    """``{key: queryset.count()}`` (or ``{key: aggregated.get()}``) for every key, in one query per database."""
    by_db: dict[str, list[tuple[str, QuerySet | Aggregated | CompiledCount]]] = {}
    for key, item in items.items():
        if isinstance(item, CompiledCount):
            by_db.setdefault(item.alias, []).append((key, item))
            continue
        model = item.queryset.model if isinstance(item, Aggregated) else item.model
        by_db.setdefault(router.db_for_read(model), []).append((key, item))
    result: dict = {}
    for alias, pairs in by_db.items():
        quote = connections[alias].ops.quote_name
        columns, sources, params, source_params, readers = [], [], [], [], []
        for key, item in pairs:
            try:
                if isinstance(item, CompiledCount):
                    if item.sql is None:
                        raise EmptyResultSet
                    sql, sql_params = item.sql, item.params
                elif isinstance(item, Aggregated):
                    sql, sql_params = item.query().query.sql_with_params()
                else:
                    sql, sql_params = _counted(item).query.sql_with_params()
            except EmptyResultSet:  # .none(), or an IN over an empty list: nothing to count
                result[key] = item.get() if isinstance(item, Aggregated) else 0
                continue
            if isinstance(item, Aggregated):
                table = f"a{len(sources)}"
                sources.append(f"({sql}) {table}")
                source_params.extend(sql_params)
                start = len(columns)
                columns += [f"{table}.{quote(name)}" for name in item.aggregates]
                readers.append((key, list(item.aggregates), start))
            else:
                columns.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
                params.extend(sql_params)
                readers.append((key, None, len(columns) - 1))
        if not columns:
            continue
        sql = "SELECT " + ", ".join(columns) + (" FROM " + " CROSS JOIN ".join(sources) if sources else "")
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params + source_params)
            row = cursor.fetchone()
        for key, names, start in readers:
            if names is None:
                result[key] = int(row[start] or 0)
            else:
                result[key] = dict(zip(names, row[start:start + len(names)], strict=True))
    return result


def _counted(queryset: QuerySet) -> QuerySet:
    """The rows to count, selecting only their keys: a plain queryset's every column and ``select_related`` join
    cost Django the compiling (a third of the home's count query) and PostgreSQL the planning, and do not change
    how many rows there are. A distinct, ``values()``, annotated or combined queryset counts as it stands."""
    query = queryset.query
    if (query.distinct or query.values_select or query.annotations or query.group_by is not None
            or query.combinator or query.extra):
        return queryset.order_by()
    return queryset.order_by().select_related(None).values("pk")


def count_each(rows: dict, user) -> dict[str, int]:
    """``{key: rows[key](user).count()}`` in one query: a home's cards, each its own narrow count (which the
    indexes answer) rather than one aggregate over every row the user may see."""
    return count_together({key: make(user) for key, make in rows.items()})


def rows_and_totals(rows: QuerySet, totals: Aggregated) -> tuple[list[dict], dict]:
    """``list(rows)`` (a ``values()`` queryset, grouped) and ``totals.get()`` in one query: the one-row aggregate
    left-joined with the rows, so it comes back when there are no rows too (rows whose every column is NULL, as
    a grouped row with a count never is, are that empty join). Values come as the database gives them, without
    the fields' converters (PostgreSQL's EXTRACT is a numeric): the caller casts what it needs."""
    try:
        totals_sql, totals_params = totals.query().query.sql_with_params()
        rows_sql, rows_params = rows.query.sql_with_params()
    except EmptyResultSet:
        return list(rows), totals.get()
    alias = router.db_for_read(rows.model)
    quote = connections[alias].ops.quote_name
    columns = ", ".join(f"t.{quote(name)}" for name in totals.aggregates)
    sql = f"SELECT r.*, {columns} FROM ({totals_sql}) t LEFT JOIN ({rows_sql}) r ON 1 = 1"
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*totals_params, *rows_params])
        fetched = cursor.fetchall()
    # The names a values() queryset gives its columns, in the order it selects them (as ValuesIterable reads).
    names = [*rows.query.extra_select, *rows.query.values_select, *rows.query.annotation_select]
    width = len(names)
    found = [dict(zip(names, row[:width], strict=True)) for row in fetched
             if any(value is not None for value in row[:width])]
    first = fetched[0] if fetched else (None,) * (width + len(totals.aggregates))
    return found, dict(zip(totals.aggregates, first[width:], strict=True))
