"""The deputies step of ``seed_demo --scale``: deputies, their organisation, five years of visits and duty records."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F
from django.urls import reverse

from deputies import scale, services
from deputies.choices import TOWNSHIP_SEAT_LEVELS, DeputyStatus, GroupKind, StationKind, StationStaffRole
from deputies.models import (
    Award,
    Constituency,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    DutyPledge,
    LiaisonStation,
    StationStaff,
    TrainingRecord,
    Visit,
    VisitOpinion,
    VisitPhoto,
    VisitTarget,
    VoterReport,
    YearAssessment,
)
from deputies.pii import id_number_digest
from deputies.selectors import progress_for
from presidium.choices import Role
from presidium.models import RoleAssignment, User
from presidium.registry import scale_steps
from presidium.sorting import natural_sort_key
from tests.scale.helpers import assert_valid_sample, small_plan

pytestmark = pytest.mark.django_db

BUILT = (Deputy, Constituency, DeputyGroup, LiaisonStation, StationStaff, DeputyStatusChange, VisitTarget, Visit,
         VisitOpinion, VisitPhoto, DutyPledge, TrainingRecord, VoterReport, YearAssessment, Award)


@pytest.fixture
def plan():
    plan = small_plan(townships=2, years=3, deputies=50)
    scale.build(plan)
    return plan


def test_it_is_registered_as_the_first_scale_step_after_the_organisation():
    step = next(s for s in scale_steps() if s.key == "deputies")
    assert step.order == 10 and step.build is scale.build


def test_it_builds_each_township_s_deputies_with_accounts_and_derived_fields(plan):
    for built in plan.built:
        deputies = list(Deputy.objects.filter(township=built.township).select_related("user"))
        assert len(deputies) == plan.deputies
        assert {d.term_id for d in deputies} == {built.term.pk}
        assert {d.user.username for d in deputies} == {f"{built.prefix}_d{n:04d}" for n in range(1, 51)}
        assert RoleAssignment.objects.filter(role=Role.DEPUTY, township=built.township,
                                             user__deputy_profile__township=built.township).count() == 50
        for deputy in deputies:
            twin = Deputy(township=deputy.township, term=deputy.term, name=deputy.name, gender=deputy.gender,
                          id_number=deputy.id_number, birth_date=deputy.birth_date, elected_on=deputy.elected_on)
            assert not services.registry.prepare_fields(twin)
            assert (deputy.name_pinyin, deputy.name_initials, deputy.id_number_digest, deputy.birth_date) == (
                twin.name_pinyin, twin.name_initials, twin.id_number_digest, twin.birth_date)
            assert deputy.elected_on == built.term.start_date
        with_id = [d for d in deputies if d.id_number]
        assert 0.7 * len(deputies) < len(with_id) < len(deputies)
        assert all(d.id_number_digest == id_number_digest(d.id_number) for d in with_id)
    with connection.cursor() as cursor:  # the ID number is encrypted at rest, as the service stores it
        cursor.execute("SELECT id_number FROM deputies_deputy WHERE id_number <> ''")
        assert all(value.startswith("enc1:") for (value,) in cursor.fetchall())


def test_it_builds_groups_stations_and_constituencies_with_room_for_every_township_deputy(plan):
    for built in plan.built:
        township = built.township
        villages = [u for u in built.units if u.kind == "village"]
        smalls = DeputyGroup.objects.filter(township=township, kind=GroupKind.SMALL)
        assert smalls.count() == len(villages)
        assert DeputyGroup.objects.filter(township=township, kind=GroupKind.BIG).count() == 3
        assert not smalls.filter(parent=None).exists()
        assert not smalls.filter(leader=None).exists() and not smalls.filter(deputy_leader=None).exists()
        for group in smalls.select_related("leader"):
            assert group.leader.group_id == group.pk and group.leader.status == DeputyStatus.SERVING
            assert group.name_sort_key == natural_sort_key(group.name)
        assert LiaisonStation.objects.get(township=township, kind=StationKind.HOME).deputies.exists()
        assert LiaisonStation.objects.filter(township=township, kind=StationKind.STATION).count() >= 2
        heads = StationStaff.objects.filter(station__township=township, role=StationStaffRole.HEAD)
        assert heads.exclude(deputy=None).count() == heads.count() >= 1
        assert StationStaff.objects.filter(station__township=township, role=StationStaffRole.LIAISON).count() == \
            LiaisonStation.objects.filter(township=township).count()
        seated = Deputy.objects.filter(township=township, level__in=TOWNSHIP_SEAT_LEVELS)
        assert not seated.filter(constituency=None).exists()
        assert not Deputy.objects.filter(township=township).exclude(constituency=None).exclude(
            constituency__township=township).exists()
        for constituency in Constituency.objects.filter(township=township).annotate(n=Count("deputies")):
            assert 1 <= constituency.n <= constituency.seats <= 3


def test_it_records_a_few_departures_with_their_status_change(plan):
    departed = Deputy.objects.exclude(status=DeputyStatus.SERVING)
    assert departed.count() == 2 * round(50 * 0.04)
    for deputy in departed:
        change = DeputyStatusChange.objects.get(deputy=deputy)
        assert (change.from_status, change.to_status, change.effective_on) == (
            DeputyStatus.SERVING, deputy.status, deputy.status_since)
        assert deputy.elected_on < deputy.status_since <= plan.today and deputy.status_reason
        assert not Visit.objects.filter(deputy=deputy, visited_on__gte=deputy.status_since).exists()
        assert not DutyPledge.objects.filter(deputy=deputy, signed_on__gte=deputy.status_since).exists()
        assert not DeputyGroup.objects.filter(leader=deputy).exists()


def test_it_spreads_visits_over_the_years_with_most_deputies_near_the_target_and_some_behind(plan):
    for built in plan.built:
        assert list(VisitTarget.objects.filter(township=built.township).order_by("year").values_list(
            "year", flat=True)) == plan.year_list
        per_year = Counter(Visit.objects.filter(township=built.township).values_list("visited_on__year", flat=True))
        full = plan.yearly("visits")
        for year in plan.year_list[:-1]:
            assert 0.85 * full <= per_year[year] <= 1.1 * full
        assert per_year[plan.today.year] <= 1.1 * full
        serving = Deputy.objects.filter(township=built.township, status=DeputyStatus.SERVING)
        progress = progress_for(serving, plan.today.year, today=plan.today)
        behind = sum(1 for p in progress.values() if p.behind)
        assert 0 < behind < len(progress) * 0.35
    assert not Visit.objects.exclude(township_id=F("deputy__township_id")).exists()


def test_it_keeps_each_deputys_yearly_visit_totals_as_the_services_do(plan):
    from tests.deputies.test_visit_years import from_visits, kept

    assert kept() == from_visits()
    assert len(kept()) > len(plan.built)


def test_it_keeps_dates_in_order(plan):
    visits = Visit.objects.select_related("deputy")
    assert not visits.filter(visited_on__gt=plan.today).exists()
    assert not visits.filter(visited_on__lt=F("deputy__elected_on")).exists()
    for visit in visits.order_by("?")[:200]:
        assert visit.visited_on <= visit.created_at.date() <= plan.today
        assert visit.recorded_by_id in (visit.deputy.user_id, next(
            b.staff.pk for b in plan.built if b.township.pk == visit.township_id))
    assert not DutyPledge.objects.exclude(signed_on__year=F("year")).exists()
    assert not VoterReport.objects.exclude(reported_on__year=F("year")).exists()
    assert not YearAssessment.objects.exclude(assessed_on__year=F("year") + 1).exists()
    assert not YearAssessment.objects.filter(year=plan.today.year).exists()  # this year's is not due yet
    for model, field in ((DutyPledge, "signed_on"), (TrainingRecord, "attended_on"), (VoterReport, "reported_on"),
                         (YearAssessment, "assessed_on"), (Award, "awarded_on")):
        assert not model.objects.filter(**{f"{field}__gt": plan.today}).exists()
        assert not model.objects.filter(**{f"{field}__lt": F("deputy__elected_on")}).exists()
    for photo in VisitPhoto.objects.select_related("visit")[:50]:
        assert photo.uploaded_at == photo.visit.created_at


def test_it_gives_every_visit_one_to_three_opinions_and_some_visits_photos_each_with_its_own_files(plan):
    opinions = Counter(VisitOpinion.objects.values_list("visit_id", flat=True))
    assert set(opinions) == set(Visit.objects.values_list("pk", flat=True))
    assert set(opinions.values()) == {1, 2, 3}
    assert dict(Visit.objects.values_list("pk", "opinion_count")) == opinions  # as the services keep it
    assert not VisitOpinion.objects.exclude(converted_kind="").exists()
    with_photos = Visit.objects.filter(photos__isnull=False).distinct().count()
    assert 0.05 * Visit.objects.count() < with_photos < 0.15 * Visit.objects.count()
    names = [name for photo in VisitPhoto.objects.all() for _storage, name in photo.stored_files()]
    assert len(names) == 2 * VisitPhoto.objects.count() == len(set(names))
    photo = VisitPhoto.objects.select_related("visit").first()
    assert photo.image.name.startswith(f"deputies/visits/{photo.visit.township_id}/{photo.visit_id}/")
    assert photo.image.storage.exists(photo.image.name) and photo.thumbnail.storage.exists(photo.thumbnail.name)
    assert photo.image.size == photo.size_bytes


def test_it_builds_the_duty_archive_year_by_year(plan):
    deputies = Deputy.objects.count()
    years = len(plan.year_list)
    assert 0.75 * deputies * years < DutyPledge.objects.count() <= deputies * years
    assert 0.8 * deputies * (years - 1) < YearAssessment.objects.count() <= deputies * (years - 1)
    assert 0.25 * deputies * years < TrainingRecord.objects.count()
    assert VoterReport.objects.count() > 0.15 * deputies * years
    assert Award.objects.exists()
    assert not VoterReport.objects.filter(voters_present__lt=F("excellent") + F("competent")
                                          + F("incompetent")).exists()


def test_every_built_model_passes_model_validation_on_a_sample(plan):
    for model in BUILT:
        assert_valid_sample(model.objects.all(), size=40)


def test_it_builds_nothing_twice(plan):
    counts = [model.objects.count() for model in (*BUILT, User, RoleAssignment)]
    again = small_plan(townships=2, years=3, deputies=50)
    scale.build(again)
    assert [model.objects.count() for model in (*BUILT, User, RoleAssignment)] == counts


def test_services_continue_after_the_built_rows(plan):
    """A deputy, constituency and visit made by the services later fit in: the duplicate check sees built IDs."""
    built = plan.built[0]
    taken = Deputy.objects.filter(township=built.township).exclude(id_number="").first()
    with pytest.raises(ValidationError) as refused:
        services.deputy_create(township=built.township, by=built.staff, name="重复登记", gender=taken.gender,
                               id_number=taken.id_number, elected_on=built.term.start_date)
    assert "本届已登记过这个身份证号码" in str(refused.value)
    count = Constituency.objects.filter(township=built.township).count()
    constituency = services.constituency_create(township=built.township, by=built.staff,
                                                name=f"第{count + 1}选区", seats=1)
    deputy = services.deputy_create(township=built.township, by=built.staff, name="新补选", gender="male",
                                    elected_on=plan.today, constituency=constituency)
    visit = services.visit_create(deputy=deputy, by=built.staff, visited_on=plan.today, place="东风村1组",
                                  method="home", households=1, people=2)
    assert Visit.objects.filter(deputy=deputy).get() == visit


def test_staff_find_a_built_deputy_by_pinyin_initials_and_see_the_lists(plan, client):
    built = plan.built[0]
    deputy = Deputy.objects.filter(township=built.township, status=DeputyStatus.SERVING).order_by("pk")[3]
    client.force_login(built.staff)
    found = client.get(reverse("deputies:deputy_list"), {"q": deputy.name_initials})
    assert found.status_code == 200 and deputy.name in found.content.decode()
    assert deputy in found.context["object_list"]
    visits = client.get(reverse("deputies:visit_list"))
    assert visits.status_code == 200 and visits.context["paginator"].count == Visit.objects.filter(
        township=built.township).count()
    assert client.get(reverse("deputies:duty_overview")).status_code == 200


def test_a_built_deputy_signs_in_with_the_demo_password_and_sees_only_his_visits(plan, client):
    deputy = Deputy.objects.filter(township=plan.built[1].township, status=DeputyStatus.SERVING).annotate(
        n=Count("visits")).filter(n__gt=0).order_by("pk").first()
    signed_in = client.post(reverse("login"), {"username": deputy.user.username, "password": "Renda2026!"})
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(deputy.user_id)
    response = client.get(reverse("deputies:visit_list"))
    assert response.status_code == 200
    assert response.context["paginator"].count == deputy.visits.count()
    archive = client.get(reverse("deputies:me"), follow=True)  # his own duty archive
    assert archive.status_code == 200 and deputy.name in archive.content.decode()


def test_it_writes_deputies_and_visits_in_a_handful_of_queries_per_township(django_assert_max_num_queries):
    plan = small_plan(townships=1, years=2, deputies=30)
    with django_assert_max_num_queries(60):
        scale.build(plan)
    assert Visit.objects.count() > 500


def test_a_township_that_fails_leaves_no_rows_and_no_photo_files(monkeypatch, settings):
    from pathlib import Path

    from deputies.scale import duty
    from deputies.scale import visits as scale_visits

    plan = small_plan(townships=1, years=1, deputies=30)
    files = []
    write = scale_visits._write
    monkeypatch.setattr(scale_visits, "_write", lambda *args: files.append(write(*args)) or files[-1])

    def fail(*args, **kwargs):
        raise RuntimeError("the duty records could not be written")

    monkeypatch.setattr(duty, "build_duty_records", fail)
    with pytest.raises(RuntimeError):
        scale.build(plan)
    assert files, "some photos were written before the failure"
    assert not Deputy.objects.exists() and not Visit.objects.exists() and not VisitPhoto.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
