"""Reminders of the statutory clocks: on the floor's queue, 3 and 1 days before, on the day, weekly overdue,
to the staff, the lead leader and (for completion) the unit's owner; sent once even when two passes race."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from petitions import services
from petitions.choices import ClockKind, ClockState
from petitions.models import PetitionClock
from petitions.reminders import at_reminder_time
from presidium.notifications.choices import ReminderStatus
from presidium.notifications.models import Notification, Reminder, ReminderLedger
from presidium.notifications.reminders import CLAIM_LEASE, reminder_claim, reminders_for, send_due_reminders
from tests.factories import UserFactory, petition_registered, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.user("presidium_staff")


@pytest.fixture
def leader():
    return UserFactory(real_name="包案领导")


@pytest.fixture
def petition(world, staff, leader):
    """Received two days ago: the 15-day acceptance clock runs, its reminders all ahead."""
    petition = petition_registered(world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=2))
    return services.petition_lead_leader_set(petition=petition, by=staff, leader=leader)


def acceptance(petition):
    return PetitionClock.objects.get(petition=petition, kind=ClockKind.ACCEPTANCE)


def scheduled(clock):
    return dict(reminders_for(clock).filter(status=ReminderStatus.SCHEDULED).values_list("kind", "due_at"))


def test_it_schedules_the_reminders_when_a_clock_starts(petition):
    clock = acceptance(petition)
    day = dt.timedelta(days=1)
    assert scheduled(clock) == {
        "before_3": at_reminder_time(clock.due_on - 3 * day), "before_1": at_reminder_time(clock.due_on - day),
        "due_today": at_reminder_time(clock.due_on), "overdue": at_reminder_time(clock.due_on + day),
    }


def test_it_tells_the_staff_and_the_lead_leader_once(petition, staff, leader):
    due = scheduled(acceptance(petition))["before_3"]
    assert send_due_reminders(now=due + dt.timedelta(hours=1)) == 1
    assert send_due_reminders(now=due + dt.timedelta(hours=2)) == 0
    told = Notification.objects.filter(kind="reminder.petitions.due_soon")
    assert {n.recipient for n in told} == {staff, leader}
    assert "还有 3 天" in told[0].title and petition.registration_number in told[0].title
    assert "张建国" not in told[0].title


def test_it_skips_a_countdown_whose_day_passed_while_no_pass_ran(petition, staff):
    """The beat was down on the day of "还有 3 天": the pass back a day later does not say it (two days are left)."""
    clock = acceptance(petition)
    due = scheduled(clock)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert send_due_reminders(now=due["before_3"] + dt.timedelta(days=1, hours=1)) == 0
    # Skipped before the batch's clocks, cases and people are read (ClockReminders.past_due).
    assert not [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
                and '"petitions_petitionclock"' in q["sql"]]
    assert reminders_for(clock).get(kind="before_3").status == ReminderStatus.SKIPPED
    reminded = Notification.objects.filter(kind__startswith="reminder.")
    assert not reminded.exists() and not ReminderLedger.objects.exists()
    assert send_due_reminders(now=due["before_1"] + dt.timedelta(hours=1)) == 1  # the next one, on its own day
    assert "还有 1 天" in reminded.get(recipient=staff).title


def test_it_cancels_the_reminders_when_the_clock_stops(petition, staff):
    services.petition_accept(petition=petition, by=staff)
    assert scheduled(acceptance(petition)) == {}
    completion = PetitionClock.objects.get(petition=petition, kind=ClockKind.COMPLETION)
    assert set(scheduled(completion)) == {"before_3", "before_1", "due_today", "overdue"}


def test_it_decides_at_send_time_whether_the_clock_still_runs(petition):
    clock = acceptance(petition)
    due = scheduled(clock)["due_today"]
    PetitionClock.objects.filter(pk=clock.pk).update(state=ClockState.MET, stopped_on=clock.started_on)
    send_due_reminders(now=due + dt.timedelta(hours=1))
    assert not Notification.objects.filter(kind__startswith="reminder.petitions").exists()


def test_it_reminds_the_unit_owner_of_the_completion_limit(world, petition, staff):
    owner = user_with_role("unit_liaison", world.unit, real_name="李站长")
    services.petition_accept(petition=petition, by=staff)
    services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长", owner_user=owner)
    completion = PetitionClock.objects.get(petition=petition, kind=ClockKind.COMPLETION)
    send_due_reminders(now=scheduled(completion)["due_today"] + dt.timedelta(hours=1))
    told = {n.recipient for n in Notification.objects.filter(kind="reminder.petitions.due_today")}
    assert told == {owner, staff, petition.lead_leader}  # the owner, not every liaison of the unit


def test_it_reminds_the_unit_liaisons_when_the_owner_has_no_account(world, petition, staff):
    services.petition_accept(petition=petition, by=staff)
    services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长")
    completion = PetitionClock.objects.get(petition=petition, kind=ClockKind.COMPLETION)
    send_due_reminders(now=scheduled(completion)["due_today"] + dt.timedelta(hours=1))
    told = {n.recipient for n in Notification.objects.filter(kind="reminder.petitions.due_today")}
    assert world.user("unit_liaison") in told


def test_it_repeats_weekly_while_overdue(petition):
    overdue = scheduled(acceptance(petition))["overdue"]
    send_due_reminders(now=overdue + dt.timedelta(hours=1))
    assert scheduled(acceptance(petition))["overdue"] == overdue + dt.timedelta(days=7)
    assert "已超过 1 天" in Notification.objects.filter(kind="reminder.petitions.overdue").first().title
    send_due_reminders(now=overdue + dt.timedelta(days=7, hours=1))
    assert ReminderLedger.objects.filter(kind="overdue").count() == 2


def test_it_sends_once_when_two_passes_claim_the_same_row(petition):
    """Pass A claims the row, pass B runs meanwhile and leaves it; A dies; after the lease, one send only."""
    clock = acceptance(petition)
    three_days_before = reminders_for(clock).get(kind="before_3").due_at
    assert send_due_reminders(now=three_days_before + dt.timedelta(minutes=1)) == 1
    reminder = reminders_for(clock).get(kind="before_1")
    later = reminder.due_at + dt.timedelta(minutes=1)
    assert reminder_claim(reminder_id=reminder.pk, now=later) is not None
    assert send_due_reminders(now=later) == 0  # B leaves it alone
    assert list(ReminderLedger.objects.values_list("kind", flat=True)) == ["before_3"]
    after_lease = later + CLAIM_LEASE + dt.timedelta(seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: after_lease)
        assert send_due_reminders(now=after_lease) == 1
        assert send_due_reminders(now=after_lease) == 0
    assert ReminderLedger.objects.filter(kind="before_1").count() == 1


@pytest.mark.stack
@pytest.mark.django_db(transaction=True)
def test_it_sends_once_when_two_passes_really_run_in_parallel(world, staff):
    """Two threads, each with its own connection, run a pass at once (PostgreSQL: the ``stack`` run;
    SQLite refuses a second writer, so the default suite plays the race step by step above)."""
    if connection.vendor != "postgresql":
        pytest.fail(f"needs PostgreSQL (the database is {connection.vendor}); run through .ci/run "
                    "or leave out with -m 'not stack'", pytrace=False)
    for _ in range(5):
        petition_registered(world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=2))
    # Every reminder due at once, on the clocks' last day: the countdowns are on their day, so sent too (the overdue
    # ones are read and skipped: the clocks end today, they have not run out).
    due_today = max(scheduled(clock)["due_today"] for clock in PetitionClock.objects.all())
    Reminder.objects.filter(status=ReminderStatus.SCHEDULED).update(due_at=due_today)
    when = due_today + dt.timedelta(hours=1)
    barrier, results, errors = threading.Barrier(2), [], []

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
    assert ReminderLedger.objects.count() == 5 * 3 == sum(results)
    assert Notification.objects.filter(kind__startswith="reminder.petitions").count() == 5 * 3  # one staff member


def test_it_writes_the_reminders_in_chinese_whatever_language_is_active(petition):
    from django.utils import translation

    due = scheduled(acceptance(petition))["due_today"]
    with translation.override("en"):
        send_due_reminders(now=due + dt.timedelta(hours=1))
    told = Notification.objects.get(kind="reminder.petitions.due_today", recipient__real_name="包案领导")
    assert "受理告知期限" in told.title and "Acceptance" not in told.title and "信访工作条例" in told.body


def test_it_links_each_reminder_of_a_batch_to_its_own_case(world, petition, staff):
    """The batch's links are reversed once and filled per case: each is still the case's own page."""
    other = petition_registered(world.township, by=staff, received_on=timezone.localdate() - dt.timedelta(days=2))
    clocks = [acceptance(petition), acceptance(other)]
    due = max(scheduled(clock)["before_3"] for clock in clocks)
    assert send_due_reminders(now=due + dt.timedelta(hours=1)) == 2
    links = set(Notification.objects.filter(kind="reminder.petitions.due_soon").values_list("object_id", "url"))
    assert links == {(clock.pk, clock.petition.get_absolute_url()) for clock in clocks}


def test_it_reads_the_batchs_clocks_and_open_transfers_without_sorting_them_by_their_cases(world, petition, staff):
    """Read unsorted: the models' orderings (the case's number first) joined every transfer to its case only to sort
    a dict (a case has one open transfer at most). The owner of the open transfer is still the one told."""
    from django.test.utils import CaptureQueriesContext

    owner = user_with_role("unit_liaison", world.unit, real_name="李站长")
    services.petition_accept(petition=petition, by=staff)
    services.petition_transfer(petition=petition, by=staff, unit=world.unit, owner_name="李站长", owner_user=owner)
    completion = PetitionClock.objects.get(petition=petition, kind=ClockKind.COMPLETION)
    with CaptureQueriesContext(connection) as captured:
        send_due_reminders(now=scheduled(completion)["due_today"] + dt.timedelta(hours=1))
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    clocks = [sql for sql in selects if sql.split(" FROM ")[1].startswith('"petitions_petitionclock"')]
    transfers = [sql for sql in selects if sql.split(" FROM ")[1].startswith('"petitions_petitiontransfer"')]
    assert clocks and transfers
    assert all("ORDER BY" not in sql for sql in clocks + transfers)
    assert all('"petitions_petition"' not in sql for sql in transfers)
    told = {n.recipient for n in Notification.objects.filter(kind="reminder.petitions.due_today")}
    assert told == {owner, staff, petition.lead_leader}
