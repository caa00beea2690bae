"""Screen steps (petitions.access.can/available/why_not/upcoming): buttons by relation and state, with the reason
a disabled button shows; a role that never may gets no reason (a 403)."""

import datetime as dt

import pytest

from petitions import services
from petitions.access import available, can, upcoming, why_not
from tests.factories import petition_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.user("presidium_staff")


def test_it_offers_staff_the_first_steps_of_a_registered_case(world, staff):
    petition = petition_at("registered", world.township, by=staff)
    assert available(staff, petition) == ["edit", "answer_on_spot", "accept", "reject", "key_supervision",
                                          "lead_leader", "link_repeat"]
    assert "受理" in why_not(staff, "transfer", petition)
    assert [key for key, _ in upcoming(staff, petition)] == ["transfer", "reply", "close"]


def test_it_waits_for_the_unit_before_the_written_answer(world, staff):
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit)
    liaison = world.user("unit_liaison")
    assert available(liaison, petition) == ["unit_reply"]
    assert why_not(liaison, "accept", petition) is None  # never the liaison's step: a 403
    assert not can(staff, "reply", petition) and "还没有回复" in why_not(staff, "reply", petition)
    assert "extend" in available(staff, petition)
    services.petition_unit_reply(petition=petition, by=liaison, reply="已办。")
    assert can(staff, "reply", petition) and not can(liaison, "unit_reply", petition)


def test_it_offers_nothing_to_roles_that_only_read(world, staff):
    petition = petition_at("accepted", world.township, by=staff)
    for role in ("county_admin", "county_reviewer", "deputy"):
        user = world.user(role)
        assert available(user, petition) == [] and upcoming(user, petition) == []
        assert why_not(user, "transfer", petition) is None
    assert available(world.other_staff, petition) == []


def test_it_says_why_an_extension_or_a_review_is_no_longer_possible(world, staff):
    petition = petition_at("accepted", world.township, by=staff)
    services.petition_extend(petition=petition, by=staff, days=10, reason="情况复杂。", approved_by="王镇长",
                             on=dt.date(2026, 10, 8))
    assert "一次" in why_not(staff, "extend", petition)
    replied = petition_at("replied", world.township, by=staff)  # its review window ended 2026-11-24
    assert "2026-11-24" in why_not(staff, "review_request", replied)
    assert "return_visit" in available(staff, replied) and "close" in available(staff, replied)


def test_it_offers_the_re_review_steps_by_the_level_the_case_is_at(world, staff):
    reviewed = petition_at("reviewed", world.township, by=staff)
    assert "close" in available(staff, reviewed)
    requested = petition_at("re_review_requested", world.township, by=staff)
    assert "review_decide" in available(staff, requested)
