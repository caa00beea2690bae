"""The proposals builder of ``seed_demo --scale``: motions and suggestions in bulk, shaped by the services' rules."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from presidium.models import RoleAssignment, User
from presidium.notifications.models import Reminder
from proposals import services
from proposals.choices import OPEN_HANDLING, SuggestionKind, SuggestionStatus
from proposals.models import (
    Consultation,
    Cosignature,
    CoUnit,
    Extension,
    HandBackRequest,
    Rating,
    Reply,
    SerialCounter,
    Suggestion,
    SuggestionLog,
    SupervisionAction,
    SupervisionOpinion,
)
from proposals.scale import build
from proposals.services import deadlines
from tests.factories import DeputyFactory, MeetingFactory
from tests.scale.helpers import assert_valid_sample, small_plan

pytestmark = pytest.mark.django_db
S = SuggestionStatus
BUILT = (Suggestion, Cosignature, CoUnit, Consultation, Reply, Rating, Extension, HandBackRequest, SupervisionAction,
         SuggestionLog, SupervisionOpinion, SerialCounter, Reminder)


def with_deputies(plan):
    """Serving deputies per built township through the service, each with an account (the deputies
    builder makes them in the real run; ``helpers.with_deputies`` passes ``user`` where the service has none)."""
    for built in plan.built:
        for n in range(1, plan.deputies + 1):
            user = User.objects.create_user(f"{built.prefix}_d{n:04d}", password=None, real_name=f"代表{n}")
            RoleAssignment.objects.create(user=user, role=Role.DEPUTY, township=built.township)
            DeputyFactory(township=built.township, user=user, gender="male" if n % 2 else "female",
                          elected_on=built.term.start_date)
    return plan


@pytest.fixture
def plan():
    plan = with_deputies(small_plan(townships=1, years=3, deputies=40))
    build(plan)
    return plan


def test_it_fills_every_state_with_old_years_finished_and_this_year_mixed(plan):
    township = plan.built[0].township
    items = Suggestion.objects.filter(township=township)
    assert items.count() == 3 * plan.yearly("suggestions")
    assert set(items.values_list("status", flat=True)) == set(S.values)
    this_year = plan.today.year
    old = Counter(items.filter(created_at__year__lt=this_year).values_list("status", flat=True))
    assert old[S.CLOSED] / sum(old.values()) > 0.75
    now = Counter(items.filter(created_at__year=this_year).values_list("status", flat=True))
    assert now[S.CLOSED] / sum(now.values()) < 0.5
    for status in (S.DRAFT, S.SUBMITTED, S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.RATED, S.REHANDLING):
        assert now[status] > 0, status
    overdue = items.filter(status__in=OPEN_HANDLING, deadline__lt=plan.today)
    assert 0 < overdue.count() < items.filter(status__in=OPEN_HANDLING).count()
    motions = items.filter(kind=SuggestionKind.MOTION)
    assert 0 < motions.count() < items.count() * 0.1
    for motion in motions:
        assert motion.cosignatures.filter(confirmed_at__isnull=False).count() >= 5 or motion.status == S.DRAFT \
            or motion.cosignatures.count() >= 5
    assert items.filter(is_key=True).exclude(leading_leader="").exists()
    for model in (Extension, HandBackRequest, SupervisionAction, CoUnit, SupervisionOpinion, Rating):
        assert model.objects.exists(), model.__name__
    assert set(Rating.objects.values_list("overall", flat=True)) == {"satisfied", "basic", "unsatisfied"}
    assert set(HandBackRequest.objects.values_list("status", flat=True)) == {"pending", "approved", "refused"}


def test_it_builds_nothing_twice(plan):
    counts = [model.objects.count() for model in BUILT]
    build(plan)
    assert [model.objects.count() for model in BUILT] == counts


def test_it_keeps_the_order_of_the_steps_and_no_date_after_today(plan):
    now = timezone.now()
    for s in Suggestion.objects.all():
        steps = [s.created_at, s.submitted_at, s.registered_at, s.assigned_at, s.first_replied_at, s.closed_at]
        present = [t for t in steps if t is not None]
        assert present == sorted(present), s.pk
        assert all(t <= now for t in present)
        if s.status not in (S.DRAFT,):
            assert s.submitted_at is not None
        if s.first_consulted_at:
            assert s.assigned_at <= s.first_consulted_at or s.round > 1
    for reply in Reply.objects.select_related("suggestion"):
        assert reply.suggestion.assigned_at <= reply.submitted_at
        assert Consultation.objects.filter(suggestion=reply.suggestion_id, round=reply.round,
                                           recorded_at__lte=reply.submitted_at).exists()
        assert reply.on_time == (timezone.localdate(reply.submitted_at) <= reply.deadline_at_reply)
    for rating in Rating.objects.select_related("reply"):
        assert rating.reply.submitted_at <= rating.rated_at
    for log in SuggestionLog.objects.filter(event="serial")[:50]:
        assert log.title == f"编号 {log.suggestion.serial}"


def test_its_deadlines_are_the_services_deadlines(plan):
    township = plan.built[0].township
    ruled = Suggestion.objects.filter(township=township, deadline_amount__isnull=False)
    assert ruled.exists()
    for s in ruled[:80]:
        assert s.deadline == deadlines.compute(township, s.deadline_start, s.deadline_amount, s.deadline_unit).date
    # An approved extension sets a date, not a rule (deadlines.apply_fixed_date).
    for extension in Extension.objects.filter(status="approved").select_related("suggestion"):
        if extension.suggestion.round == 1 and extension.suggestion.deadline_amount is None:
            assert extension.suggestion.deadline == extension.requested_deadline


def test_it_numbers_per_year_and_kind_from_the_counters(plan):
    township = plan.built[0].township
    for counter in SerialCounter.objects.filter(township=township):
        numbers = sorted(Suggestion.objects.filter(township=township, kind=counter.kind, serial_year=counter.year)
                         .values_list("serial_number", flat=True))
        assert numbers == list(range(1, counter.last_number + 1))


def test_it_schedules_the_reminders_of_every_open_item(plan):
    open_items = Suggestion.objects.filter(status__in=OPEN_HANDLING)
    kinds = {}
    for reminder in Reminder.objects.all():
        kinds.setdefault(reminder.object_id, set()).add(reminder.kind)
    for s in open_items:
        assert deadlines.OVERDUE in kinds[s.pk], s.pk
        if s.deadline >= plan.today:
            assert deadlines.DUE_TODAY in kinds[s.pk]
    promised = Reply.objects.filter(result_class="B", promise_kept_on__isnull=True)
    assert {f"promise_{r.pk}" for r in promised} <= {k for ks in kinds.values() for k in ks}


def test_its_rows_pass_model_validation():
    plan = with_deputies(small_plan(townships=1, years=2, deputies=20))
    build(plan)
    for model in BUILT:
        assert_valid_sample(model.objects.all(), size=40)


def test_a_service_works_on_a_built_item_and_the_next_number_follows_the_built_ones(plan):
    built = plan.built[0]
    item = (Suggestion.objects.filter(township=built.township, status=S.IN_HANDLING, kind=SuggestionKind.SUGGESTION)
            .filter(consultations__round=1).select_related("lead_unit").first())
    liaison = built.liaisons[item.lead_unit_id]
    services.reply_submit(suggestion=item, by=liaison, text="已完成整改。", result_class="A")
    item.refresh_from_db()
    assert item.status == S.REPLIED
    year = timezone.localdate().year
    counter = SerialCounter.objects.get(township=built.township, kind=SuggestionKind.SUGGESTION, year=year)
    before = counter.last_number
    assert before > 0
    lead = item.lead_deputy
    draft = services.suggestion_create(township=built.township, by=built.staff, title="关于修缮村道的建议",
                                       content="村道失修。", lead_deputy=lead,
                                       category=services.categories_ensure(township=built.township)[0])
    services.suggestion_submit(suggestion=draft, by=built.staff)
    registered = services.suggestion_register(suggestion=draft, by=built.staff)
    assert registered.serial_number == before + 1


def test_the_staff_list_and_detail_pages_render_the_built_items(plan, client):
    built = plan.built[0]
    client.force_login(built.staff)
    response = client.get(reverse("proposals:list"))
    assert response.status_code == 200
    page = response.content.decode()
    shown = [s for s in Suggestion.objects.filter(township=built.township) if s.title in page and (
        not s.serial or s.serial in page)]
    assert len(shown) >= 10
    for status in (S.CLOSED, S.IN_HANDLING, S.REHANDLING):
        item = Suggestion.objects.filter(township=built.township, status=status).first()
        response = client.get(reverse("proposals:detail", args=[item.pk]))
        assert response.status_code == 200
        assert "交办给" in response.content.decode() or "改交" in response.content.decode()


def test_items_raised_at_a_session_point_at_that_years_session_record_or_name_it():
    plan = with_deputies(small_plan(townships=1, years=2, deputies=12))
    township = plan.built[0].township
    year = plan.today.year
    session = MeetingFactory(township=township, kind="congress_session", session_number=5,
                             title="东山镇第十八届人民代表大会第五次会议",
                             starts_at=timezone.make_aware(dt.datetime(year, 1, 8, 9)),
                             ends_at=timezone.make_aware(dt.datetime(year, 1, 9, 17)), status="held")
    build(plan)
    this_year = Suggestion.objects.filter(township=township, raised_during="session", created_at__year=year)
    last_year = Suggestion.objects.filter(township=township, raised_during="session", created_at__year=year - 1)
    assert this_year.exists() and last_year.exists()
    assert set(this_year.values_list("session", "session_name")) == {(session.pk, session.title)}
    assert set(last_year.values_list("session", flat=True)) == {None}
    assert all(name.endswith("次会议") for name in last_year.values_list("session_name", flat=True))
