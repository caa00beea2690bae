"""The petitions builder of ``seed_demo --scale``: five years of 信访 in bulk, shaped by the app's own rules."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from petitions import lifecycle
from petitions.choices import Channel, ClockKind, ClockState, NoticeKind, PetitionStatus
from petitions.clocks import DUTY_KINDS
from petitions.demo import GIVEN, SURNAMES
from petitions.models import (
    Petition,
    PetitionClock,
    PetitionEvent,
    PetitionNotice,
    PetitionRepresentative,
    PetitionReview,
    PetitionSequence,
    PetitionTransfer,
    ReceptionDay,
    ReceptionDuty,
    ReturnVisit,
)
from petitions.scale import build
from presidium.calendar.services import explain_deadline
from presidium.documents.models import DocumentNumber
from presidium.notifications.models import Reminder
from presidium.registry import scale_steps
from tests.scale.helpers import assert_valid_sample, small_plan

pytestmark = pytest.mark.django_db

MODELS = (Petition, PetitionClock, PetitionEvent, PetitionNotice, PetitionRepresentative, PetitionReview,
          PetitionTransfer, ReceptionDay, ReceptionDuty, ReturnVisit, DocumentNumber, Reminder)


def with_deputies(plan):
    """Serving deputies per built township through the service (``helpers.with_deputies`` passes ``user=``,
    which ``deputy_create`` refuses; the petitions builder needs no deputy accounts)."""
    from deputies import services

    for built in plan.built:
        for n in range(1, plan.deputies + 1):
            services.deputy_create(township=built.township, by=plan.admin, name=f"{SURNAMES[n % 20]}{GIVEN[n % 12]}{'甲乙丙丁戊'[n % 5]}",
                                   gender="male" if n % 2 else "female", elected_on=built.term.start_date)
    return plan


@pytest.fixture
def plan():
    plan = with_deputies(small_plan(townships=2, years=3, deputies=20))
    build(plan)
    return plan


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def test_it_is_registered_as_the_petitions_step_after_proposals():
    step = next(s for s in scale_steps() if s.key == "petitions")
    assert step.order == 40 and step.build is build


def test_it_builds_the_yearly_volume_in_every_state_and_channel(plan):
    for built in plan.built:
        petitions = Petition.objects.filter(township=built.township)
        assert petitions.count() == plan.yearly("petitions") * plan.years
        for year in plan.year_list:
            assert petitions.filter(year=year).count() == plan.yearly("petitions")
    # Every state a case rests in; a review asked and not yet decided lasts a few weeks, so at this small
    # size it may be missing (the county has it): its steps are checked through the reviewed cases.
    states = set(Petition.objects.values_list("status", flat=True))
    assert states >= {PetitionStatus.REGISTERED, PetitionStatus.ANSWERED_ON_SPOT, PetitionStatus.ACCEPTED,
                      PetitionStatus.NOT_ACCEPTED, PetitionStatus.TRANSFERRED, PetitionStatus.REPLIED,
                      PetitionStatus.CLOSED, PetitionStatus.REVIEWED}
    assert PetitionReview.objects.filter(level="review").exists()
    assert set(Petition.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert Petition.objects.filter(is_collective=True).exists() and PetitionRepresentative.objects.exists()
    assert Petition.objects.filter(repeat_of__isnull=False).exists()
    assert Petition.objects.filter(raised_by_deputy__isnull=False, channel=Channel.DEPUTY).exists()
    assert Petition.objects.filter(reception_day__isnull=False).exists()
    assert PetitionNotice.objects.filter(kind=NoticeKind.EXTENSION).exists()
    assert PetitionTransfer.objects.filter(cancelled_at__isnull=False).exists()  # 改办
    assert PetitionTransfer.objects.filter(replied_at__isnull=False).exists()


def test_older_years_are_mostly_closed_and_this_year_has_open_and_overdue_cases(plan):
    today = timezone.localdate()
    oldest = Petition.objects.filter(year=plan.first_year)
    finished = oldest.exclude(status__in=lifecycle_open()).count()
    assert finished / oldest.count() > 0.95
    this_year = Petition.objects.filter(year=today.year)
    assert this_year.filter(status__in=lifecycle_open()).exists()
    assert this_year.filter(next_due_on__lt=today).exists()  # overdue
    assert this_year.filter(status=PetitionStatus.CLOSED).exists()


def lifecycle_open():
    from petitions.choices import OPEN_STATUSES

    return sorted(OPEN_STATUSES)


def test_it_is_idempotent(plan):
    before = counts()
    build(plan)
    assert counts() == before


def test_every_status_came_by_moves_the_lifecycle_table_allows(plan):
    """Each case's timeline walks the one table: every step's from-status is the one the step before reached."""
    steps = (PetitionEvent.objects.exclude(to_status="").order_by("petition_id", "at", "pk")
             .values_list("petition_id", "event", "from_status", "to_status"))
    last: dict[int, str] = {}
    for petition_id, event, source, target in steps:
        if event == "register":
            last[petition_id] = target
            continue
        assert source == last[petition_id], (petition_id, event)
        assert lifecycle.find(source, event).to == target
        last[petition_id] = target
    statuses = dict(Petition.objects.values_list("pk", "status"))
    assert last == statuses


def test_dates_follow_each_other_and_clocks_are_the_services_clocks(plan):
    today = timezone.localdate()
    for p in Petition.objects.all():
        assert p.received_on <= today and p.received_on.year == p.year
        if p.accepted_on:
            assert p.accepted_on >= p.received_on
        if p.replied_on:
            assert p.replied_on >= p.accepted_on
        if p.closed_at:
            assert timezone.localdate(p.closed_at) >= (p.replied_on or p.received_on)
    for clock in PetitionClock.objects.select_related("petition__township")[:400]:
        expected = explain_deadline(clock.started_on, clock.amount, clock.unit,
                                    county=clock.petition.township.county_id).deadline.date
        assert clock.due_on == expected
        if clock.state in (ClockState.MET, ClockState.MISSED):
            assert (clock.state == ClockState.MET) == (clock.stopped_on <= clock.due_on)
    assert PetitionClock.objects.filter(kind=ClockKind.ACCEPTANCE, amount=15).exists()
    assert PetitionClock.objects.filter(kind=ClockKind.COMPLETION, amount=60).exists()
    assert not PetitionClock.objects.filter(kind=ClockKind.EXTENSION, amount__gt=30).exists()
    for transfer in PetitionTransfer.objects.select_related("petition")[:300]:
        assert timezone.localdate(transfer.transferred_at) >= transfer.petition.accepted_on
        if transfer.replied_at:
            assert transfer.replied_at >= transfer.transferred_at
    for review in PetitionReview.objects.exclude(decided_on=None):
        assert review.decided_on >= review.requested_on
    # next_due_on is the earliest running duty clock, as refresh_next_due keeps it
    for p in Petition.objects.filter(status__in=lifecycle_open())[:300]:
        due = (PetitionClock.objects.filter(petition=p, state=ClockState.RUNNING, kind__in=sorted(DUTY_KINDS))
               .order_by("due_on").values_list("due_on", flat=True).first())
        assert p.next_due_on == due


def test_running_duty_clocks_have_their_reminders_and_notices_their_numbers(plan):
    running = PetitionClock.objects.filter(state=ClockState.RUNNING, kind__in=sorted(DUTY_KINDS))
    assert running.exists()
    reminded = set(Reminder.objects.filter(content_type__model="petitionclock", kind="overdue")
                   .values_list("object_id", flat=True))
    assert reminded == set(running.values_list("pk", flat=True))
    assert not PetitionNotice.objects.filter(number__isnull=True).exists()
    numbers = DocumentNumber.objects.filter(kind__startswith="petitions.")
    assert numbers.count() == PetitionNotice.objects.count()
    assert not numbers.values("township", "code", "year", "number").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert ReceptionDay.objects.filter(status="planned", date__gt=timezone.localdate()).exists()
    assert Reminder.objects.filter(content_type__model="receptionday", kind="duty_eve").exists()


def test_built_rows_pass_model_validation(plan):
    for model in (Petition, PetitionClock, PetitionNotice, PetitionTransfer, PetitionEvent, PetitionReview,
                  ReturnVisit, PetitionRepresentative, ReceptionDay, ReceptionDuty):
        assert_valid_sample(model.objects.all())


def test_numbers_continue_after_the_block_and_the_services_work_on_built_cases(plan):
    from petitions import services

    built = plan.built[0]
    year = timezone.localdate().year
    last = Petition.objects.filter(township=built.township, year=year).order_by("-number").first().number
    assert PetitionSequence.objects.get(township=built.township, year=year).last_number == last
    new = services.petition_register(township=built.township, by=built.staff, channel=Channel.LETTER,
                                     subject="新登记的信访件", content="内容", name="张三")
    assert new.number == last + 1
    # The unit's liaison replies to a built transferred case through the service.
    transfer = PetitionTransfer.objects.filter(petition__township=built.township, replied_at=None,
                                               cancelled_at=None, petition__status=PetitionStatus.TRANSFERRED).first()
    liaison = built.liaisons[transfer.unit_id]
    services.petition_unit_reply(petition=transfer.petition, by=liaison, reply="已办理。")
    transfer.refresh_from_db()
    assert transfer.replied_at is not None
    # and a notice issued now continues the township's 发文字号
    accepted = Petition.objects.filter(township=built.township, status=PetitionStatus.REGISTERED).first()
    notice = services.petition_accept(petition=accepted, by=built.staff).notices.get(kind=NoticeKind.ACCEPTANCE)
    built_max = (DocumentNumber.objects.filter(township=built.township, year=year).exclude(pk=notice.number_id)
                 .order_by("-number").values_list("number", flat=True).first())
    assert notice.number.number == built_max + 1


def test_a_service_made_petition_before_the_build_keeps_its_number():
    from petitions import services

    plan = with_deputies(small_plan(townships=1, years=2, deputies=10))
    built = plan.built[0]
    first = services.petition_register(township=built.township, by=built.staff, channel=Channel.VISIT,
                                       subject="先登记的", content="内容", name="李四")
    build(plan)
    numbers = list(Petition.objects.filter(township=built.township, year=first.year).exclude(pk=first.pk)
                   .order_by("number").values_list("number", flat=True))
    assert numbers[0] == first.number + 1 and len(set(numbers)) == len(numbers)


def test_pages_render_with_the_built_rows(plan, client):
    built = plan.built[0]
    petition = (Petition.objects.filter(township=built.township, status=PetitionStatus.CLOSED,
                                        transfers__isnull=False).first())
    client.force_login(built.staff)
    for url in (reverse("petitions:list"), reverse("petitions:list") + "?status=transferred",
                reverse("petitions:figures"), petition.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get(petition.get_absolute_url()).content.decode()
    assert petition.registration_number in html and "答复意见书" in html


def test_the_public_lookup_finds_a_built_case(plan, client):
    petition = Petition.objects.filter(status=PetitionStatus.REPLIED).first()
    response = client.post(reverse("petitions_public:lookup"),
                           {"number": petition.registration_number, "code": petition.query_code})
    assert response.status_code == 302
    html = client.get(reverse("petitions_public:case")).content.decode()
    assert petition.registration_number in html


def test_the_staff_list_does_not_grow_in_queries_with_the_built_rows(plan, client, django_assert_max_num_queries):
    client.force_login(plan.built[0].staff)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("petitions:list")).status_code == 200
