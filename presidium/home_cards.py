"""The home cards' count SQL, compiled once per user's roles and day, not once per request.

A home page's cards are a dozen querysets (each app's visibility rules, the user's townships, today's date)
counted in one query (:func:`presidium.counting.count_together`). Building and compiling them cost more than
the query itself: a township staff's home spent ~15 ms CPU building its 13 cards' querysets and ~7 ms compiling
them, for ~11 ms of SQL. Most cards' SQL depends on nothing but the user's roles (the ``AccessScope``, read from
the database on every request) and the day; the rows they count change, their SQL does not. So a process keeps
each such card's SQL under (card, scope, day); the counts themselves are read fresh on every page.

A card's SQL is kept only when the card shows it has no other input: built for a copy of the account without any
per-request memo (the account's deputy, the desk's items), it ran no query (it did not read a target or a
deputy to put into its SQL), and its parameters hold no time of day (a date is the key's day; a datetime may be
"now"). A card that fails either test is built on every page, as before, and is not tried again that day.
``tests/presidium/test_home_cards.py`` checks both rules and that every card's kept SQL counts what a fresh one
does.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from contextlib import ExitStack

from django.db import connections
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode

from presidium.counting import CompiledCount, compile_count

MAX_KEPT = 4096  # (card, scope, day) entries a process keeps: ~20 cards × 200 accounts a day
_KEPT: OrderedDict[tuple, CompiledCount | None] = OrderedDict()
_BUILT_EACH_TIME = object()  # the card has inputs besides the scope and the day
_LOCK = threading.Lock()
_MISSING = object()


def forget_kept() -> None:
    """Drop every kept SQL (tests; a process never needs to: a new day or new roles are new keys)."""
    with _LOCK:
        _KEPT.clear()


def card_rows(card, user, scope, today: dt.date):
    """What the home counts for ``card``: its kept SQL, else its queryset (or None when the card is hidden)."""
    key = (card.key, scope, today)
    with _LOCK:
        kept = _KEPT.get(key, _MISSING)
        if kept is not _MISSING:
            _KEPT.move_to_end(key)
    if kept is _BUILT_EACH_TIME:
        return card.rows(user)
    if kept is not _MISSING:
        return kept
    rows, queries = _built_alone(card, user)
    compiled = compile_count(rows) if rows is not None else None
    if queries or (rows is not None and (_has_time_of_day(compiled.params) or _holds_time_of_day(rows.query))):
        _keep(key, _BUILT_EACH_TIME)
        return rows
    _keep(key, compiled)
    return compiled


def _keep(key: tuple, value) -> None:
    with _LOCK:
        _KEPT[key] = value
        while len(_KEPT) > MAX_KEPT:
            _KEPT.popitem(last=False)


def _built_alone(card, user) -> tuple[object, int]:
    """``card.rows()`` for a copy of ``user`` carrying only its scope, counting the queries it runs."""
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
        rows = card.rows(alone)
    return rows, ran[0]


def _holds_time_of_day(node, depth: int = 0) -> bool:
    """Whether a query holds a datetime or time value anywhere (its conditions, annotations, subqueries).

    The compiled parameters tell on PostgreSQL; SQLite's are already strings, so the query is read before."""
    if depth > 50:
        return True  # too deep to tell: not kept
    if isinstance(node, dt.datetime | dt.time):
        return True
    if isinstance(node, list | tuple | set | frozenset):
        return any(_holds_time_of_day(item, depth + 1) for item in node)
    if isinstance(node, Query):
        return (_holds_time_of_day(node.where, depth + 1)
                or _holds_time_of_day(list(node.annotations.values()), depth + 1)
                or _holds_time_of_day(list(node.combined_queries), depth + 1))
    if isinstance(node, WhereNode):
        return _holds_time_of_day(node.children, depth + 1)
    if isinstance(node, Lookup):
        return _holds_time_of_day(node.lhs, depth + 1) or _holds_time_of_day(node.rhs, depth + 1)
    if isinstance(node, Value):
        return _holds_time_of_day(node.value, depth + 1)
    if isinstance(node, RawSQL):
        return _holds_time_of_day(node.params, depth + 1)
    inner = getattr(node, "query", None)  # Subquery, Exists, a QuerySet
    if isinstance(inner, Query):
        return _holds_time_of_day(inner, depth + 1)
    if hasattr(node, "get_source_expressions"):
        return _holds_time_of_day(node.get_source_expressions(), depth + 1)
    return False


def _has_time_of_day(params) -> bool:
    for value in params:
        if isinstance(value, dt.datetime | dt.time):
            return True
        if isinstance(value, list | tuple) and _has_time_of_day(value):
            return True
    return False
