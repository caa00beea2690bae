"""The reminder pass's matters and people read as rows (``presidium.notifications.loading``): the same instances.

``Shape.load`` makes from ``values_list`` rows what ``select_related(...).only(...)`` makes through the ORM. These
tests compare the two on the real database, instance by instance: the values read, what is deferred, the related
instances (None where a relation is empty), the reverse cache of a one-to-one, the state.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from presidium.choices import Role
from presidium.models import HandlingUnit, RoleAssignment
from presidium.notifications.loading import Shape
from presidium.notifications.selectors import RECIPIENT, RECIPIENT_FIELDS, liaisons_and_staff
from proposals import services
from proposals.models import Suggestion
from proposals.services.deadlines import SuggestionReminders
from tests.factories import proposals_deputy, proposals_suggestion, user_with_role


def _state(instance, depth: int = 0):
    """Everything a loaded instance holds: its class, values, state, deferred fields and related instances."""
    if instance is None:
        return None
    values = {name: value for name, value in instance.__dict__.items() if name != "_state"}
    related = {name: _state(other, depth + 1) if depth < 3 else (type(other), getattr(other, "pk", None))
               for name, other in instance._state.fields_cache.items()}
    return (type(instance), values, instance._state.adding, instance._state.db, related,
            instance.get_deferred_fields())


@pytest.fixture
def items(world):
    """Items with every relation filled and with each one empty: unit, leader, deputy's account."""
    staff, chair = world.user(Role.PRESIDIUM_STAFF), world.user(Role.PRESIDIUM_CHAIR)
    with_account = proposals_deputy(world.township, user=world.user(Role.DEPUTY), name="冯国强")
    without_account = proposals_deputy(world.township, name="无账号代表")
    assigned = services.suggestion_assign(
        suggestion=proposals_suggestion(world.township, lead_deputy=with_account, status_to="registered"),
        by=staff, lead_unit=world.unit, supervision_mode="routine", deadline_choice="working_days", working_days=20,
        responsible_leader_user=chair)
    plain = proposals_suggestion(world.township, lead_deputy=without_account, status_to="assigned")
    registered = proposals_suggestion(world.township, lead_deputy=with_account, status_to="registered",
                                      title="无承办单位的建议")
    return [assigned, plain, registered]


def test_it_loads_the_suggestions_as_the_orm_does(items):
    provider = SuggestionReminders()
    ids = [item.pk for item in items] + [max(item.pk for item in items) + 1000]  # one deleted meanwhile
    with CaptureQueriesContext(connection) as captured:
        loaded = provider.load(Suggestion, ids)
    assert len(captured) == 1
    by_orm = {item.pk: item for item in provider.targets(Suggestion).filter(pk__in=ids)}
    assert set(loaded) == set(by_orm) == {item.pk for item in items}
    for pk, item in by_orm.items():
        assert _state(loaded[pk]) == _state(item)
    assigned, plain, registered = (loaded[item.pk] for item in items)
    assert assigned.lead_unit.name == "财政所" and assigned.responsible_leader_user.username == "chair_a"
    assert assigned.lead_deputy.user.username == "deputy_a"
    assert assigned.lead_deputy.user.deputy_profile is assigned.lead_deputy  # the one-to-one's reverse side
    assert plain.responsible_leader_user is None and plain.lead_deputy.user is None
    assert registered.lead_unit is None
    # Not read, so deferred: touching it reads it (a query), as an instance from ``only`` does.
    with CaptureQueriesContext(connection) as captured:
        assert assigned.content == "村道年久失修，雨天难行。"
    assert len(captured) == 1


def test_it_reads_the_role_holders_as_the_orm_does(world, items):
    second = user_with_role(Role.UNIT_LIAISON, world.unit, username="liaison_b", email="b@example.invalid")
    user_with_role(Role.UNIT_LIAISON, world.unit, username="liaison_gone", is_active=False)
    unit_ids, township_ids = [world.unit.pk, world.other_unit.pk], [world.township.pk, world.other_township.pk]
    wanted = (Q(role=Role.UNIT_LIAISON, handling_unit_id__in=unit_ids)
              | Q(role=Role.PRESIDIUM_STAFF, township_id__in=township_ids))
    by_orm: dict[tuple, list] = {}
    for grant in (RoleAssignment.objects.filter(wanted, user__is_active=True).select_related("user")
                  .only("role", "handling_unit_id", "township_id", "user_id", *(f"user__{f}" for f in RECIPIENT_FIELDS))
                  .order_by("user_id")):
        key = ("liaisons", grant.handling_unit_id) if grant.role == Role.UNIT_LIAISON else ("staff", grant.township_id)
        by_orm.setdefault(key, []).append(_state(grant.user))
    with CaptureQueriesContext(connection) as captured:
        holders = liaisons_and_staff(unit_ids=unit_ids, township_ids=township_ids)
    assert len(captured) == 1
    loaded = {(name, key): [_state(user) for user in users]
              for name in ("liaisons", "staff") for key, users in getattr(holders, name).items()}
    assert loaded == by_orm
    assert [user.username for user in holders.liaisons[world.unit.pk]] == ["liaison_a", second.username]


