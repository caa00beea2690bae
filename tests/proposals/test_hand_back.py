"""申请退办 and 改办 through the services: who may, until when, what a reassignment resets and who is told."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from presidium.choices import Role
from presidium.notifications.choices import ReminderStatus
from presidium.notifications.models import Notification
from presidium.notifications.reminders import reminders_for, send_due_reminders
from proposals import services
from proposals.choices import ExtensionStatus, HandBackStatus, SuggestionStatus
from proposals.models import HandBackRequest, ProposalSettings, SuggestionLog
from proposals.selectors import hand_back_window, suggestions_visible_to
from tests.factories import HandlingUnitFactory, proposals_suggestion, user_with_role

S = SuggestionStatus
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def water(world):
    return HandlingUnitFactory(township=world.township, name="水利站", responsible_leader="李站长")


@pytest.fixture
def water_liaison(water):
    return user_with_role(Role.UNIT_LIAISON, water, username="water_liaison")


@pytest.fixture
def assigned(world, deputy, staff):
    """An item just assigned to the world's unit (财政所), whose liaison is ``world.user('unit_liaison')``."""
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    return services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
                                      deadline_choice="working_days", working_days=20)


def _ask(item, liaison, **extra):
    return services.suggestion_hand_back_request(suggestion=item, by=liaison, reason="属于水利站职责", **extra)


