"""Outcomes: deliberation opinions followed up until answered (the floor's reminders), findings handled once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from presidium.choices import Role
from presidium.meetings import services
from presidium.meetings.models import Outcome
from presidium.notifications.models import Notification
from presidium.notifications.reminders import reminders_for, send_due_reminders
from tests.factories import DeputyFactory, HandlingUnitFactory, InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def opinion(world):
    meeting = MeetingFactory(township=world.township, kind="congress_session", session_number=1)
    return services.outcome_add(meeting=meeting, kind="deliberation_opinion", title="关于农村饮水安全工作的审议意见",
                                text="建议加快管网改造。", by=world.user(Role.PRESIDIUM_STAFF))


def test_it_reminds_the_staff_on_the_answer_date_and_weekly_until_answered(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    item = opinion(world)
    today = timezone.localdate()
    services.outcome_send(outcome=item, unit=world.unit, sent_on=today, due_on=today + dt.timedelta(days=30),
                          by=staff)
    reminder = reminders_for(item).get()
    assert timezone.localtime(reminder.due_at).date() == today + dt.timedelta(days=30)
    send_due_reminders(now=reminder.due_at + dt.timedelta(minutes=1))
    told = Notification.objects.filter(kind="reminder.opinion_answer")
    assert {n.recipient_id for n in told} == {staff.pk, world.user(Role.PRESIDIUM_CHAIR).pk}
    assert "财政所" in told.first().title
    reminder.refresh_from_db()
    assert reminder.status == "scheduled" and reminder.due_at > timezone.now() + dt.timedelta(days=30)
    services.outcome_record_answer(outcome=item, answered_on=today + dt.timedelta(days=31),
                                   answer="已列入明年计划。", by=staff)
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"
    item.refresh_from_db()
    assert item.get_opinion_status_display() == "已答复"


def test_it_refuses_an_answer_before_sending_and_units_of_other_townships(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    item = opinion(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.outcome_record_answer(outcome=item, answered_on=today, answer="好", by=staff)
    with pytest.raises(ValidationError) as error:
        services.outcome_send(outcome=item, unit=world.other_unit, sent_on=today, due_on=today, by=staff)
    assert "请选择本乡镇的单位" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.outcome_send(outcome=item, unit=world.unit, sent_on=today, due_on=today - dt.timedelta(days=1),
                              by=staff)
    assert "答复期限不能早于送交日期" in str(error.value)


def test_it_handles_a_finding_once_as_a_rectification_item(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    inspection = MeetingFactory(township=world.township, kind="inspection", term=None)
    finding = services.outcome_add(meeting=inspection, kind="finding", title="集镇污水管网堵塞", by=staff)
    with pytest.raises(ValidationError):
        services.outcome_add(meeting=MeetingFactory(township=world.township, kind="training", term=None),
                             kind="finding", title="x", by=staff)
    unit = HandlingUnitFactory(township=world.township, name="镇建设办")
    due = timezone.localdate() + dt.timedelta(days=60)
    services.outcome_mark_rectification(outcome=finding, unit=unit, due_on=due, by=staff)
    with pytest.raises(ValidationError) as error:
        services.outcome_mark_rectification(outcome=finding, unit=unit, due_on=due, by=staff)
    assert "已经列为整改事项" in str(error.value)
    services.outcome_mark_rectified(outcome=finding, rectified_on=due, by=staff)
    finding.refresh_from_db()
    assert (finding.follow_up, finding.rectified_on) == ("rectification", due)
    assert reminders_for(finding).get().status == "cancelled"


def test_it_turns_a_finding_into_a_suggestion_draft_through_the_registered_conversion(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    survey = MeetingFactory(township=world.township, kind="survey", term=None, title="农村养老服务调研")
    deputy = DeputyFactory(township=world.township)
    InvitationFactory(meeting=survey, deputy=deputy, name=deputy.name, counts_for_quorum=False, status="present")
    finding = services.outcome_add(meeting=survey, kind="finding", title="村级养老服务站运营困难",
                                   text="六个站点中有四个缺少护理人员。", by=staff)
    services.outcome_convert(outcome=finding, key="suggestion", by=staff)
    finding = Outcome.objects.get(pk=finding.pk)
    suggestion = finding.converted_to
    assert finding.follow_up == "suggestion"
    assert suggestion.title == "村级养老服务站运营困难" and suggestion.township == world.township
    assert "四个缺少护理人员" in suggestion.content and suggestion.status == "draft"
    assert suggestion.lead_deputy == deputy
    with pytest.raises(ValidationError):
        services.outcome_convert(outcome=finding, key="suggestion", by=staff)