def test_a_shape_names_its_primary_key_first_and_forward_relations_only():
    with pytest.raises(ValueError, match="primary key"):
        Shape(HandlingUnit, ("name", "id"))
    with pytest.raises(ValueError, match="forward relation"):
        Shape(RECIPIENT.model, ("id",), related=(("role_assignments", RECIPIENT),))


def test_it_refuses_a_model_whose_instances_need_init(world):
    """A receiver of ``post_init`` (or ``pre_init``) would not run for an instance made from a row: refused."""
    from django.db.models.signals import post_init

    def receiver(**kwargs):
        pass

    shape = Shape(HandlingUnit, ("id", "name"))
    assert [unit.name for unit in shape.load(HandlingUnit.objects.filter(pk=world.unit.pk))] == ["财政所"]
    post_init.connect(receiver, sender=HandlingUnit)
    try:
        with pytest.raises(ValueError, match="init signal"):
            shape.load(HandlingUnit.objects.filter(pk=world.unit.pk))
    finally:
        post_init.disconnect(receiver, sender=HandlingUnit)


def test_it_loads_the_clocks_and_their_open_transfers_as_the_orm_does(world):
    """A clock with its case and the case's lead leader; the open transfer with its owner's account."""
    import datetime as dt

    from django.utils import timezone

    from petitions import services as petition_services
    from petitions.models import PetitionClock, PetitionTransfer
    from petitions.reminders import _TRANSFER, ClockReminders
    from tests.factories import UserFactory, petition_registered

    staff = world.user(Role.PRESIDIUM_STAFF)
    led = petition_registered(world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=2))
    petition_services.petition_lead_leader_set(petition=led, by=staff, leader=UserFactory(real_name="包案领导"))
    owner = user_with_role(Role.UNIT_LIAISON, world.unit, real_name="李站长")
    petition_services.petition_accept(petition=led, by=staff)
    petition_services.petition_transfer(petition=led, by=staff, unit=world.unit, owner_name="李站长", owner_user=owner)
    plain = petition_registered(world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=1))
    petition_services.petition_accept(petition=plain, by=staff)
    petition_services.petition_transfer(petition=plain, by=staff, unit=world.unit, owner_name="王主任")
    provider = ClockReminders()
    ids = list(PetitionClock.objects.filter(petition__in=[led, plain]).values_list("pk", flat=True))
    loaded = provider.load(PetitionClock, ids)
    by_orm = {clock.pk: clock for clock in provider.targets(PetitionClock).filter(pk__in=ids)}
    assert len(ids) >= 4 and set(loaded) == set(by_orm) == set(ids)
    for pk, clock in by_orm.items():
        assert _state(loaded[pk]) == _state(clock)
    assert {clock.petition.lead_leader.real_name for clock in loaded.values() if clock.petition_id == led.pk} == {
        "包案领导"}
    assert {clock.petition.lead_leader for clock in loaded.values() if clock.petition_id == plain.pk} == {None}
    # The open transfers: the fields the messages read, the owner's account as an account told is loaded.
    open_transfers = PetitionTransfer.objects.filter(petition__in=[led, plain], replied_at__isnull=True,
                                                     cancelled_at__isnull=True)
    with CaptureQueriesContext(connection) as captured:
        transfers = {t.petition_id: t for t in _TRANSFER.load(open_transfers)}
    assert len(captured) == 1
    owned = open_transfers.select_related("owner_user").get(petition=led).owner_user
    assert _state(transfers[led.pk].owner_user) == _state(RECIPIENT.load(type(owner).objects.filter(pk=owned.pk))[0])
    assert transfers[led.pk].unit_id == world.unit.pk and transfers[plain.pk].owner_user is None
    assert [getattr(transfers[led.pk].owner_user, f) for f in RECIPIENT_FIELDS] == [
        getattr(owned, f) for f in RECIPIENT_FIELDS]
