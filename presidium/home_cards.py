"""The home cards' count SQL, compiled once per user's roles and day, not once per request.

A home page's cards are a dozen querysets (each app's visibility rules, the user's townships, today's date)
counted in one query (:func:`presidium.counting.count_together`). Building and compiling them cost more than
the query itself: a township staff's home spent ~15 ms CPU building its 13 cards' querysets and ~7 ms compiling
them, for ~11 ms of SQL. Most cards' SQL depends on nothing but the user's roles (the ``AccessScope``, read from
the database on every request) and the day; the rows they count change, their SQL does not. So a process keeps
each such card's SQL under (card, scope, day); the counts themselves are read fresh on every page.

A card's SQL is kept only when the card shows it has no other input: built for a copy of the account without any
per-request memo (the account's deputy, the desk's items), it ran no query (it did not read a target or a
deputy to put into its SQL), and its parameters hold no time of day (a date is the key's day, and so is a day's
bound, a local midnight or the last microsecond before it; any other datetime may be "now"). A card that fails either test is built on every page, as before, and is not tried again that day.
``tests/presidium/test_home_cards.py`` checks both rules and that every card's kept SQL counts what a fresh one
does.

The chair's desk keeps its lines' queries the same way (:func:`kept_rows`): a ``values()`` queryset's SQL and its
columns' converters are kept under (section, scope, day), and each page runs the SQL and reads the rows fresh.
"""

from __future__ import annotations

import copy
import datetime as dt
from contextlib import ExitStack
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode
from django.utils import timezone as dj_timezone

from presidium.counting import CompiledCount, compile_count
from presidium.kept import KeptStore

MAX_KEPT = 4096  # (card, scope, day) entries a process keeps: ~20 cards × 200 accounts a day
_KEPT: KeptStore[CompiledCount | None] = KeptStore(MAX_KEPT)
_BUILT_EACH_TIME = object()  # the card has inputs besides the scope and the day
_MISSING = object()


def forget_kept() -> None:
    """Drop every kept SQL (tests; a process never needs to: a new day or new roles are new keys)."""
    _KEPT.clear()


def card_rows(card, user, scope, today: dt.date):
    """What the home counts for ``card``: its kept SQL, else its queryset (or None when the card is hidden).

    A card with ``inputs`` (rows its SQL is written from, such as the behind-target card's targets in force) has
    them read on every page; its SQL is kept under their value as well, and built by ``card.rows(user, value)``."""
    build = card.rows
    key = (card.key, scope, today)
    if card.inputs is not None:
        value = card.inputs(user)
        key = (*key, value)

        def build(user, _rows=card.rows, _value=value):
            return _rows(user, _value)
    kept = _KEPT.peek(key, _MISSING)
    if kept is _BUILT_EACH_TIME:
        return build(user)
    if kept is not _MISSING:
        return kept
    rows, queries = built_alone(build, user)
    compiled = compile_count(rows) if rows is not None else None
    if queries or (rows is not None and (has_time_of_day(compiled.params) or holds_time_of_day(rows.query))):
        _KEPT.put(key, _BUILT_EACH_TIME)
        return rows
    _KEPT.put(key, compiled)
    return compiled


def built_alone(build, user) -> tuple[object, int]:
    """``build(user)`` for a copy of ``user`` carrying only its scope, counting the queries it runs."""
    alone = copy.copy(user)
    alone._state = copy.copy(user._state)
    alone._state.fields_cache = {}
    for name in list(vars(alone)):
        if name.startswith("_") and name not in ("_state", "_access_scope"):
            delattr(alone, name)
    ran = [0]

    def counted(execute, sql, params, many, context):
        ran[0] += 1
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(counted))
        rows = build(alone)
    return rows, ran[0]


