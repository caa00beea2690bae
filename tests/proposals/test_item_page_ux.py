"""The item page says what is possible, what is not yet and why; each step says what happened; the handling
units' liaisons reach the deputies by phone while the item is open (logged)."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from deputies.models import PersonalDataAccess
from presidium.choices import Role
from proposals import lifecycle, services
from proposals.choices import Action, SuggestionKind, SuggestionStatus
from tests.factories import HandlingUnitFactory, proposals_deputy, proposals_suggestion, user_with_role


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the lifecycle's reasons ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status,action,kind", [
    case for case in itertools.product(SuggestionStatus, Action, SuggestionKind) if lifecycle.find(*case) is None])
def test_it_gives_every_refused_step_a_reason_beyond_the_refusal(status, action, kind):
    head = f"“{status.label}”状态的{kind.label}不能执行“{action.label}”。"
    reason = lifecycle.refusal_reason(status, action, kind)
    assert reason.startswith(head) and len(reason) > len(head) + 5


def test_it_names_the_steps_that_must_come_first():
    reason = lifecycle.refusal_reason(SuggestionStatus.REGISTERED, Action.REPLY, SuggestionKind.SUGGESTION)
    assert "须先“交办”、“签收办理”，再“答复”" in reason
    assert "改办" in lifecycle.refusal_reason(SuggestionStatus.ASSIGNED, Action.ASSIGN, SuggestionKind.SUGGESTION)
    assert "只适用于议案" in lifecycle.refusal_reason(
        SuggestionStatus.REGISTERED, Action.PLACE_ON_AGENDA, SuggestionKind.SUGGESTION)
    assert "已经结束" in lifecycle.refusal_reason(SuggestionStatus.CLOSED, Action.REPLY, SuggestionKind.SUGGESTION)


# --- not yet: a reason, not a 403 -------------------------------------------------------------------------------


def test_it_shows_reply_disabled_with_its_reason_before_the_consultation(world, login, liaison, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    services.suggestion_accept(suggestion=item, by=liaison)
    page = login(liaison).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="disabled-reply"' in page and "答复前须与领衔代表面商" in page
    assert 'data-testid="reply"' not in page


def test_it_answers_a_second_assignment_with_the_reason_not_a_403(world, login, staff, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    response = login(staff).get(reverse("proposals:assign", args=[item.pk]))
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    assert any("改办" in text for text in _messages(response))


def test_it_keeps_the_403_for_a_role_that_may_never_take_the_step(world, login, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    assert login(world.user(Role.DEPUTY)).get(reverse("proposals:assign", args=[item.pk])).status_code == 403


def test_it_shows_the_deputy_the_rating_waiting_for_the_reply(world, login, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    page = login(world.user(Role.DEPUTY)).get(item.get_absolute_url()).content.decode()
    assert 'data-testid="disabled-rate"' in page and "再“评价”" in page
    assert 'data-testid="disabled-reply"' not in page  # not the deputy's step


def test_it_shows_no_disabled_steps_on_a_closed_item(world, login, staff, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="closed", unit=world.unit)
    assert 'data-testid="not-yet"' not in login(staff).get(item.get_absolute_url()).content.decode()


# --- what happened, and what comes next -------------------------------------------------------------------------


def test_it_says_what_registering_did_and_what_comes_next(world, login, staff, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted")
    response = login(staff).post(reverse("proposals:register", args=[item.pk]), {"category": item.category_id})
    item.refresh_from_db()
    assert item.status == "registered"
    assert _messages(response) == [f"已登记，编号 {item.serial}。下一步：交办承办单位。"]


def test_it_says_what_assigning_did_and_what_comes_next(world, login, staff, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    response = login(staff).post(reverse("proposals:assign", args=[item.pk]), {
        "lead_unit": world.unit.pk, "supervision_mode": "routine", "deadline_choice": "normal"})
    item.refresh_from_db()
    assert item.status == "assigned"
    [text] = _messages(response)
    assert f"已交办 财政所 办理，期限 {item.deadline:%Y-%m-%d}" in text and "面商" in text


def test_it_says_what_replying_and_rating_did(world, login, liaison, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit)
    response = login(liaison).post(reverse("proposals:reply", args=[item.pk]), {"result_class": "A", "text": "已修好"})
    assert "等待代表评价" in _messages(response)[0]
    response = login(world.user(Role.DEPUTY)).post(reverse("proposals:rate", args=[item.pk]), {
        "work_grade": "unsatisfied", "result_grade": "satisfied", "comment": "桥面仍有裂缝"})
    assert "重新办理" in _messages(response)[-1]


def test_it_shows_the_reply_being_rated_above_the_form(world, login, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="replied", unit=world.unit)
    page = login(world.user(Role.DEPUTY)).get(reverse("proposals:rate", args=[item.pk])).content.decode()
    assert page.index('data-testid="reply-being-rated"') < page.index('name="work_grade"')
    assert "已列入今年计划并完成修缮。" in page and 'class="choice-option"' in page


def test_it_asks_before_replying_and_names_co_units_without_an_opinion(world, login, liaison, deputy, staff):
    water = HandlingUnitFactory(township=world.township, name="水利站")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, co_units=[water],
                                      supervision_mode="routine")
    services.consultation_record(suggestion=item, by=liaison, stage="before_reply", form="phone",
                                 held_on=timezone.localdate(), participants="代表", summary="电话沟通")
    page = login(liaison).get(reverse("proposals:reply", args=[item.pk])).content.decode()
    assert 'data-testid="co-units-waiting"' in page
    assert 'data-confirm="还有 1 个协办单位没有送来意见（水利站）。' in page


def test_it_asks_before_closing(world, login, staff, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="replied", unit=world.unit)
    services.suggestion_rate(suggestion=item, by=staff, work_grade="satisfied", result_grade="satisfied")
    assert "data-confirm=" in login(staff).get(reverse("proposals:close", args=[item.pk])).content.decode()


# --- reaching the deputy (三见面) ---------------------------------------------------------------------------------


@pytest.fixture
def phoned(world, deputy):
    deputy.mobile = "13812345678"
    deputy.save(update_fields=["mobile"])
    cosigner = proposals_deputy(world.township, name="联名代表甲")
    cosigner.mobile = "13900001111"
    cosigner.save(update_fields=["mobile"])
    return cosigner


def test_it_shows_the_deputies_phones_to_the_handling_units_while_open_and_logs_it(world, login, liaison, deputy,
                                                                                   staff, phoned):
    water = HandlingUnitFactory(township=world.township, name="水利站")
    co_liaison = user_with_role(Role.UNIT_LIAISON, water, username="liaison_water")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="draft", cosigners=[phoned])
    item = services.suggestion_submit(suggestion=item, by=staff)
    services.cosignature_confirm(cosignature=item.cosignatures.get(), by=staff)
    item = services.suggestion_register(suggestion=item, by=staff)
    services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, co_units=[water],
                               supervision_mode="routine")
    for user in (liaison, co_liaison):
        page = login(user).get(item.get_absolute_url()).content.decode()
        assert 'href="tel:13812345678"' in page and 'href="tel:13900001111"' in page
    logged = PersonalDataAccess.objects.filter(purpose="handling")
    assert logged.count() == 4
    assert set(logged.values_list("user__username", flat=True)) == {"liaison_a", "liaison_water"}
    assert set(logged.values_list("deputy__name", flat=True)) == {"冯国强", "联名代表甲"}


def test_it_hides_the_phones_from_others_and_after_the_reply(world, login, liaison, deputy, staff, phoned):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit)
    for user in (world.user(Role.DEPUTY), staff, world.user(Role.COUNTY_REVIEWER)):
        assert "tel:13812345678" not in login(user).get(item.get_absolute_url()).content.decode()
    services.reply_submit(suggestion=item, by=liaison, text="已修好", result_class="A")
    assert "tel:13812345678" not in login(liaison).get(item.get_absolute_url()).content.decode()
    assert not PersonalDataAccess.objects.filter(purpose="handling").exists()
