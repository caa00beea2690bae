"""The providers' side of the reminders (presidium.notifications.reminders): what a provider is, and the registry.

An app registers one :class:`ReminderProvider` per model in ``AppConfig.ready()``; the periodic pass asks it,
a batch at a time, what to send (:class:`ReminderMessage`). Importable from ``reminders`` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from presidium.models import User
from presidium.notifications.choices import Channel
from presidium.notifications.models import Reminder
from presidium.notifications.services import ALL_CHANNELS


class DueReminder:
    """A claimed reminder as the pass holds it: what a provider is given as ``reminder``.

    The pass reads only the columns it uses (a model instance per row, with its five timestamps, cost a county's
    catch-up pass about 0.4 s of CPU): the id (``pk`` and ``id``), the matter (``content_type_id``, ``content_type``,
    ``object_id``), ``kind`` and ``due_at``, and what the pass writes back (``status``, ``attempts``,
    ``last_error``, ``sent_at``, then ``claimed_at`` and ``updated_at``). Providers read ``kind`` and ``due_at``.
    """

    __slots__ = ("pk", "content_type_id", "content_type", "object_id", "kind", "due_at", "status", "attempts",
                 "last_error", "sent_at", "claimed_at", "updated_at")

    # The columns the claim reads, in the constructor's order.
    COLUMNS = ("pk", "content_type_id", "object_id", "kind", "due_at", "status", "attempts", "last_error", "sent_at")

    def __init__(self, pk, content_type_id, object_id, kind, due_at, status, attempts=0, last_error="", sent_at=None,
                 *, content_type=None):
        self.pk, self.content_type_id, self.object_id, self.kind, self.due_at = (
            pk, content_type_id, object_id, kind, due_at)
        self.status, self.attempts, self.last_error, self.sent_at = status, attempts, last_error, sent_at
        self.content_type, self.claimed_at, self.updated_at = content_type, None, None

    @property
    def id(self) -> int:
        return self.pk

    @classmethod
    def of(cls, reminder: Reminder) -> DueReminder:
        """The pass's view of a reminder row already loaded (tests, and the race test's single deliveries)."""
        due = cls(*(getattr(reminder, name) for name in cls.COLUMNS), content_type=reminder.content_type)
        due.claimed_at = reminder.claimed_at
        return due

    def as_model(self) -> Reminder:
        """A model instance with these values (not saved): for validating what the pass writes back."""
        return Reminder(id=self.pk, content_type_id=self.content_type_id, object_id=self.object_id, kind=self.kind,
                        due_at=self.due_at, status=self.status, attempts=self.attempts, last_error=self.last_error,
                        sent_at=self.sent_at, claimed_at=self.claimed_at, updated_at=self.updated_at)

    def __repr__(self) -> str:
        return f"<DueReminder {self.pk} {self.kind} due {self.due_at.isoformat()} {self.status}>"


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


def past_its_day(reminder: DueReminder | Reminder, today: date) -> bool:
    """Whether a countdown reminder ("due in 3 days", "due today") is handled after the day it was due on.

    Then the pass ran late (a stopped beat, a first deployment): its text would no longer be true ("还有 3 天" two
    days later, "今天到期" once the day is over), and the series' next reminder, or the overdue one, says what is
    true now. Providers skip such a reminder (``message`` returns None), as the schedulers arm no countdown for
    a day already past.
    """
    return timezone.localdate(reminder.due_at) < today


ReminderHandler = Callable[[models.Model, DueReminder], ReminderMessage | None]


class ReminderProvider:
    """What an app says when reminders about its model fall due, for a batch of them at once.

    For each batch the pass calls, per model: :meth:`load` for the batch's matters (one query; by default
    from the queryset :meth:`targets` gives), :meth:`prefetch` once with every (matter, reminder) pair, and
    :meth:`message` for each pair with what ``prefetch`` returned. ``message`` should not query:
    whatever it needs, ``prefetch`` loads for the whole batch, so a batch costs as many queries for
    5 reminders as for 200 — and the same queries whatever kinds it holds (read what one kind needs for
    every matter of the batch rather than skip a query when no reminder of that kind is there). ``now`` is
    the pass's clock; ``reminder`` is a :class:`DueReminder`. A countdown handled after its day
    (:func:`past_its_day`) says nothing. Providers only read; they keep no state between calls and compare equal by class
    (make them frozen dataclasses), so registering the same provider twice is harmless.
    """

    def past_due(self, reminder: DueReminder, *, today: date) -> bool:
        """Whether ``reminder`` would say nothing whatever its matter holds (a countdown past its day,
        :func:`past_its_day`): the pass then skips it before loading the batch's matters. After a stop most of a
        catch-up pass's reminders are such countdowns; loading their matters and people only to skip them was
        half of that pass. ``message`` must still return None for them (it is asked when a batch is retried one
        reminder at a time, and by tests)."""
        return False

    def targets(self, model: type[models.Model]) -> models.QuerySet:
        """Where the batch's matters are loaded from (add ``select_related`` here). One not found was deleted."""
        return model._base_manager.all()

    def load(self, model: type[models.Model], ids: Sequence[int]) -> dict[int, models.Model]:
        """The batch's matters by id, in one query: :meth:`targets` filtered by ``ids``. A provider whose
        matters are many and wide may load them as rows instead (``loading.Shape``): the same instances."""
        # ``in_bulk`` would send the batch's ids as one placeholder each; ``__any`` sends them as one array.
        return {target.pk: target for target in self.targets(model).filter(pk__any=ids)}

    def prefetch(self, due: Sequence[tuple[models.Model, DueReminder]], *, now: datetime) -> Any:
        """Load, in a fixed number of queries, what the messages of ``due`` need; passed on as ``context``."""
        return None

    def message(self, target: models.Model, reminder: DueReminder, *, now: datetime,
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