@dataclass(frozen=True)
class KeptRows:
    """A ``values()`` queryset compiled once: its SQL, the names of its columns and their converters."""

    alias: str
    sql: str | None  # None: the queryset cannot match a row
    params: tuple
    names: tuple[str, ...]
    converters: tuple  # (position, converter functions, expression) of each column the backend converts

    def read(self) -> list[dict]:
        """The rows, as ``list(queryset)`` gives them."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.tuples()]

    def tuples(self) -> list[tuple]:
        """The rows as tuples of the queryset's columns (a ``values_list()`` queryset's rows)."""
        if self.sql is None:
            return []
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            fetched = cursor.fetchall()
        converters = self.converters
        if not converters:
            return fetched
        rows = []
        for row in fetched:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            rows.append(tuple(row))
        return rows


def kept_sql(key: tuple, build) -> KeptRows:
    """``compile_rows(build())``, compiled the first time this process meets ``key``: for a caller whose SQL
    depends on ``key`` alone (a filter form's options under the user's scope and the chosen term)."""
    return _KEPT.get(("sql", *key), lambda: compile_rows(build()))


def compile_rows(queryset) -> KeptRows:
    """What :meth:`KeptRows.read` runs for ``queryset`` (a ``values()`` queryset, read as Django reads it)."""
    query = queryset.query
    if not query.values_select and not query.annotation_select:
        raise TypeError("compile_rows() takes a values() queryset")
    alias = queryset.db
    compiler = query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return KeptRows(alias, None, (), (), ())
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    fields = [column[0] for column in compiler.select[:compiler.col_count]]
    converters = tuple((position, tuple(functions), expression)
                       for position, (functions, expression) in compiler.get_converters(fields).items())
    return KeptRows(alias, sql, tuple(params), names, converters)


def kept_today(key: str, build, user) -> list[dict]:
    """:func:`kept_rows` for the user's roles (their ``AccessScope``) and today."""
    from django.utils import timezone

    from presidium.access import scope_of

    return kept_rows(key, build, user, scope_of(user), timezone.localdate())


def kept_rows(key: str, build, user, scope, today: dt.date) -> list[dict]:
    """``list(build(user))`` (a ``values()`` queryset), its SQL kept for (key, scope, day) under the cards' rules:
    kept only when the queryset is built without a query and holds no time of day."""
    entry = ("rows", key, scope, today)
    kept = _KEPT.peek(entry, _MISSING)
    if kept is _BUILT_EACH_TIME:
        return list(build(user))
    if kept is not _MISSING:
        return kept.read()
    rows, queries = built_alone(build, user)
    compiled = compile_rows(rows)
    if queries or has_time_of_day(compiled.params) or holds_time_of_day(rows.query):
        _KEPT.put(entry, _BUILT_EACH_TIME)
        return list(rows)
    _KEPT.put(entry, compiled)
    return compiled.read()


def instance_from(model, alias: str, values: dict):
    """An instance of ``model`` from a kept row's ``values`` (attribute names), as ``only(*values)`` loads it: the
    fields not given are deferred (``from_db`` takes the values in the model's field order)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])


def holds_time_of_day(node, depth: int = 0) -> bool:
    """Whether a query holds a time of day anywhere (its conditions, annotations, subqueries): a time, or a datetime
    that is not a day's bound.

    The compiled parameters tell on PostgreSQL; SQLite's are already strings, so the query is read before."""
    if depth > 50:
        return True  # too deep to tell: not kept
    if isinstance(node, dt.datetime):
        return not _is_day_bound(node)
    if isinstance(node, dt.time):
        return True
    if isinstance(node, list | tuple | set | frozenset):
        return any(holds_time_of_day(item, depth + 1) for item in node)
    if isinstance(node, Query):
        return (holds_time_of_day(node.where, depth + 1)
                or holds_time_of_day(list(node.annotations.values()), depth + 1)
                or holds_time_of_day(list(node.combined_queries), depth + 1))
    if isinstance(node, WhereNode):
        return holds_time_of_day(node.children, depth + 1)
    if isinstance(node, Lookup):
        return holds_time_of_day(node.lhs, depth + 1) or holds_time_of_day(node.rhs, depth + 1)
    if isinstance(node, Value):
        return holds_time_of_day(node.value, depth + 1)
    if isinstance(node, RawSQL):
        return holds_time_of_day(node.params, depth + 1)
    inner = getattr(node, "query", None)  # Subquery, Exists, a QuerySet
    if isinstance(inner, Query):
        return holds_time_of_day(inner, depth + 1)
    if hasattr(node, "get_source_expressions"):
        return holds_time_of_day(node.get_source_expressions(), depth + 1)
    return False


def _is_day_bound(value: dt.datetime) -> bool:
    """Whether ``value`` is where a local day starts or ends (a ``__year``/``__date`` lookup's bound, a year's
    first midnight), which the key's day decides, rather than a time of day ("now"). A "now" that falls on
    00:00:00.000000 or 23:59:59.999999 to the microsecond would be taken for a bound: once in ~4 × 10¹⁰ builds."""
    if dj_timezone.is_aware(value):
        value = dj_timezone.localtime(value)
    return value.time() in (dt.time.min, dt.time.max)


def has_time_of_day(params) -> bool:
    for value in params:
        if isinstance(value, dt.datetime):
            if not _is_day_bound(value):
                return True
        elif isinstance(value, dt.time):
            return True
        if isinstance(value, list | tuple) and has_time_of_day(value):
            return True
    return False
