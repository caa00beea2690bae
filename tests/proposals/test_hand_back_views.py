"""The 申请退办 and 改办 screens: who sees which button, bad input explained in Chinese with nothing saved, the list filter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from proposals import services
from proposals.choices import HandBackStatus, SuggestionStatus
from proposals.models import HandBackRequest, Suggestion
from tests.factories import HandlingUnitFactory, proposals_suggestion, user_with_role

REQUIRED = "这个字段是必填项。"


@pytest.fixture
def water(world):
    return HandlingUnitFactory(township=world.township, name="水利站")


@pytest.fixture
def assigned(world, deputy):
    return proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)


@pytest.fixture
def pending(assigned, liaison, water):
    return services.suggestion_hand_back_request(suggestion=assigned, by=liaison, reason="河道清淤属水利站",
                                                 suggested_unit=water)


def _detail(client, item) -> str:
    return client.get(reverse("proposals:detail", args=[item.pk])).content.decode()


def test_it_offers_the_liaison_a_hand_back_with_the_days_left(login, liaison, assigned):
    body = _detail(login(liaison), assigned)
    assert reverse("proposals:hand_back", args=[assigned.pk]) in body and "还剩 5 个工作日" in body
    form = login(liaison).get(reverse("proposals:hand_back", args=[assigned.pk])).content.decode()
    assert "交办后 5 个工作日内可以申请退办" in form and 'name="reason"' in form


def test_it_explains_a_missing_reason_and_saves_nothing(login, liaison, assigned, world):
    response = login(liaison).post(reverse("proposals:hand_back", args=[assigned.pk]),
                                   {"reason": "", "suggested_unit": ""})
    assert response.status_code == 200 and REQUIRED in response.content.decode()
    response = login(liaison).post(reverse("proposals:hand_back", args=[assigned.pk]),
                                   {"reason": "不是本单位职责", "suggested_unit": world.other_unit.pk})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not HandBackRequest.objects.exists()


def test_it_sends_the_request_and_then_shows_it_as_pending(login, liaison, assigned, water):
    client = login(liaison)
    response = client.post(reverse("proposals:hand_back", args=[assigned.pk]),
                           {"reason": "河道清淤属水利站", "suggested_unit": water.pk})
    assert response.status_code == 302
    request = HandBackRequest.objects.get()
    assert request.suggested_unit == water and request.status == HandBackStatus.PENDING
    body = _detail(client, assigned)
    assert "正在等待人大办处理" in body and 'data-testid="hand-back"' not in body
    form = client.get(reverse("proposals:hand_back", args=[assigned.pk])).content.decode()
    assert 'data-testid="hand-back-pending"' in form and 'name="reason"' not in form


def test_it_says_why_when_the_limit_has_passed(login, liaison, assigned, monkeypatch):
    later = timezone.now() + dt.timedelta(days=30)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client = login(liaison)
    assert 'data-testid="hand-back"' not in _detail(client, assigned)
    form = client.get(reverse("proposals:hand_back", args=[assigned.pk])).content.decode()
    assert "现已超过" in form and 'name="reason"' not in form
    response = client.post(reverse("proposals:hand_back", args=[assigned.pk]), {"reason": "不是本单位职责"})
    assert response.status_code == 200 and "现已超过" in response.content.decode()
    assert not HandBackRequest.objects.exists()


def test_it_refuses_the_hand_back_screen_to_a_co_unit_and_another_township(world, login, staff, water, deputy):
    co_liaison = user_with_role(Role.UNIT_LIAISON, water, username="water_liaison")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, co_units=[water],
                               supervision_mode="routine")
    url = reverse("proposals:hand_back", args=[item.pk])
    assert login(co_liaison).get(url).status_code == 403
    assert login(world.user(Role.DEPUTY)).get(url).status_code == 403
    assert login(world.other_staff).get(reverse("proposals:reassign", args=[item.pk])).status_code == 404


def test_it_puts_a_pending_request_before_staff_with_both_decisions(login, staff, pending):
    body = _detail(login(staff), pending.suggestion)
    assert 'data-testid="hand-back-alert"' in body and "河道清淤属水利站" in body
    assert reverse("proposals:hand_back_approve", args=[pending.suggestion_id, pending.pk]) in body
    assert reverse("proposals:hand_back_refuse", args=[pending.suggestion_id, pending.pk]) in body
    form = login(staff).get(reverse("proposals:hand_back_approve", args=[pending.suggestion_id, pending.pk]))
    assert form.context["form"].initial["lead_unit"] == pending.suggested_unit


def test_it_keeps_the_request_pending_when_the_approval_form_is_wrong(login, staff, pending, world):
    url = reverse("proposals:hand_back_approve", args=[pending.suggestion_id, pending.pk])
    base = {"supervision_mode": "routine", "deadline_choice": "normal"}
    response = login(staff).post(url, base | {"lead_unit": ""})
    assert response.status_code == 200 and REQUIRED in response.content.decode()
    response = login(staff).post(url, base | {"lead_unit": world.unit.pk})  # the unit it is leaving
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    response = login(staff).post(url, base | {"lead_unit": pending.suggested_unit_id, "deadline_choice": "working_days"})
    assert response.status_code == 200 and "请填写天数" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == HandBackStatus.PENDING and Suggestion.objects.get().lead_unit == world.unit


def test_it_approves_and_reassigns_from_the_form(login, staff, pending, water):
    url = reverse("proposals:hand_back_approve", args=[pending.suggestion_id, pending.pk])
    response = login(staff).post(url, {"lead_unit": water.pk, "supervision_mode": "routine",
                                       "deadline_choice": "working_days", "working_days": 30})
    assert response.status_code == 302
    item = Suggestion.objects.get()
    assert item.lead_unit == water and item.deadline_amount == 30 and item.status == SuggestionStatus.ASSIGNED
    assert login(staff).get(url).status_code == 403  # decided: nothing left to decide


def test_it_needs_a_reason_to_refuse(login, staff, pending):
    url = reverse("proposals:hand_back_refuse", args=[pending.suggestion_id, pending.pk])
    response = login(staff).post(url, {"note": " "})
    assert response.status_code == 200 and REQUIRED in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == HandBackStatus.PENDING
    assert login(staff).post(url, {"note": "河道属财政所维护项目"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == HandBackStatus.REFUSED


def test_it_offers_staff_reassignment_and_needs_a_reason(login, staff, assigned, water, world):
    assert reverse("proposals:reassign", args=[assigned.pk]) in _detail(login(staff), assigned)
    url = reverse("proposals:reassign", args=[assigned.pk])
    response = login(staff).post(url, {"lead_unit": water.pk, "supervision_mode": "routine",
                                       "deadline_choice": "normal", "note": ""})
    assert response.status_code == 200 and REQUIRED in response.content.decode()
    assert Suggestion.objects.get().lead_unit == world.unit
    response = login(staff).post(url, {"lead_unit": water.pk, "supervision_mode": "routine",
                                       "deadline_choice": "normal", "note": "交办错误"})
    assert response.status_code == 302 and Suggestion.objects.get().lead_unit == water


def test_it_filters_the_list_to_pending_requests_in_bounded_queries(world, login, staff, liaison,
                                                                   django_assert_max_num_queries):
    def grow(n):
        for _ in range(n):
            item = proposals_suggestion(world.township, status_to="assigned", unit=world.unit, title="待处理的")
            services.suggestion_hand_back_request(suggestion=item, by=liaison, reason="不属于本单位")
            proposals_suggestion(world.township, status_to="assigned", unit=world.unit, title="没有申请的")

    grow(2)
    client = login(staff)
    url = reverse("proposals:list")
    for more in (3, 0):
        with django_assert_max_num_queries(14):
            response = client.get(url, {"progress": "hand_back"})
        titles = [s.title for s in response.context["object_list"]]
        assert set(titles) == {"待处理的"} and all(s.pending_hand_back for s in response.context["object_list"])
        assert 'data-testid="hand-back-badge"' in response.content.decode()
        grow(more)
    # The staff home also carries the petitions' cards and chart and the reception rota, the meetings' blocks
    # and the unit evaluations' turnout card; issue 12 counted each app's cards together and the handling rates
    # once (45 -> 36 here); the page budget of 20 is not reached yet.
    with django_assert_max_num_queries(36):
        home = client.get(reverse("home")).content.decode()
    assert "待处理的退办申请" in home
