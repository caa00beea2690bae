"""The rows of the deputies lists' select options, kept per process under the stamp of the tables they come from.

A county filter form lists its 20 townships, 21 terms and ~1,100 groups, stations and constituencies: five
queries on every request (about 5 ms at county scale) for rows that change a few times a term. The database keeps
a stamp of those tables (:class:`deputies.models.ChoicesStamp`), written by a trigger in the same transaction as any
write to them, whatever makes it. A request reads the stamp once (one query on a one-row table); a process keeps the
rows it read under (what was read, the stamp), so the same stamp means the same rows.

Why that is exact: the stamp is read before the rows, so rows kept under a stamp are at least as new as it; a write
that commits makes a new stamp visible together with its rows; a stamp written by a transaction that rolls back is a
random number no one reads again. Without a stamp row (another database, or a test that emptied the table) nothing
is kept and the rows are read every time.
"""

from __future__ import annotations

from django.db import connections, router

from deputies.models import ChoicesStamp
from presidium.kept import KeptStore

_ROWS: KeptStore[list] = KeptStore(256)  # (what, stamp) entries; a county's scopes × terms × selects are a few dozen
_NO_STAMP = object()


def choices_stamp(request) -> int | None:
    """The stamp of the options' tables, read once per request (None when there is none)."""
    stamp = getattr(request, "_deputies_choices_stamp", _NO_STAMP) if request is not None else _NO_STAMP
    if stamp is _NO_STAMP:
        with connections[router.db_for_read(ChoicesStamp)].cursor() as cursor:
            cursor.execute("SELECT value FROM deputies_choicesstamp WHERE id = 1")
            row = cursor.fetchone()
        stamp = row[0] if row else None
        if request is not None:
            request._deputies_choices_stamp = stamp
    return stamp


def stamped_rows(key: tuple, stamp: int | None, read) -> list:
    """``read()`` (a list of rows that depends on the options' tables and on ``key`` alone), kept under ``stamp``."""
    if stamp is None:
        return read()
    return _ROWS.get((key, stamp), read)


def forget() -> None:
    """Drop every kept row (tests)."""
    _ROWS.clear()
