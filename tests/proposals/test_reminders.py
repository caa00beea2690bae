"""Deadline reminders of suggestions: scheduled from the calendar, sent once, weekly when overdue, to the right people."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from presidium.calendar.services import add_working_days, calendar_day_set, calendar_year_confirm
from presidium.notifications.choices import ReminderStatus
from presidium.notifications.models import Notification, Reminder, ReminderLedger
from presidium.notifications.reminders import reminder_claim, reminders_for, send_due_reminders
from proposals import services
from proposals.services.deadlines import at_reminder_time
from tests.factories import proposals_suggestion

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def assigned(world, deputy, staff):
    """A suggestion assigned to the world's unit with a 20-working-day deadline."""
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    return services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
                                      deadline_choice="working_days", working_days=20,
                                      responsible_leader_user=world.user("presidium_chair"))


def _kinds(item):
    return dict(reminders_for(item).filter(status=ReminderStatus.SCHEDULED).values_list("kind", "due_at"))


def test_it_schedules_the_reminders_from_the_calendar_at_assignment(assigned, world):
    county = world.township.county_id
    kinds = _kinds(assigned)
    assert set(kinds) == {"due_before_10", "due_before_3", "due_today", "overdue", "stale"}
    assert kinds["due_before_10"] == at_reminder_time(add_working_days(assigned.deadline, -10, county=county).date)
    assert kinds["due_before_3"] == at_reminder_time(add_working_days(assigned.deadline, -3, county=county).date)
    assert kinds["due_today"] == at_reminder_time(assigned.deadline)
    assert kinds["overdue"] == at_reminder_time(assigned.deadline + dt.timedelta(days=1))
    assert assigned.deadline == add_working_days(timezone.localdate(), 20, county=county).date


def test_it_tells_the_liaisons_the_leader_and_staff_once_before_the_deadline(assigned, world):
    due = _kinds(assigned)["due_before_10"]
    assert send_due_reminders(now=due + dt.timedelta(hours=1)) == 1
    assert send_due_reminders(now=due + dt.timedelta(hours=2)) == 0
    told = set(Notification.objects.filter(kind="reminder.due_before_10").values_list("recipient__username", flat=True))
    assert told == {"liaison_a", "chair_a", "staff_a"}
    title = Notification.objects.filter(kind="reminder.due_before_10").first().title
    assert "还有 10 个工作日" in title and assigned.serial in title


def test_it_sends_a_suggestion_reminder_once_when_two_passes_claim_at_the_same_time(assigned):
    """Two passes race for one due row: only one claim wins; the loser sends nothing; the winner sends once."""
    ten_days_before = reminders_for(assigned).get(kind="due_before_10").due_at
    assert send_due_reminders(now=ten_days_before + dt.timedelta(minutes=1)) == 1
    reminder = reminders_for(assigned).get(kind="due_before_3")
    later = reminder.due_at + dt.timedelta(minutes=1)
    stamp = reminder_claim(reminder_id=reminder.pk, now=later)  # pass A holds the row …
    assert stamp is not None
    assert send_due_reminders(now=later) == 0  # … pass B, running at the same time, leaves it alone
    assert ReminderLedger.objects.filter(kind="due_before_10").count() == 1
    assert not ReminderLedger.objects.filter(kind="due_before_3").exists()
    # Pass A dies before sending: its lease runs out and the next pass sends it, once.
    from presidium.notifications.reminders import CLAIM_LEASE

    after_lease = later + CLAIM_LEASE + dt.timedelta(seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: after_lease)
        assert send_due_reminders(now=after_lease) == 1  # only the abandoned one is left to send
        assert send_due_reminders(now=after_lease) == 0
    assert ReminderLedger.objects.filter(kind="due_before_3").count() == 1
    assert Notification.objects.filter(kind="reminder.due_before_3").count() == 3


