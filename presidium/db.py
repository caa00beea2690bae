"""Where reads go: reports and exports may read from a streaming replica, everything else from the primary.

``reporting()`` is the explicit scope (a context manager and a decorator). Inside it, reads that the
router is asked about go to ``settings.REPORTING_DATABASE`` — ``"replica"`` when ``DATABASE_REPLICA_URL``
is set, otherwise ``"default"`` — and every write still goes to ``"default"`` (``config/db_router.py``).
Only code that can live with a replica a few seconds behind belongs inside: an export of what is
filtered, a report PDF, a county summary. A page that shows what the user has just saved, a service
that reads before it writes, and anything under ``select_for_update`` stay outside (the last is routed
to the primary anyway: Django asks the router for a write database for it).
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings

_reporting: ContextVar[bool] = ContextVar("presidium_db_reporting", default=False)


class reporting(ContextDecorator):  # noqa: N801 — used as ``with reporting():`` and ``@reporting()``
    """Reads inside this scope may go to the reporting database (the replica when one is configured)."""

    def _recreate_cm(self):
        return type(self)()  # as a decorator: a fresh scope per call, so threads never share a token

    def __enter__(self):
        self._token = _reporting.set(True)
        return self

    def __exit__(self, *exc):
        _reporting.reset(self._token)
        return False


def in_reporting_scope() -> bool:
    return _reporting.get()


def reporting_alias() -> str:
    """The alias reporting reads use: ``settings.REPORTING_DATABASE`` if it is configured, else ``default``."""
    alias = getattr(settings, "REPORTING_DATABASE", "default")
    return alias if alias in settings.DATABASES else "default"