def _titles(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def test_it_lets_the_unit_ask_and_staff_approve_and_reassign_in_one_step(world, deputy, staff, liaison, assigned,
                                                                        water, water_liaison):
    request = _ask(assigned, liaison, suggested_unit=water)
    assert request.status == HandBackStatus.PENDING and request.unit == world.unit
    assert _titles(staff, "proposals.hand_back_requested")
    assigned.refresh_from_db()
    assert assigned.status == S.ASSIGNED and assigned.lead_unit == world.unit  # nothing moves until staff decide

    leader = world.user(Role.PRESIDIUM_CHAIR)
    decided = services.suggestion_hand_back_decide(request=request, by=staff, approve=True, lead_unit=water,
                                                   responsible_leader_user=leader, note="同意，改交水利站")
    item = decided.suggestion
    item.refresh_from_db()
    assert decided.status == HandBackStatus.APPROVED and decided.new_unit == water and decided.decided_by == staff
    assert item.status == S.ASSIGNED and item.lead_unit == water and item.responsible_leader == "李站长"
    assert item.assigned_by == staff and item.deadline_start == timezone.localdate()
    assert item.deadline_amount == world.township.reply_deadline_months and item.deadline_unit == "months"
    events = list(SuggestionLog.objects.filter(suggestion=item).values_list("event", flat=True))
    assert events[-2:] == ["request_hand_back", "reassign"]
    assert "同意财政所退办，改交 水利站 办理" in SuggestionLog.objects.filter(suggestion=item).last().title
    away = Notification.objects.get(recipient=liaison, kind="proposals.reassigned_away")
    assert "水利站" in away.title and away.url == ""  # the old unit no longer sees the item
    assert _titles(water_liaison, "proposals.assigned") and _titles(leader, "proposals.assigned")
    assert _titles(world.user(Role.DEPUTY), "proposals.reassigned_deputy")
    assert not suggestions_visible_to(liaison).filter(pk=item.pk).exists()
    assert suggestions_visible_to(water_liaison).filter(pk=item.pk).exists()


def test_it_lets_only_the_lead_units_liaison_ask(world, staff, assigned, water, water_liaison):
    co_item = proposals_suggestion(world.township, status_to="registered")
    co_item = services.suggestion_assign(suggestion=co_item, by=staff, lead_unit=world.unit, co_units=[water],
                                         supervision_mode="routine")
    for outsider, item in [(staff, assigned), (world.user(Role.DEPUTY), assigned), (water_liaison, co_item)]:
        with pytest.raises(PermissionDenied, match="只有主办单位的联络员可以申请退办"):
            _ask(item, outsider)
    assert not HandBackRequest.objects.exists()


def test_it_refuses_once_the_unit_has_signed_for_the_item(world, liaison, assigned):
    services.suggestion_accept(suggestion=assigned, by=liaison)
    with pytest.raises(ValidationError, match="签收或面商后即视为接受交办"):
        _ask(assigned, liaison)
    assert not HandBackRequest.objects.exists()


def test_it_needs_a_reason_and_a_suggested_unit_of_the_township_other_than_itself(world, liaison, assigned):
    with pytest.raises(ValidationError) as error:
        services.suggestion_hand_back_request(suggestion=assigned, by=liaison, reason="  ")
    assert "请写明退办理由" in error.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as error:
        _ask(assigned, liaison, suggested_unit=world.other_unit)
    assert "不是本乡镇在用的承办单位" in error.value.message_dict["suggested_unit"][0]
    with pytest.raises(ValidationError) as error:
        _ask(assigned, liaison, suggested_unit=world.unit)
    assert "不能是本单位" in error.value.message_dict["suggested_unit"][0]
    assert not HandBackRequest.objects.exists()
    assert not SuggestionLog.objects.filter(event="request_hand_back").exists()


def test_it_keeps_one_pending_request_per_item(world, liaison, assigned):
    first = _ask(assigned, liaison)
    with pytest.raises(ValidationError, match="已有一份退办申请在等待人大办处理"):
        _ask(assigned, liaison)
    with pytest.raises(IntegrityError), transaction.atomic():
        HandBackRequest.objects.create(suggestion=assigned, unit=world.unit, reason="再申请一次", requested_by=liaison)
    assert list(HandBackRequest.objects.all()) == [first]


def test_it_counts_the_limit_in_working_days_across_a_weekend(world, deputy, staff, liaison, monkeypatch):
    """Assigned on Friday 2026-03-06: five working days run to Friday 03-13, not to Wednesday 03-11."""

    def at(day: dt.date):
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    at(dt.date(2026, 3, 6))
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine")
    window = hand_back_window(item, today=dt.date(2026, 3, 7))
    assert (window.last_day, window.days_left) == (dt.date(2026, 3, 13), 5)
    last = hand_back_window(item, today=dt.date(2026, 3, 13))
    assert last.is_open and last.days_left == 0
    at(dt.date(2026, 3, 16))
    with pytest.raises(ValidationError, match="交办后 5 个工作日内才能申请退办（截至 2026-03-13），现已超过"):
        _ask(item, liaison)
    assert not HandBackRequest.objects.exists()
    at(dt.date(2026, 3, 13))
    assert _ask(item, liaison).status == HandBackStatus.PENDING


def test_it_takes_the_limit_from_the_townships_settings(world, liaison, assigned):
    ProposalSettings.objects.create(township=world.township, hand_back_days=1)
    window = hand_back_window(assigned, today=timezone.localdate() + dt.timedelta(days=10))
    assert window.limit_days == 1 and not window.is_open


def test_it_refuses_a_request_with_a_reason_and_the_unit_keeps_the_item(world, staff, liaison, assigned):
    request = _ask(assigned, liaison)
    with pytest.raises(ValidationError) as error:
        services.suggestion_hand_back_decide(request=request, by=staff, approve=False, note="")
    assert "不同意退办的，请写明理由" in error.value.message_dict["note"][0]
    with pytest.raises(PermissionDenied, match="只有人大办可以处理退办申请"):
        services.suggestion_hand_back_decide(request=request, by=liaison, approve=False, note="自己不同意")
    refused = services.suggestion_hand_back_decide(request=request, by=staff, approve=False, note="村道养护属财政所")
    assert refused.status == HandBackStatus.REFUSED and refused.decision_note == "村道养护属财政所"
    assigned.refresh_from_db()
    assert assigned.lead_unit == world.unit and assigned.status == S.ASSIGNED
    assert "仍由贵单位办理" in _titles(liaison, "proposals.hand_back_refused")[0]
    assert SuggestionLog.objects.filter(suggestion=assigned, event="hand_back_refused").exists()
    with pytest.raises(ValidationError, match="已经处理过了"):
        services.suggestion_hand_back_decide(request=refused, by=staff, approve=False, note="再处理一次")


def test_it_needs_another_active_unit_of_the_township_to_approve(world, staff, liaison, assigned):
    request = _ask(assigned, liaison)
    retired = HandlingUnitFactory(township=world.township, name="撤并的站所", is_active=False)
    cases = [(None, "请选择改交的主办单位"), (world.unit, "就是现在的主办单位"),
             (world.other_unit, "不是本乡镇在用的承办单位"), (retired, "不是本乡镇在用的承办单位")]
    for unit, message in cases:
        with pytest.raises(ValidationError) as error:
            services.suggestion_hand_back_decide(request=request, by=staff, approve=True, lead_unit=unit)
        assert message in error.value.message_dict["lead_unit"][0]
    request.refresh_from_db()
    assigned.refresh_from_db()
    assert request.status == HandBackStatus.PENDING and assigned.lead_unit == world.unit


def test_it_makes_the_new_unit_meet_the_deputy_itself_and_keeps_the_old_record(world, deputy, staff, liaison, water,
                                                                               water_liaison):
    """Staff reassign an item in handling: the old unit's consultation stays, but does not let the new unit reply."""
    village = HandlingUnitFactory(township=world.township, name="村建站")
    village_liaison = user_with_role(Role.UNIT_LIAISON, village, username="village_liaison")
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, co_units=[village],
                                      supervision_mode="follow_up")
    services.co_unit_opinion_submit(suggestion=item, by=village_liaison, unit=village, opinion="建议结合村道改造")
    services.consultation_record(suggestion=item, by=liaison, stage="after_assignment", form="phone",
                                 held_on=timezone.localdate(), participants="代表、所长", summary="电话沟通")
    extension = services.extension_request(suggestion=item, by=liaison, reason="资金未到", measures="分步实施",
                                           requested_deadline=item.deadline + dt.timedelta(days=30))
    item.refresh_from_db()
    assert item.status == S.IN_HANDLING and item.first_consulted_at

    with pytest.raises(ValidationError) as error:
        services.suggestion_reassign(suggestion=item, by=staff, lead_unit=water, note=" ")
    assert "请写明改办的原因" in error.value.message_dict["note"][0]
    with pytest.raises(PermissionDenied, match="只有人大办可以改办"):
        services.suggestion_reassign(suggestion=item, by=liaison, lead_unit=water, note="交办错误")
    item = services.suggestion_reassign(suggestion=item, by=staff, lead_unit=water, co_units=[world.unit],
                                        note="交办错误，应由水利站主办", deadline_choice="working_days",
                                        working_days=15)
    assert item.status == S.ASSIGNED and item.lead_unit == water and item.supervision_mode == "follow_up"
    assert item.accepted_at is None and item.first_consulted_at is None and item.last_consulted_at is None
    assert item.consultations.get().unit == world.unit  # kept as history
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.CANCELLED and "水利站" in extension.decision_note
    released = item.co_unit_links.get(unit=village)
    assert released.released_at and released.opinion == "建议结合村道改造"
    assert not suggestions_visible_to(village_liaison).filter(pk=item.pk).exists()
    assert suggestions_visible_to(liaison).filter(pk=item.pk).exists()  # the old unit now helps as a co-unit
    assert Notification.objects.get(recipient=liaison, kind="proposals.reassigned_away").url == item.get_absolute_url()

    with pytest.raises(ValidationError, match="答复前须与领衔代表面商"):
        services.reply_submit(suggestion=item, by=water_liaison, text="已安排", result_class="A")
    services.consultation_record(suggestion=item, by=water_liaison, stage="after_assignment", form="on_site",
                                 held_on=timezone.localdate(), participants="代表、站长", summary="现场查看")
    reply = services.reply_submit(suggestion=item, by=water_liaison, text="已疏浚", result_class="A")
    assert reply.unit == water and reply.on_time


