"""The database router: reports and exports read from the replica inside ``presidium.db.reporting()``.

Everything else — every write, every read outside the scope, every migration — uses ``default``
(the primary). Without ``DATABASE_REPLICA_URL`` the reporting alias is ``default`` too, so the router
changes nothing on a one-machine install.
"""

from __future__ import annotations

PRIMARY = "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        from presidium.db import in_reporting_scope, reporting_alias

        if in_reporting_scope():
            return reporting_alias()
        return None  # Django's default: the instance's own database, else default

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: a row read there relates to one here

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica follows the primary's WAL; it is never migrated itself
