"""The reminder pass costs a fixed number of queries a batch, whatever its size and mix of kinds (issue 12).

Each batch holds one model's reminders; its provider reads the same queries for one kind as for every kind,
and the pass's queries grow with its batches, not with its reminders. Batches are kept small enough here
that SQLite (999 parameters a statement) does not split an insert, so the counts are exact on both databases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.utils import timezone

from petitions import services as petition_services
from petitions.choices import ClockKind
from petitions.models import PetitionClock
from presidium.choices import Role
from presidium.models import HandlingUnit
from presidium.notifications import reminders
from presidium.notifications.choices import ReminderOutcome
from presidium.notifications.models import Notification, Reminder, ReminderLedger
from presidium.notifications.reminders import reminder_schedule, reminders_for, send_due_reminders
from proposals import services as proposal_services
from proposals.models import Suggestion
from tests.factories import petition_registered, proposals_deputy, proposals_suggestion, user_with_role
from tests.presidium.test_reminders import KIND, app  # noqa: F401 — the fake app registered for units


@dataclass
class Batches:
    """Queries and reminders of every batch of the passes run inside ``count()``."""

    sizes: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    models: list = field(default_factory=list)
    total: int = 0


@pytest.fixture
def batches(monkeypatch):
    recorded = Batches()
    send_batch = reminders._send_batch

    def counter(execute, sql, params, many, context):
        recorded.total += 1
        return execute(sql, params, many, context)

    def counted_batch(clock, size):
        before = recorded.total
        batch = send_batch(clock, size)
        recorded.sizes.append(len(batch))
        recorded.queries.append(recorded.total - before)
        recorded.models.append({item.reminder.content_type_id for item in batch})
        return batch

    monkeypatch.setattr(reminders, "_send_batch", counted_batch)
    with connection.execute_wrapper(counter):
        yield recorded


def _due_units(world, count: int, name: str) -> None:
    units = HandlingUnit.objects.bulk_create(
        [HandlingUnit(township=world.township, name=f"{name}{i}") for i in range(count)])
    for unit in units:
        reminder_schedule(target=unit, kind=KIND, due_at=timezone.now() - dt.timedelta(minutes=1))


def test_it_costs_a_batch_of_3_and_a_batch_of_30_the_same_queries(app, world, batches):  # noqa: F811
    _due_units(world, 3, "小")
    assert send_due_reminders(batch_size=30) == 3
    _due_units(world, 30, "大")
    assert send_due_reminders(batch_size=30) == 30
    assert batches.sizes == [3, 0, 30, 0]
    small, _, large, _ = batches.queries
    assert small == large
    assert Notification.objects.count() == 66


def test_it_grows_the_pass_by_batches_not_by_reminders(app, world, batches):  # noqa: F811
    """35 due in batches of 10: four batches of the same cost and one claim that finds nothing."""
    _due_units(world, 35, "批")
    before = batches.total
    assert send_due_reminders(batch_size=10) == 35
    assert batches.sizes == [10, 10, 10, 5, 0]
    per_batch, nothing = batches.queries[0], batches.queries[-1]
    assert batches.queries == [per_batch] * 4 + [nothing] and nothing <= 3  # the claim (in BEGIN … on SQLite)
    assert batches.total - before == 4 * per_batch + nothing


def _assigned(world, deputy, staff, count: int) -> list:
    items = []
    for _ in range(count):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
        items.append(proposal_services.suggestion_assign(
            suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
            deadline_choice="working_days", working_days=20, responsible_leader_user=world.user(Role.PRESIDIUM_CHAIR)))
    return items


def _petitions(world, staff, count: int, *, transferred: bool) -> None:
    """Petitions received two days ago; ``transferred`` ones also run a completion clock at a unit."""
    owner = user_with_role(Role.UNIT_LIAISON, world.unit, real_name="李站长") if transferred else None
    for _ in range(count):
        petition = petition_registered(world.township, by=staff,
                                       received_on=timezone.localdate() - dt.timedelta(days=2))
        if transferred:
            petition_services.petition_accept(petition=petition, by=staff)
            petition_services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长",
                                                owner_user=owner)


def _latest_due(model) -> dt.datetime:
    return max(Reminder.objects.filter(content_type__model=model._meta.model_name).values_list("due_at", flat=True))


def test_it_costs_a_batch_the_same_for_one_kind_and_for_every_kind(world, batches):
    """Per model, a batch of one kind and a batch of every kind (with promises, with transfers) cost the same.

    A pass over both models takes one model a batch.
    """
    deputy = proposals_deputy(world.township, user=world.user(Role.DEPUTY), name="冯国强")
    staff, liaison = world.user(Role.PRESIDIUM_STAFF), world.user(Role.UNIT_LIAISON)
    # One kind: suggestions and petitions whose only due reminder is the first one.
    first = _assigned(world, deputy, staff, 2)
    _petitions(world, staff, 2, transferred=False)
    suggestion_type = reminders_for(first[0]).first().content_type
    one_kind = min(Reminder.objects.filter(content_type=suggestion_type).values_list("due_at", flat=True))
    Reminder.objects.exclude(due_at=one_kind, content_type=suggestion_type).filter(
        content_type=suggestion_type).update(status="cancelled")
    clocks = Reminder.objects.filter(content_type__model="petitionclock")
    Reminder.objects.filter(pk__in=clocks.exclude(kind="before_3").values("pk")).update(status="cancelled")
    # Both due on one day, the pass's: a countdown handled after its day is skipped (presidium.notifications.providers).
    Reminder.objects.filter(status="scheduled").update(due_at=one_kind)
    assert send_due_reminders(now=one_kind + dt.timedelta(hours=1)) == 4
    assert batches.sizes == [2, 2, 0] and all(len(models) == 1 for models in batches.models[:2])
    one = dict(zip([next(iter(m)) for m in batches.models[:2]], batches.queries[:2], strict=True))
    assert set(Notification.objects.filter(kind__startswith="reminder.").values_list("kind", flat=True)) == {"reminder.due_before_10",
                                                                         "reminder.petitions.due_soon"}

    # Every kind: the suggestions' five kinds and a promise, the petitions' clocks at the township and a unit.
    Reminder.objects.all().delete()
    ReminderLedger.objects.all().delete()
    items = _assigned(world, deputy, staff, 2)
    proposal_services.consultation_record(suggestion=items[0], by=liaison, stage="before_reply", form="phone",
                                          held_on=timezone.localdate(), participants="代表", summary="电话沟通")
    proposal_services.reply_submit(suggestion=items[0], by=liaison, text="列入明年计划", result_class="B",
                                   promised_date=timezone.localdate() + dt.timedelta(days=10))
    _petitions(world, staff, 1, transferred=True)
    assert PetitionClock.objects.filter(kind=ClockKind.COMPLETION).exists()
    kinds = set(Reminder.objects.filter(status="scheduled").values_list("kind", flat=True))
    assert {"due_before_10", "due_today", "overdue", "before_3"} <= kinds
    assert any(kind.startswith("promise_") for kind in kinds)
    del batches.sizes[:], batches.queries[:], batches.models[:]
    outcomes = []
    send_due_reminders(now=max(_latest_due(Suggestion), _latest_due(PetitionClock)) + dt.timedelta(hours=1),
                       report=lambda reminder, outcome, due_at: outcomes.append(outcome))
    assert ReminderOutcome.SENT in outcomes and batches.sizes[-1] == 0
    every = dict(zip([next(iter(m)) for m in batches.models[:-1]], batches.queries[:-1], strict=True))
    assert all(len(models) == 1 for models in batches.models[:-1]) and len(every) == 2
    assert every == one