def test_it_approves_a_pending_request_when_staff_reassign_directly(world, staff, liaison, assigned, water):
    request = _ask(assigned, liaison)
    services.suggestion_reassign(suggestion=assigned, by=staff, lead_unit=water, note="改交水利站")
    request.refresh_from_db()
    assert request.status == HandBackStatus.APPROVED and request.new_unit == water


def test_it_does_not_reassign_a_replied_item(world, staff, deputy, water):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="replied", unit=world.unit)
    with pytest.raises(ValidationError, match="只有已交办、办理中的议案建议可以改办，这件现在是“已答复”"):
        services.suggestion_reassign(suggestion=item, by=staff, lead_unit=water, note="交办错误")


def test_it_moves_the_reminders_to_the_new_unit_and_deadline(world, staff, liaison, assigned, water, water_liaison):
    old_due = dict(reminders_for(assigned).filter(status=ReminderStatus.SCHEDULED).values_list("kind", "due_at"))
    item = services.suggestion_reassign(suggestion=assigned, by=staff, lead_unit=water, note="交办错误",
                                        deadline_choice="working_days", working_days=40)
    new_due = dict(reminders_for(item).filter(status=ReminderStatus.SCHEDULED).values_list("kind", "due_at"))
    assert set(new_due) == {"due_before_10", "due_before_3", "due_today", "overdue", "stale"}
    assert new_due["due_today"].date() == item.deadline > old_due["due_today"].date()
    # When the old reminder would have fallen due, nobody is told: it was moved with the deadline.
    assert send_due_reminders(now=old_due["due_before_10"] + dt.timedelta(hours=1)) == 0
    assert send_due_reminders(now=new_due["due_before_10"] + dt.timedelta(hours=1)) == 2  # and "stale"
    told = set(Notification.objects.filter(kind="reminder.due_before_10").values_list("recipient__username", flat=True))
    assert "water_liaison" in told and liaison.username not in told