@pytest.mark.stack
@pytest.mark.django_db(transaction=True)
def test_it_sends_once_when_two_passes_really_run_in_parallel(world, deputy, staff):
    """Two threads, each its own database connection, run a pass at once over the same due reminders.

    PostgreSQL only (the ``stack`` run of .ci/run): SQLite's shared in-memory test database refuses a
    second writer outright instead of waiting, so the race cannot be played there; the default suite
    covers the same guarantee one step at a time in the claim/lease test above.
    """
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (the database is {connection.vendor}); run through .ci/run "
                    "or leave out with -m 'not stack'", pytrace=False)
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
                                      deadline_choice="working_days", working_days=20)
    # Every reminder of the item due at once, on the deadline's day: the countdowns are on their day, so sent too
    # (the overdue one is read and skipped: the deadline is today, not past).
    due_today = _kinds(item)["due_today"]
    Reminder.objects.filter(status=ReminderStatus.SCHEDULED).update(due_at=due_today)
    when = due_today + dt.timedelta(hours=1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(send_due_reminders(now=when))
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a pass hung"
    assert not errors, errors
    ledger = list(ReminderLedger.objects.values_list("kind", flat=True).order_by("kind"))
    assert ledger == sorted(set(ledger)), "a reminder was recorded twice"
    assert {"due_before_10", "due_before_3", "due_today"} <= set(ledger)
    assert sum(results) == len(ledger)  # the two passes split the work between them
    per_kind = Notification.objects.filter(kind="reminder.due_today").count()
    assert per_kind == 2  # the liaison and staff, once each
    assert Notification.objects.filter(kind__startswith="reminder.").count() == 2 * len(ledger)


def test_it_repeats_weekly_while_overdue_and_stops_when_replied(assigned, liaison, world):
    overdue = _kinds(assigned)["overdue"]
    assert send_due_reminders(now=overdue + dt.timedelta(hours=1)) >= 1
    reminder = reminders_for(assigned).get(kind="overdue")
    assert reminder.status == ReminderStatus.SCHEDULED and reminder.due_at == overdue + dt.timedelta(days=7)
    assert "已超过办理期限 1 天" in Notification.objects.filter(kind="reminder.overdue").first().title
    send_due_reminders(now=overdue + dt.timedelta(days=7, hours=1))
    assert ReminderLedger.objects.filter(kind="overdue").count() == 2
    services.consultation_record(suggestion=assigned, by=liaison, stage="before_reply", form="phone",
                                 held_on=timezone.localdate(), participants="代表", summary="电话沟通")
    services.reply_submit(suggestion=assigned, by=liaison, text="已办理", result_class="A")
    assert not reminders_for(assigned).filter(status=ReminderStatus.SCHEDULED).exists()


def test_it_tells_the_deputy_when_nothing_happened_for_too_long(assigned, world):
    stale = _kinds(assigned)["stale"]
    assert timezone.localdate(stale, SHANGHAI) == timezone.localdate() + dt.timedelta(days=30)
    send_due_reminders(now=stale + dt.timedelta(hours=1))
    told = set(Notification.objects.filter(kind="reminder.stale").values_list("recipient__username", flat=True))
    assert told == {"deputy_a", "staff_a"}


def test_it_cancels_the_stale_reminder_once_the_unit_meets_the_deputy(assigned, liaison):
    services.consultation_record(suggestion=assigned, by=liaison, stage="after_assignment", form="face_to_face",
                                 held_on=timezone.localdate(), participants="代表", summary="当面沟通")
    assert reminders_for(assigned).get(kind="stale").status == ReminderStatus.CANCELLED


def test_it_moves_the_reminders_with_an_approved_extension(assigned, liaison, staff):
    later = assigned.deadline + dt.timedelta(days=21)
    extension = services.extension_request(suggestion=assigned, by=liaison, reason="资金", measures="分步",
                                           requested_deadline=later)
    services.extension_decide(extension=extension, by=staff, approve=True)
    assert _kinds(assigned)["due_today"] == at_reminder_time(later)


# December 2026, as when it happens: 2027 is not confirmed yet and the new deadline still lies ahead.
@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_it_recomputes_a_provisional_deadline_when_the_year_is_confirmed(world, deputy, staff, liaison, settings):
    from presidium.models import User

    # Fixed years, whatever today is: 2026 is confirmed by the seed migration, 2027 is not yet.
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    item = services.suggestion_assign(suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
                                      deadline_choice="working_days", working_days=60,
                                      start=dt.date(2026, 12, 1))
    next_year = 2027
    assert item.deadline.year == next_year and item.deadline_provisional
    admin = User.objects.filter(is_superuser=True).first()
    holiday = dt.date(next_year, 1, 2) if dt.date(next_year, 1, 2).weekday() < 5 else dt.date(next_year, 1, 5)
    calendar_day_set(date=holiday, is_working_day=False, name="元旦", county=None, by=admin)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        calendar_year_confirm(year=next_year, county=None, by=admin)
    item.refresh_from_db()
    assert not item.deadline_provisional
    assert Notification.objects.filter(kind="proposals.deadline_changed", recipient=liaison).exists()
    assert Reminder.objects.filter(object_id=item.pk, kind="due_today").get().due_at == at_reminder_time(item.deadline)


def test_it_sends_one_overdue_reminder_after_weeks_without_a_pass(assigned, world):
    """After four weeks without a pass (a first deployment, a stopped beat) each person gets one 逾期提醒.

    Several passes run once the beat is back; the reminder's next time is the series' next weekly slot
    after now (same weekday, 09:00), not the old due time plus a week, which would still be past.
    """
    overdue = _kinds(assigned)["overdue"]
    back = overdue + dt.timedelta(weeks=4, hours=3)
    for minutes in (0, 10, 20, 30, 40):
        send_due_reminders(now=back + dt.timedelta(minutes=minutes))
    assert ReminderLedger.objects.filter(kind="overdue").count() == 1
    told = list(Notification.objects.filter(kind="reminder.overdue").values_list("recipient__username", flat=True))
    assert sorted(told) == ["chair_a", "liaison_a", "staff_a"]
    assert "已超过办理期限 29 天" in Notification.objects.filter(kind="reminder.overdue").first().title
    reminder = reminders_for(assigned).get(kind="overdue")
    assert reminder.status == ReminderStatus.SCHEDULED
    assert reminder.due_at == overdue + dt.timedelta(weeks=5)
    assert send_due_reminders(now=overdue + dt.timedelta(weeks=5, minutes=1)) == 1


def test_it_skips_the_countdowns_whose_day_passed_while_no_pass_ran(assigned, world):
    """Back after the beat stopped over the 10- and 3-day warnings: neither is said late ("还有 3 个工作日" is no
    longer true); the day itself is said on the day, and nothing is lost from the overdue series."""
    kinds = _kinds(assigned)
    back = kinds["due_before_3"] + dt.timedelta(days=1, hours=1)
    assert back < kinds["due_today"]
    assert send_due_reminders(now=back) == 0
    skipped = reminders_for(assigned).filter(kind__in=["due_before_10", "due_before_3"])
    assert {r.status for r in skipped} == {ReminderStatus.SKIPPED}
    reminded = Notification.objects.filter(kind__startswith="reminder.")
    assert not ReminderLedger.objects.exists() and not reminded.exists()
    assert send_due_reminders(now=kinds["due_today"] + dt.timedelta(hours=1)) == 1
    assert set(reminded.values_list("kind", flat=True)) == {"reminder.due_today"}


def test_it_skips_the_countdowns_past_their_day_without_loading_their_item(assigned, world):
    """A catch-up pass's late countdowns say nothing whatever their item holds (``past_due``): the pass skips them
    before the batch's items and people are read — no query of the suggestions, consultations or accounts."""
    from django.test.utils import CaptureQueriesContext

    from proposals.services.deadlines import SuggestionReminders

    kinds = _kinds(assigned)
    back = kinds["due_before_3"] + dt.timedelta(days=1, hours=1)
    late = reminders_for(assigned).get(kind="due_before_3")
    provider = SuggestionReminders()
    assert provider.past_due(late, today=timezone.localdate(back))
    assert not provider.past_due(late, today=timezone.localdate(late.due_at))
    assert not provider.past_due(reminders_for(assigned).get(kind="overdue"), today=timezone.localdate(back))
    with CaptureQueriesContext(connection) as captured:
        assert send_due_reminders(now=back) == 0
    read = " ".join(q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))
    assert '"proposals_suggestion"' not in read and '"proposals_consultation"' not in read
    assert {r.status for r in reminders_for(assigned).filter(kind__in=["due_before_10", "due_before_3"])} == {
        ReminderStatus.SKIPPED}


