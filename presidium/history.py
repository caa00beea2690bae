"""Change history (修改记录) for any model that keeps django-simple-history records.

Why django-simple-history rather than django-auditlog: the lifecycle models this portal grows
(suggestions, replies, scorecards) need full snapshots — "what did the reply say before it was
re-handled" — and simple-history keeps one per change, with the user from the request middleware
and a Chinese admin. Auditlog's one JSON-diff table suits read logging; the few places that log
reads of personal data do that with their own small table.

Apps register their models with :func:`register_history` and a visibility function, so the one
history screen shows only objects the user may see (another township's object: 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext, gettext_lazy


@dataclass(frozen=True)
class HistoryEntry:
    model: type[models.Model]
    visible: Callable  # visible(user) -> QuerySet of the model
    title: Callable[[models.Model], str] = str
    township_of: Callable[[models.Model], object] = lambda obj: getattr(obj, "township", None)


_REGISTRY: dict[str, HistoryEntry] = {}


def history_key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def register_history(model: type[models.Model], visible: Callable, *, title: Callable | None = None,
                     township_of: Callable | None = None) -> None:
    """``visible(user)`` returns the objects the user may see; ``township_of(obj)`` the township whose
    staff may read the history (default ``obj.township``)."""
    if not hasattr(model, "history"):
        raise TypeError(f"{model.__name__} has no HistoricalRecords")
    entry = HistoryEntry(model, visible, title or str)
    if township_of is not None:
        entry = HistoryEntry(model, visible, title or str, township_of)
    _REGISTRY[history_key(model)] = entry


def history_entry(key: str) -> HistoryEntry | None:
    return _REGISTRY.get(key)


def registered_history_keys() -> list[str]:
    return sorted(_REGISTRY)


@dataclass
class Change:
    when: object
    who: object
    kind: str
    fields: list[tuple[str, str, str]]  # (field label, old, new)
    reason: str


_KIND = {"+": gettext_lazy("创建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def _display(record, field) -> str:
    value = getattr(record, field.attname, None)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    return str(value)


def changes_for(obj: models.Model, *, limit: int = 200) -> list[Change]:
    """The object's history, newest first, each with the fields that changed (old → new)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    concrete = {f.attname: f for f in obj._meta.concrete_fields}
    changes = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        fields = []
        for _attname, field in concrete.items():
            new = _display(record, field)
            if previous is None:
                if record.history_type == "+" and new != "—":
                    fields.append((str(field.verbose_name), "", new))
                continue
            old = _display(previous, field)
            if old != new:
                fields.append((str(field.verbose_name), old, new))
        changes.append(Change(record.history_date, record.history_user, str(_KIND.get(record.history_type, "?")),
                              fields, record.history_change_reason or ""))
    return changes
