"""A county changes a day in its working calendar: open deadlines counted across it move, and people are told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase

from presidium.calendar.services import add_working_days, calendar_day_clear, calendar_day_set, is_working_day
from presidium.choices import Role
from presidium.notifications.choices import ReminderStatus
from presidium.notifications.models import Notification
from presidium.notifications.reminders import reminders_for
from proposals import services
from proposals.models import SuggestionLog
from proposals.services.deadlines import at_reminder_time
from tests.factories import UserFactory, proposals_suggestion

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
START = TODAY + dt.timedelta(days=7 - TODAY.weekday() + 7)  # a Monday, one to two weeks ahead: reminders lie ahead


@pytest.fixture
def item(world, deputy, staff):
    suggestion = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    return services.suggestion_assign(suggestion=suggestion, by=staff, lead_unit=world.unit, supervision_mode="routine",
                                      deadline_choice="working_days", working_days=20, start=START)


def _set(world, day, *, working=False, county=None):
    county = world.county if county is None else county
    admin = world.user(Role.COUNTY_ADMIN) if county == world.county else UserFactory(is_superuser=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        calendar_day_set(date=day, is_working_day=working, name="县里调休", county=county, by=admin)


def test_it_moves_a_deadline_when_a_day_inside_its_window_becomes_a_holiday_and_tells_the_handlers(item, world,
                                                                                                  liaison):
    old = item.deadline
    assert old == add_working_days(START, 20, county=world.county).date
    holiday = add_working_days(START, 10, county=world.county).date  # a working day inside the window
    _set(world, holiday)
    item.refresh_from_db()
    assert item.deadline == add_working_days(START, 20, county=world.county).date
    assert item.deadline == add_working_days(old, 1, county=world.county).date  # one working day later
    entry = SuggestionLog.objects.filter(suggestion=item, event="deadline_recomputed").get()
    assert str(old) in entry.title and str(item.deadline) in entry.title and str(holiday) in entry.note
    told = set(Notification.objects.filter(kind="proposals.deadline_changed").values_list("recipient", flat=True))
    assert liaison.pk in told and item.lead_deputy.user_id in told
    due_today = reminders_for(item).get(kind="due_today", status=ReminderStatus.SCHEDULED)
    assert due_today.due_at == at_reminder_time(item.deadline)


def test_it_moves_the_deadline_back_when_the_change_is_cleared(item, world):
    old = item.deadline
    holiday = add_working_days(START, 10, county=world.county).date
    _set(world, holiday)
    item.refresh_from_db()
    assert item.deadline > old
    admin = world.user(Role.COUNTY_ADMIN)
    with TestCase.captureOnCommitCallbacks(execute=True):
        calendar_day_clear(date=holiday, county=world.county, by=admin)
    item.refresh_from_db()
    assert item.deadline == old
    assert SuggestionLog.objects.filter(suggestion=item, event="deadline_recomputed").count() == 2


def test_it_leaves_deadlines_alone_when_the_day_is_outside_their_window_or_in_another_county(item, world):
    before, old = SuggestionLog.objects.filter(suggestion=item).count(), item.deadline
    _set(world, add_working_days(old, 2, county=world.county).date)  # after the deadline
    inside = add_working_days(START, 5, county=world.county).date
    _set(world, inside, county=world.foreign_county)  # inside the window, but another county
    item.refresh_from_db()
    assert item.deadline == old
    assert SuggestionLog.objects.filter(suggestion=item).count() == before
    assert not Notification.objects.filter(kind="proposals.deadline_changed").exists()


def test_it_does_not_move_a_date_set_by_an_approved_extension(item, world, liaison, staff):
    later = item.deadline + dt.timedelta(days=21)
    extension = services.extension_request(suggestion=item, by=liaison, requested_deadline=later,
                                           reason="需协调资金", measures="先行勘察")
    services.extension_decide(extension=extension, by=staff, approve=True)
    _set(world, add_working_days(START, 10, county=world.county).date)
    item.refresh_from_db()
    assert item.deadline == later
    assert not SuggestionLog.objects.filter(suggestion=item, event="deadline_recomputed").exists()


def test_it_moves_the_deadline_earlier_when_a_weekend_becomes_a_make_up_working_day(item, world):
    old = item.deadline
    saturday = START + dt.timedelta(days=5)
    assert not is_working_day(saturday, county=world.county)
    _set(world, saturday, working=True)
    item.refresh_from_db()
    assert item.deadline == add_working_days(START, 20, county=world.county).date
    assert item.deadline < old
