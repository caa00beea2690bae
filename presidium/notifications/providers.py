"""The providers' side of the reminders (presidium.notifications.reminders): what a provider is, and the registry.

An app registers one :class:`ReminderProvider` per model in ``AppConfig.ready()``; the periodic pass asks it,
a batch at a time, what to send (:class:`ReminderMessage`). Importable from ``reminders`` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import models

from presidium.models import User
from presidium.notifications.choices import Channel
from presidium.notifications.models import Reminder
from presidium.notifications.services import ALL_CHANNELS


@dataclass(frozen=True)
class ReminderMessage:
    """What a provider wants said. ``kind`` is the notification's kind (default ``reminder.<kind>``).

    ``next_due_at`` repeats the reminder: the row comes due again then. If that time has passed
    already (the pass ran late: a first deployment, a stopped beat), the missed occurrences are not
    sent one per pass: the series goes on at its first slot after now, keeping its step
    (``next_due_at`` − the due time handled) and its time of day.
    """

    recipients: Iterable[User]
    title: str
    body: str = ""
    url: str = ""
    next_due_at: datetime | None = None
    kind: str = ""
    channels: Collection[Channel] = ALL_CHANNELS


ReminderHandler = Callable[[models.Model, Reminder], ReminderMessage | None]


class ReminderProvider:
    """What an app says when reminders about its model fall due, for a batch of them at once.

    For each batch the pass calls, per model: :meth:`targets` for the queryset the batch's matters are
    loaded from (one query), :meth:`prefetch` once with every (matter, reminder) pair, and
    :meth:`message` for each pair with what ``prefetch`` returned. ``message`` should not query:
    whatever it needs, ``prefetch`` loads for the whole batch, so a batch costs as many queries for
    5 reminders as for 200 — and the same queries whatever kinds it holds (read what one kind needs for
    every matter of the batch rather than skip a query when no reminder of that kind is there). ``now`` is
    the pass's clock. Providers only read; they keep no state between calls and compare equal by class
    (make them frozen dataclasses), so registering the same provider twice is harmless.
    """

    def targets(self, model: type[models.Model]) -> models.QuerySet:
        """Where the batch's matters are loaded from (add ``select_related`` here). One not found was deleted."""
        return model._base_manager.all()

    def prefetch(self, due: Sequence[tuple[models.Model, Reminder]], *, now: datetime) -> Any:
        """Load, in a fixed number of queries, what the messages of ``due`` need; passed on as ``context``."""
        return None

    def message(self, target: models.Model, reminder: Reminder, *, now: datetime,
                context: Any) -> ReminderMessage | None:
        raise NotImplementedError


@dataclass(frozen=True)
class _HandlerFunction(ReminderProvider):
    """A plain ``handler(target, reminder)`` registered as a provider: asked one reminder at a time."""

    handler: ReminderHandler

    def message(self, target, reminder, *, now, context):
        return self.handler(target, reminder)


_HANDLERS: dict[str, ReminderProvider] = {}  # model label → its provider


def _label(model_or_label: type[models.Model] | models.Model | str) -> str:
    if isinstance(model_or_label, str):
        return apps.get_model(model_or_label)._meta.label_lower  # raises LookupError on a typo
    return model_or_label._meta.label_lower


def register_reminder_handler(model_or_label: type[models.Model] | str,
                              handler: ReminderProvider | ReminderHandler) -> None:
    """Say who answers for reminders about ``model`` (a class or ``"app_label.Model"``). One per model.

    ``handler`` is a :class:`ReminderProvider` or a plain function ``handler(target, reminder)``.
    """
    label = _label(model_or_label)
    provider = handler if isinstance(handler, ReminderProvider) else _HandlerFunction(handler)
    existing = _HANDLERS.get(label)
    if existing is not None and existing != provider:  # == : a bound method is a new object each time
        raise ValueError(f"a reminder handler for {label} is already registered: {existing!r}")
    _HANDLERS[label] = provider


def reminder_provider_for(model_or_label) -> ReminderProvider | None:
    return _HANDLERS.get(_label(model_or_label))