def test_it_sends_one_promise_reminder_after_weeks_without_a_pass(assigned, liaison, world):
    """A class B reply's weekly 承诺兑现提醒 catches up the same way: one message, then the next slot after now."""
    services.consultation_record(suggestion=assigned, by=liaison, stage="before_reply", form="phone",
                                 held_on=timezone.localdate(), participants="代表", summary="电话沟通")
    promised = timezone.localdate() + dt.timedelta(days=10)
    services.reply_submit(suggestion=assigned, by=liaison, text="列入明年计划", result_class="B",
                          promised_date=promised)
    promise = reminders_for(assigned).get(kind__startswith="promise_")
    assert promise.due_at == at_reminder_time(promised)
    back = promise.due_at + dt.timedelta(weeks=4, hours=3)
    for minutes in (0, 10, 20):
        send_due_reminders(now=back + dt.timedelta(minutes=minutes))
    assert ReminderLedger.objects.filter(kind=promise.kind).count() == 1
    assert Notification.objects.filter(kind=f"reminder.{promise.kind}", recipient=liaison).count() == 1
    promise.refresh_from_db()
    assert promise.due_at == at_reminder_time(promised + dt.timedelta(weeks=5))


def _assigned_items(world, deputy, staff, count: int) -> list:
    items = []
    for _ in range(count):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
        items.append(services.suggestion_assign(
            suggestion=item, by=staff, lead_unit=world.unit, supervision_mode="routine",
            deadline_choice="working_days", working_days=20, responsible_leader_user=world.user("presidium_chair")))
    return items


