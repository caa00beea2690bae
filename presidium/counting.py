"""Several counts in one round trip: ``SELECT (SELECT COUNT(*) FROM (q1)), (SELECT COUNT(*) FROM (q2)), …``.

A page that shows many independent counts (the home page's cards, each from its own app and table) pays one
query instead of one per count. Each queryset is counted as it stands (a ``distinct()`` or ``values()``
queryset counts its distinct rows), on the database its model reads from.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet


def count_together(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """``{key: queryset.count()}`` for every key, in one query per database (one in practice)."""
    by_db: dict[str, list[tuple[str, QuerySet]]] = {}
    for key, queryset in querysets.items():
        by_db.setdefault(queryset.db or router.db_for_read(queryset.model), []).append((key, queryset))
    result: dict[str, int] = {}
    for alias, pairs in by_db.items():
        parts, params, counted = [], [], []
        for key, queryset in pairs:
            try:
                sql, sql_params = queryset.order_by().query.sql_with_params()
            except EmptyResultSet:  # .none(), or an IN over an empty list: nothing to count
                result[key] = 0
                continue
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
            params.extend(sql_params)
            counted.append((key, queryset))
        if not parts:
            continue
        pairs = counted
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        result.update({key: int(value or 0) for (key, _qs), value in zip(pairs, row, strict=True)})
    return result
