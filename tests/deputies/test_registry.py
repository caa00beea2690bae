"""Registry services: registration checks, constituency seats, the status lifecycle, groups, stations, accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from deputies import services
from deputies.choices import STATUS_TRANSITIONS, DeputyStatus
from deputies.models import Deputy, DeputyStatusChange
from deputies.pii import id_number_digest
from presidium.access import forget_scope, scope_of
from presidium.choices import Role
from tests.deputies.conftest import make_id_number
from tests.factories import (
    ConstituencyFactory,
    DeputyFactory,
    DeputyGroupFactory,
    LiaisonStationFactory,
    UserFactory,
)


def test_it_registers_a_deputy_in_the_current_term_with_pinyin_and_a_digest(world):
    number = make_id_number(dt.date(1975, 3, 17))
    deputy = services.deputy_create(township=world.township, by=world.user("presidium_staff"), name=" 曾 国藩 ",
                                    gender="male", id_number=number.lower(), mobile="138 1234 5678")
    assert deputy.name == "曾国藩"
    assert (deputy.name_pinyin, deputy.name_initials) == ("zeng guo fan", "zgf")
    assert deputy.term == world.township.current_term()
    assert deputy.birth_date == dt.date(1975, 3, 17)  # from the ID number
    assert deputy.mobile == "13812345678"
    assert deputy.id_number_digest == id_number_digest(number)
    assert deputy.history.first().history_user == world.user("presidium_staff")


def test_it_keeps_the_id_number_out_of_the_history_table(world):
    deputy = DeputyFactory(township=world.township, id_number=make_id_number())
    snapshot = deputy.history.first()
    assert not hasattr(snapshot, "id_number")
    assert snapshot.id_number_digest == deputy.id_number_digest


def test_it_refuses_a_second_deputy_with_the_same_id_number_in_the_term(world):
    number = make_id_number()
    DeputyFactory(township=world.township, id_number=number, name="王芳")
    with pytest.raises(ValidationError) as caught:
        DeputyFactory(township=world.township, id_number=number)
    assert "王芳" in caught.value.message_dict["id_number"][0]
    # Another township may register the same person (a county deputy appears in both rosters).
    assert DeputyFactory(township=world.other_township, id_number=number).pk


@pytest.mark.parametrize("changes, field", [
    ({"birth_date": dt.date(1976, 3, 1)}, "birth_date"),
    ({"gender": "female"}, "gender"),
    ({"name": "张3"}, "name"),
    ({"birth_date": dt.date(2015, 1, 1), "id_number": ""}, "birth_date"),
])
def test_it_refuses_inconsistent_or_impossible_details(world, changes, field):
    fields = {"id_number": make_id_number(dt.date(1975, 3, 17), male=True), "name": "张三", "gender": "male",
              **changes}
    with pytest.raises(ValidationError) as caught:
        services.deputy_create(township=world.township, by=None, **fields)
    assert field in caught.value.message_dict
    assert not Deputy.objects.exists()


def test_it_accepts_a_birth_month_matching_the_id_number(world):
    deputy = DeputyFactory(township=world.township, id_number=make_id_number(dt.date(1975, 3, 17)),
                           birth_date=dt.date(1975, 3, 1))
    assert deputy.birth_date == dt.date(1975, 3, 17)


def test_it_refuses_groups_and_stations_of_another_township(world):
    group = DeputyGroupFactory(township=world.other_township)
    with pytest.raises(ValidationError) as caught:
        DeputyFactory(township=world.township, group=group)
    assert "group" in caught.value.message_dict


def test_it_says_clearly_when_a_constituency_is_full(world):
    constituency = ConstituencyFactory(township=world.township, name="第一选区", seats=2)
    DeputyFactory(township=world.township, constituency=constituency, name="王芳")
    DeputyFactory(township=world.township, constituency=constituency, name="李强")
    with pytest.raises(ValidationError) as caught:
        DeputyFactory(township=world.township, constituency=constituency, name="赵敏")
    message = caught.value.message_dict["constituency"][0]
    assert "应选 2 名" in message and "王芳" in message and "最多选举 3 名" in message
    # A county deputy does not hold a township seat.
    assert DeputyFactory(township=world.township, constituency=constituency, level="county").pk


def test_it_refuses_more_than_three_seats_and_fewer_seats_than_serving_deputies(world):
    with pytest.raises(ValidationError) as caught:
        services.constituency_create(township=world.township, by=None, name="大选区", seats=4)
    assert "1 至 3 名" in caught.value.message_dict["seats"][0]
    constituency = services.constituency_create(township=world.township, by=None, name="第一选区", seats=2)
    DeputyFactory(township=world.township, constituency=constituency)
    DeputyFactory(township=world.township, constituency=constituency)
    with pytest.raises(ValidationError):
        services.constituency_update(constituency=constituency, by=None, seats=1)


ALL = list(DeputyStatus)


@pytest.mark.parametrize("source", ALL)
@pytest.mark.parametrize("target", ALL)
def test_it_walks_every_allowed_and_refuses_every_forbidden_status_change(world, source, target):
    """Every pair of statuses: allowed ones are recorded with date and reason, the rest refused."""
    deputy = DeputyFactory(township=world.township)
    day = dt.date.today() - dt.timedelta(days=10)
    if source != DeputyStatus.SERVING:
        deputy = services.deputy_change_status(deputy=deputy, by=None, to_status=source, effective_on=day,
                                               reason="准备")
    allowed = target in STATUS_TRANSITIONS[source]
    if allowed:
        deputy = services.deputy_change_status(deputy=deputy, by=None, to_status=target, effective_on=day,
                                               reason="主席团会议决定")
        assert deputy.status == target
        change = DeputyStatusChange.objects.filter(deputy=deputy).order_by("-pk").first()
        assert (change.from_status, change.to_status, change.reason) == (source, target, "主席团会议决定")
    else:
        with pytest.raises(ValidationError):
            services.deputy_change_status(deputy=deputy, by=None, to_status=target, effective_on=day, reason="x")
        deputy.refresh_from_db()
        assert deputy.status == source


def test_it_needs_a_reason_and_a_past_date_to_change_status(world):
    deputy = DeputyFactory(township=world.township)
    with pytest.raises(ValidationError):
        services.deputy_change_status(deputy=deputy, by=None, to_status="resigned", effective_on=dt.date.today(),
                                      reason="  ")
    with pytest.raises(ValidationError):
        services.deputy_change_status(deputy=deputy, by=None, to_status="resigned",
                                      effective_on=dt.date.today() + dt.timedelta(days=1), reason="辞职")


def test_it_keeps_records_and_drops_leadership_when_a_deputy_leaves(world):
    group = DeputyGroupFactory(township=world.township)
    leader = DeputyFactory(township=world.township, group=group)
    services.deputy_group_update(group=group, by=None, leader=leader)
    services.deputy_change_status(deputy=leader, by=None, to_status="resigned", effective_on=dt.date.today(),
                                  reason="本人书面辞职")
    group.refresh_from_db()
    leader.refresh_from_db()
    assert group.leader is None
    assert leader.group == group  # membership record kept
    assert Deputy.objects.filter(pk=leader.pk).exists()


def test_it_checks_group_leaders_and_kinds(world):
    big = services.deputy_group_create(township=world.township, by=None, name="第一代表大组", kind="big")
    small = services.deputy_group_create(township=world.township, by=None, name="东风小组", parent=big)
    outsider = DeputyFactory(township=world.township)
    with pytest.raises(ValidationError) as caught:
        services.deputy_group_update(group=small, by=None, leader=outsider)
    assert "leader" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.deputy_group_create(township=world.township, by=None, name="嵌套大组", kind="big", parent=big)
    with pytest.raises(ValidationError):
        DeputyFactory(township=world.township, group=big)
    member = DeputyFactory(township=world.township)
    services.deputy_group_set_members(group=small, by=None, deputies=[member, outsider])
    assert set(small.members.all()) == {member, outsider}
    services.deputy_group_update(group=big, by=None, leader=member)  # a big group's leader sits in a subgroup
    with pytest.raises(ValidationError):
        services.deputy_group_update(group=small, by=None, kind="big")


def test_it_keeps_one_head_per_station(world):
    station = LiaisonStationFactory(township=world.township)
    head = DeputyFactory(township=world.township)
    services.station_staff_add(station=station, by=None, role="head", deputy=head)
    with pytest.raises(ValidationError):
        services.station_staff_add(station=station, by=None, role="head", name="另一人")
    with pytest.raises(ValidationError):
        services.liaison_station_update(station=station, by=None, level="village", village="")


def test_it_links_an_account_and_grants_the_deputy_role(world):
    user = UserFactory()
    deputy = DeputyFactory(township=world.township)
    services.deputy_link_user(deputy=deputy, by=world.user("presidium_staff"), user=user)
    forget_scope(user)
    assert scope_of(user).has_role(Role.DEPUTY)
    with pytest.raises(ValidationError):
        services.deputy_link_user(deputy=DeputyFactory(township=world.township), by=None, user=user)
    services.deputy_link_user(deputy=deputy, by=None, user=None)
    deputy.refresh_from_db()
    assert deputy.user is None