def test_it_sends_5_or_50_suggestion_reminders_in_the_same_fixed_number_of_queries(
        world, deputy, staff, django_assert_max_num_queries):
    """Every reminder kind of 1 item, then of 10: the provider reads items, replies and people once per batch.

    Each item has five due: 10 and 3 working days before, the day itself, overdue and stale. The pass runs after
    all five days, so the three countdowns are read and skipped (their day is past) and two are sent an item.
    """
    first = _assigned_items(world, deputy, staff, 1)[0]
    when = max(_kinds(first).values()) + dt.timedelta(hours=1)
    with django_assert_max_num_queries(PROPOSALS_PASS_QUERIES) as five:
        assert send_due_reminders(now=when) == 2
    _assigned_items(world, deputy, staff, 10)
    split_inserts = 0 if connection.vendor == "postgresql" else 2  # SQLite: 999 parameters a statement
    with django_assert_max_num_queries(PROPOSALS_PASS_QUERIES + split_inserts) as fifty:
        assert send_due_reminders(now=when) == 20
    assert len(five.captured_queries) <= len(fifty.captured_queries) <= len(five.captured_queries) + split_inserts
    assert ReminderLedger.objects.count() == 22
    assert Reminder.objects.filter(status=ReminderStatus.SKIPPED).count() == 11 * 3
    assert Notification.objects.filter(kind="reminder.overdue").count() == 11 * 3  # liaison, leader, staff
    assert Notification.objects.filter(kind="reminder.stale").count() == 11 * 2  # deputy and staff


# Claim, items, their consultations, open promises, people (liaisons and staff), ledger check and insert,
# notification ids (PostgreSQL), notifications, preferences, outbox, the reminders' write-back, savepoints, and
# the claim that finds nothing more due: 23 on PostgreSQL; SQLite has no ids to fetch and splits a bulk insert
# every 999 parameters.
PROPOSALS_PASS_QUERIES = 23


def test_it_links_each_reminder_of_a_batch_to_its_own_item(assigned, world, deputy, staff):
    """The batch's links are reversed once and filled per item: each is still the item's own page."""
    other = services.suggestion_assign(
        suggestion=proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered"), by=staff,
        lead_unit=world.unit, supervision_mode="routine", deadline_choice="working_days", working_days=20)
    due = max(_kinds(item)["due_before_10"] for item in (assigned, other))
    assert send_due_reminders(now=due + dt.timedelta(hours=1)) == 2
    links = set(Notification.objects.filter(kind="reminder.due_before_10").values_list("object_id", "url"))
    assert links == {(item.pk, item.get_absolute_url()) for item in (assigned, other)}


def _selects_of(captured, table: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith("SELECT") and q["sql"].split(" FROM ")[1].startswith(f'"{table}"')]


def test_it_reads_the_batchs_consultations_and_promises_without_joining_or_sorting_their_items(
        world, deputy, staff, liaison):
    """The items, their consultations and their open promises are read unsorted: the models' orderings (each
    starting with the item's serial) joined every consultation and reply to its item only to sort a set or a dict.
    What is said is the same: the item met is not told stale, the other is; the promise is reminded."""
    from django.test.utils import CaptureQueriesContext

    met, not_met = _assigned_items(world, deputy, staff, 2)
    services.consultation_record(suggestion=met, by=liaison, stage="before_reply", form="phone",
                                 held_on=timezone.localdate(), participants="代表", summary="电话沟通")
    services.reply_submit(suggestion=met, by=liaison, text="列入明年计划", result_class="B",
                          promised_date=timezone.localdate() + dt.timedelta(days=10))
    # The met item's stale reminder armed again (as a second round would): the consultation read decides it.
    Reminder.objects.filter(object_id=met.pk, kind="stale").update(status=ReminderStatus.SCHEDULED)
    due = [reminders_for(met).get(kind__startswith="promise_").due_at, *(
        reminders_for(item).get(kind="stale").due_at for item in (met, not_met))]
    Reminder.objects.exclude(kind__startswith="promise_").exclude(kind="stale").update(
        status=ReminderStatus.CANCELLED)
    with CaptureQueriesContext(connection) as captured:
        assert send_due_reminders(now=max(due) + dt.timedelta(hours=1)) == 2  # the promise and one of the two stale
    items, = _selects_of(captured, "proposals_suggestion")
    consultations, = _selects_of(captured, "proposals_consultation")
    replies, = _selects_of(captured, "proposals_reply")
    assert "ORDER BY" not in items
    for sql in (consultations, replies):
        assert '"proposals_suggestion"' not in sql and "ORDER BY" not in sql
    stale = Notification.objects.filter(kind="reminder.stale")
    assert {n.object_id for n in stale} == {not_met.pk}
    assert set(stale.values_list("recipient__username", flat=True)) == {"deputy_a", "staff_a"}
    assert Notification.objects.filter(kind__startswith="reminder.promise_", object_id=met.pk,
                                       recipient=liaison).count() == 1
