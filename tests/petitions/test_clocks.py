"""The statutory clocks: calendar days through the calendar service, started and stopped by the notices."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from petitions import services
from petitions.choices import ClockKind, ClockState
from petitions.models import Petition, PetitionClock
from tests.factories import petition_at, petition_registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    return world.user("presidium_staff")


def clock(petition, kind, round=1):
    return PetitionClock.objects.get(petition=petition, kind=kind, round=round)


def test_it_counts_the_national_day_holiday_like_any_day(world, staff):
    """Registered 2026-09-25: accepted by 2026-10-10, although 10-01..10-08 are the National Day holiday."""
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 25))
    acceptance = clock(petition, ClockKind.ACCEPTANCE)
    assert (acceptance.started_on, acceptance.due_on) == (dt.date(2026, 9, 25), dt.date(2026, 10, 10))
    assert acceptance.unit == "calendar_days" and acceptance.amount == 15
    assert "国庆节" in acceptance.counted and "照常计算" in acceptance.counted
    assert "信访工作条例" in acceptance.legal_basis and "15日" in acceptance.legal_basis
    assert Petition.objects.get(pk=petition.pk).next_due_on == dt.date(2026, 10, 10)


def test_it_starts_the_completion_clock_on_the_acceptance_date(world, staff):
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 25))
    services.petition_accept(petition=petition, by=staff, on=dt.date(2026, 9, 30))
    acceptance, completion = clock(petition, ClockKind.ACCEPTANCE), clock(petition, ClockKind.COMPLETION)
    assert acceptance.state == ClockState.MET and acceptance.stopped_on == dt.date(2026, 9, 30)
    assert acceptance.stop_event == "受理告知书"
    assert (completion.started_on, completion.due_on, completion.state) == (
        dt.date(2026, 9, 30), dt.date(2026, 11, 29), ClockState.RUNNING)
    assert completion.start_event == "受理告知书" and completion.started_by_notice.kind == "acceptance"
    assert Petition.objects.get(pk=petition.pk).next_due_on == dt.date(2026, 11, 29)


def test_it_marks_a_clock_stopped_after_its_due_date_missed(world, staff):
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 1))
    services.petition_accept(petition=petition, by=staff, on=dt.date(2026, 9, 20))
    assert clock(petition, ClockKind.ACCEPTANCE).state == ClockState.MISSED


def test_it_stops_acceptance_on_a_non_acceptance_notice_and_starts_nothing(world, staff):
    petition = petition_at("not_accepted", world.township, by=staff)
    assert clock(petition, ClockKind.ACCEPTANCE).state == ClockState.MET
    assert list(petition.clocks.values_list("kind", flat=True)) == [ClockKind.ACCEPTANCE]
    assert Petition.objects.get(pk=petition.pk).next_due_on is None


def test_it_extends_completion_once_from_its_due_date(world, staff):
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 25))
    services.petition_accept(petition=petition, by=staff, on=dt.date(2026, 9, 30))
    services.petition_extend(petition=petition, by=staff, days=20, reason="涉及多个部门，需进一步核实。",
                             approved_by="王镇长", on=dt.date(2026, 11, 20))
    completion, extension = clock(petition, ClockKind.COMPLETION), clock(petition, ClockKind.EXTENSION)
    assert completion.state == ClockState.EXTENDED
    assert (extension.started_on, extension.amount, extension.due_on) == (
        dt.date(2026, 11, 29), 20, dt.date(2026, 12, 19))
    assert extension.start_event == "延期告知书" and "20 日" in extension.counted
    assert Petition.objects.get(pk=petition.pk).next_due_on == dt.date(2026, 12, 19)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.petition_extend(petition=petition, by=staff, days=5, reason="再延。", approved_by="王镇长")
    services.petition_reply(petition=petition, by=staff, findings="partly", request_reasonable=True,
                            resolution="explained", text="答复。", public_text="答复。", on=dt.date(2026, 12, 1))
    assert clock(petition, ClockKind.EXTENSION).state == ClockState.MET
    assert clock(petition, ClockKind.COMPLETION).state == ClockState.EXTENDED


@pytest.mark.parametrize(("days", "reason", "approved_by", "field"), [
    (31, "理由", "王镇长", "days"), (0, "理由", "王镇长", "days"), (10, "", "王镇长", "reason"),
    (10, "理由", "", "approved_by"),
])
def test_it_refuses_an_extension_without_limit_reason_or_approval(world, staff, days, reason, approved_by, field):
    petition = petition_at("accepted", world.township, by=staff)
    with pytest.raises(ValidationError) as raised:
        services.petition_extend(petition=petition, by=staff, days=days, reason=reason, approved_by=approved_by)
    assert field in raised.value.message_dict
    assert not petition.notices.filter(kind="extension").exists()


def test_it_refuses_an_extension_before_acceptance(world, staff):
    petition = petition_at("registered", world.township, by=staff)
    with pytest.raises(ValidationError, match="已受理"):
        services.petition_extend(petition=petition, by=staff, days=10, reason="理由", approved_by="王镇长")


def test_it_takes_the_number_of_days_from_the_settings(world, staff, settings):
    settings.PETITION_ACCEPT_DAYS = 10
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 25))
    assert clock(petition, ClockKind.ACCEPTANCE).due_on == dt.date(2026, 10, 5)


def test_it_can_count_a_clock_in_working_days_by_setting(world, staff, settings):
    """The unit is data: 2026-09-30 + 5 working days = 2026-10-13 (10-10 is a make-up Saturday)."""
    settings.PETITION_CLOCK_UNITS = {"acceptance": "working_days"}
    settings.PETITION_ACCEPT_DAYS = 5
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 30))
    acceptance = clock(petition, ClockKind.ACCEPTANCE)
    assert (acceptance.unit, acceptance.due_on) == ("working_days", dt.date(2026, 10, 13))
    assert "工作日" in acceptance.counted


def test_it_counts_clocks_in_a_year_the_holiday_library_does_not_know(world, staff):
    """At 2027-03-15 (chinesecalendar stops at 2026) calendar days need no holiday data: nothing raises."""
    with time_machine.travel(dt.datetime(2027, 3, 15, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        petition = petition_registered(world.township, by=staff, received_on=dt.date(2027, 3, 10))
        assert petition.year == 2027 and petition.registration_number.startswith("〔2027〕")
        assert clock(petition, ClockKind.ACCEPTANCE).due_on == dt.date(2027, 3, 25)
        services.petition_accept(petition=petition, by=staff, on=dt.date(2027, 3, 15))
        assert clock(petition, ClockKind.COMPLETION).due_on == dt.date(2027, 5, 14)
        services.petition_extend(petition=petition, by=staff, days=30, reason="情况复杂。", approved_by="王镇长")
        assert clock(petition, ClockKind.EXTENSION).due_on == dt.date(2027, 6, 13)


def test_it_restarts_the_acceptance_clock_when_the_date_of_receipt_is_corrected(world, staff):
    petition = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 25))
    services.petition_update(petition=petition, by=staff, received_on=dt.date(2026, 9, 20))
    assert clock(petition, ClockKind.ACCEPTANCE, 1).state == ClockState.VOID
    assert clock(petition, ClockKind.ACCEPTANCE, 2).due_on == dt.date(2026, 10, 5)
    assert Petition.objects.get(pk=petition.pk).next_due_on == dt.date(2026, 10, 5)


def test_it_keeps_the_review_window_out_of_the_overdue_count(world, staff):
    from petitions.selectors import overdue_petitions

    petition = petition_at("replied", world.township, by=staff)
    window = clock(petition, ClockKind.REVIEW_REQUEST)
    assert window.state == ClockState.RUNNING and window.due_on < dt.date(2026, 12, 1)
    assert not overdue_petitions(Petition.objects.all(), today=dt.date(2026, 12, 1)).exists()
    assert Petition.objects.get(pk=petition.pk).next_due_on is None


def test_it_moves_a_working_day_clock_when_the_county_adds_a_day_off(world, staff, settings,
                                                                     django_capture_on_commit_callbacks):
    """Calendar days never move; a clock counted in working days follows a holiday the county adds."""
    from presidium.calendar.services import calendar_day_set

    settings.PETITION_CLOCK_UNITS = {"acceptance": "working_days"}
    settings.PETITION_ACCEPT_DAYS = 5
    working = petition_registered(world.township, by=staff, received_on=dt.date(2026, 11, 2))
    settings.PETITION_CLOCK_UNITS = {}
    calendar_days = petition_registered(world.township, by=staff, received_on=dt.date(2026, 11, 2))
    assert clock(working, ClockKind.ACCEPTANCE).due_on == dt.date(2026, 11, 9)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(date=dt.date(2026, 11, 4), is_working_day=False, name="县庆", county=world.county,
                         by=world.user("county_admin"))
    assert clock(working, ClockKind.ACCEPTANCE).due_on == dt.date(2026, 11, 10)
    assert clock(calendar_days, ClockKind.ACCEPTANCE).due_on == dt.date(2026, 11, 7)
    assert Petition.objects.get(pk=working.pk).next_due_on == dt.date(2026, 11, 10)
