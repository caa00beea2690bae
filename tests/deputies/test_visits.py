"""Visits: the services' rules, photos (images only, size-limited, EXIF/GPS stripped), converting opinions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from deputies import services
from deputies.conversions import OpinionConversion, register_opinion_conversion, unregister_opinion_conversion
from deputies.models import Visit, VisitOpinion, VisitPhoto
from deputies.services import OpinionInput
from tests.factories import DeputyFactory, HandlingUnitFactory, VisitFactory


def jpeg_with_gps(size=(1200, 900), name="IMG_0001.jpg") -> SimpleUploadedFile:
    """A camera-like JPEG: EXIF with a GPS block and an orientation tag."""
    image = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    gps = {1: "N", 2: (28.0, 15.0, 30.0), 3: "E", 4: (116.0, 20.0, 10.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def visit_args(**overrides):
    return {"visited_on": dt.date.today() - dt.timedelta(days=1), "place": "东风村三组", "method": "home",
            "households": 3, "people": 5, **overrides}


@pytest.fixture
def own_deputy(world):
    return DeputyFactory(township=world.township, user=world.user("deputy"), name="冯国强")


def test_it_records_a_visit_with_opinions_for_the_deputy_themself(world, own_deputy):
    visit = services.visit_create(deputy=own_deputy, by=world.user("deputy"), opinions=[
        OpinionInput("三组道路雨天积水", "infrastructure", "村民"), OpinionInput("   "), OpinionInput("自来水水压低", "water"),
    ], **visit_args())
    assert visit.township == world.township
    assert list(visit.opinions.values_list("position", "content")) == [(1, "三组道路雨天积水"), (2, "自来水水压低")]
    assert visit.history.first().history_user == world.user("deputy")


def test_it_lets_staff_record_for_any_deputy_of_their_township_only(world):
    deputy = DeputyFactory(township=world.township)
    assert services.visit_create(deputy=deputy, by=world.user("presidium_staff"), **visit_args()).pk
    other = DeputyFactory(township=world.other_township)
    with pytest.raises(PermissionDenied):
        services.visit_create(deputy=other, by=world.user("presidium_staff"), **visit_args())


def test_it_refuses_a_deputy_recording_for_someone_else(world, own_deputy):
    someone_else = DeputyFactory(township=world.township)
    with pytest.raises(PermissionDenied):
        services.visit_create(deputy=someone_else, by=world.user("deputy"), **visit_args())
    with pytest.raises(PermissionDenied):
        services.visit_create(deputy=own_deputy, by=world.user("county_reviewer"), **visit_args())


@pytest.mark.parametrize("overrides, field", [
    ({"visited_on": dt.date.today() + dt.timedelta(days=1)}, "visited_on"),
    ({"people": 0, "households": 0}, "people"),
    ({"people": 2, "households": 5}, "people"),
    ({"method": "home", "households": 0, "people": 2}, "households"),
    ({"place": "  "}, "place"),
])
def test_it_refuses_impossible_visits_and_saves_nothing(world, own_deputy, overrides, field):
    with pytest.raises(ValidationError) as caught:
        services.visit_create(deputy=own_deputy, by=world.user("deputy"), opinions=[OpinionInput("意见")],
                              **visit_args(**overrides))
    assert field in caught.value.message_dict
    assert not Visit.objects.exists() and not VisitOpinion.objects.exists()


def test_it_accepts_late_entries_from_before_a_departure_only(world, own_deputy):
    left_on = dt.date.today() - dt.timedelta(days=5)
    services.deputy_change_status(deputy=own_deputy, by=None, to_status="moved_away", effective_on=left_on,
                                  reason="迁居外地")
    own_deputy.refresh_from_db()
    staff = world.user("presidium_staff")
    assert services.visit_create(deputy=own_deputy, by=staff, **visit_args(visited_on=left_on - dt.timedelta(days=1)))
    with pytest.raises(ValidationError):
        services.visit_create(deputy=own_deputy, by=staff, **visit_args(visited_on=left_on))


def test_it_strips_exif_and_gps_and_keeps_the_picture_upright(world, own_deputy):
    visit = services.visit_create(deputy=own_deputy, by=world.user("deputy"), photos=[jpeg_with_gps()], **visit_args())
    photo = visit.photos.get()
    with photo.image.open("rb") as handle:
        data = handle.read()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif()  # no EXIF at all, so no GPS
    assert b"PhoneMaker" not in data and b"Exif" not in data
    assert (stored.width, stored.height) == (900, 1200)  # orientation applied to the pixels
    assert "IMG_0001" not in photo.image.name


def test_it_refuses_a_non_image_named_like_a_photo_and_keeps_nothing(world, own_deputy, settings):
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.visit_create(deputy=own_deputy, by=world.user("deputy"), photos=[fake], **visit_args())
    assert "不是可识别的图片" in caught.value.message_dict["photos"][0]
    assert not Visit.objects.exists()


def test_it_refuses_photos_over_the_size_limit(world, own_deputy, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as caught:
        services.visit_create(deputy=own_deputy, by=world.user("deputy"), photos=[jpeg_with_gps()], **visit_args())
    assert "太大" in caught.value.message_dict["photos"][0]


def test_it_limits_photos_per_visit(world, own_deputy):
    visit = VisitFactory(deputy=own_deputy)
    photos = [jpeg_with_gps((40, 30), f"{n}.jpg") for n in range(services.MAX_PHOTOS_PER_VISIT + 1)]
    with pytest.raises(ValidationError):
        services.visit_add_photos(visit=visit, by=world.user("deputy"), files=photos)
    assert not VisitPhoto.objects.exists()


def test_it_removes_stored_files_when_the_visit_is_refused_after_photos_were_written(world, own_deputy, settings,
                                                                                    monkeypatch):
    from deputies.services import visits as visit_services

    original = visit_services._store_photos

    def store_then_fail(*args, **kwargs):
        original(*args, **kwargs)
        raise ValidationError("模拟在照片写入之后失败")

    monkeypatch.setattr(visit_services, "_store_photos", store_then_fail)
    with pytest.raises(ValidationError):
        services.visit_create(deputy=own_deputy, by=world.user("deputy"), photos=[jpeg_with_gps()], **visit_args())
    assert list(settings.MEDIA_ROOT.rglob("*.jpg")) == []
    assert not Visit.objects.exists()


def test_it_replaces_opinions_on_edit_but_keeps_converted_ones(world, own_deputy):
    visit = services.visit_create(deputy=own_deputy, by=world.user("deputy"), opinions=[
        OpinionInput("第一条"), OpinionInput("第二条")], **visit_args())
    first, second = visit.opinions.order_by("position")
    VisitOpinion.objects.filter(pk=first.pk).update(converted_kind="test", converted_at=timezone.now())
    services.visit_update(visit=visit, by=world.user("deputy"), people=6, opinions=[
        OpinionInput("第一条（改）", pk=first.pk), OpinionInput("新的一条")])
    contents = list(visit.opinions.order_by("position").values_list("content", flat=True))
    assert contents == ["第一条", "新的一条"]  # converted one unchanged; second removed; new added
    with pytest.raises(ValidationError):
        services.visit_update(visit=visit, by=world.user("deputy"), opinions=[])
    with pytest.raises(ValidationError):
        services.visit_delete(visit=visit, by=world.user("deputy"))


def test_it_deletes_a_visit_with_its_opinions_and_photos(world, own_deputy):
    visit = services.visit_create(deputy=own_deputy, by=world.user("deputy"), opinions=[OpinionInput("意见")],
                                  photos=[jpeg_with_gps((60, 40))], **visit_args())
    services.visit_delete(visit=visit, by=world.user("deputy"))
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists() and not VisitOpinion.objects.exists()


def test_it_converts_an_opinion_through_a_registered_conversion_once(world, own_deputy):
    made = []

    def convert(*, opinion, by):
        unit = HandlingUnitFactory(township=opinion.visit.township, name=f"由意见{opinion.pk}生成")
        made.append(unit)
        return unit

    register_opinion_conversion(OpinionConversion(key="test_draft", label="转为测试草稿", kind_label="测试草稿",
                                                  convert=convert))
    try:
        visit = services.visit_create(deputy=own_deputy, by=world.user("deputy"),
                                      opinions=[OpinionInput("意见")], **visit_args())
        opinion = services.visit_opinion_convert(opinion=visit.opinions.get(), by=world.user("deputy"),
                                                 kind="test_draft")
        assert opinion.converted_to == made[0]
        assert opinion.converted_by == world.user("deputy")
        with pytest.raises(ValidationError):
            services.visit_opinion_convert(opinion=opinion, by=world.user("deputy"), kind="test_draft")
        with pytest.raises(ValidationError):
            services.visit_opinion_convert(opinion=opinion, by=world.user("deputy"), kind="unknown")
    finally:
        unregister_opinion_conversion("test_draft")


def test_it_sets_and_carries_over_visit_targets(world):
    from deputies.selectors import target_for

    staff = world.user("presidium_staff")
    services.visit_target_set(township=world.township, by=staff, year=2025, visits_per_month=2, people_per_year=24)
    assert target_for(world.township.pk, 2026).visits_per_month == 2
    services.visit_target_set(township=world.township, by=staff, year=2025, visits_per_month=1, people_per_year=20)
    assert target_for(world.township.pk, 2025).visits_per_month == 1
    with pytest.raises(PermissionDenied):
        services.visit_target_set(township=world.other_township, by=staff, year=2025, visits_per_month=1,
                                  people_per_year=20)


def test_it_shows_conversion_buttons_only_when_registered_and_allowed(world, own_deputy, login):
    from django.urls import reverse

    visit = services.visit_create(deputy=own_deputy, by=world.user("deputy"), opinions=[OpinionInput("意见")],
                                  **visit_args())
    opinion = visit.opinions.get()
    url = reverse("deputies:opinion_convert", args=[opinion.pk, "test_petition"])
    client = login(world.user("deputy"))
    assert "转为测试信访" not in client.get(visit.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 404  # not registered
    register_opinion_conversion(OpinionConversion(
        key="test_petition", label="转为测试信访", kind_label="测试信访登记",
        convert=lambda *, opinion, by: None, allowed=lambda user, opinion: user.username != "deputy_a"))
    try:
        assert "转为测试信访" not in client.get(visit.get_absolute_url()).content.decode()
        assert client.post(url).status_code == 403
        staff = login(world.user("presidium_staff"))
        assert "转为测试信访" in staff.get(visit.get_absolute_url()).content.decode()
        assert staff.post(url).status_code == 302
        opinion.refresh_from_db()
        assert opinion.converted_kind == "test_petition" and opinion.converted_to is None
    finally:
        unregister_opinion_conversion("test_petition")


def test_it_lets_staff_set_targets_through_the_form(world, login):
    from django.urls import reverse

    from deputies.models import VisitTarget

    client = login(world.user("presidium_staff"))
    response = client.post(reverse("deputies:targets"), {"township": world.township.pk, "year": 2026,
                                                         "visits_per_month": 2, "people_per_year": 24,
                                                         "households_per_year": 0})
    assert response.status_code == 302
    assert VisitTarget.objects.get(township=world.township, year=2026).people_per_year == 24
    refused = client.post(reverse("deputies:targets"), {"township": world.other_township.pk, "year": 2026,
                                                        "visits_per_month": 2, "people_per_year": 24,
                                                        "households_per_year": 0})
    assert refused.status_code == 200 and not VisitTarget.objects.filter(township=world.other_township).exists()


def test_it_keeps_the_visits_opinion_count_with_the_opinions_it_writes(world, own_deputy):
    """The "有意见" filter reads ``opinion_count``: every service that writes opinions keeps it exact."""
    deputy = world.user("deputy")

    def stored(visit) -> tuple[int, int]:
        visit = Visit.objects.get(pk=visit.pk)
        return visit.opinion_count, visit.opinions.count()

    visit = services.visit_create(deputy=own_deputy, by=deputy, opinions=[
        OpinionInput("第一条"), OpinionInput("   "), OpinionInput("第二条")], **visit_args())
    assert stored(visit) == (2, 2)
    first = visit.opinions.order_by("position").first()
    services.visit_update(visit=visit, by=deputy, opinions=[
        OpinionInput("第一条（改）", pk=first.pk), OpinionInput("第三条"), OpinionInput("第四条")])
    assert stored(visit) == (3, 3)
    services.visit_update(visit=visit, by=deputy, people=9)  # opinions not given: kept, and so is the count
    assert stored(visit) == (3, 3)
    services.visit_update(visit=visit, by=deputy, opinions=[])
    assert stored(visit) == (0, 0)
    quiet = services.visit_create(deputy=own_deputy, by=deputy, **visit_args())
    assert stored(quiet) == (0, 0)

    from deputies.filters import VisitFilter

    class Request:
        user = world.user("presidium_staff")
        GET = {}

    def ids(value: str) -> set[int]:
        return set(VisitFilter({"has_opinions": value}, queryset=Visit.objects.all(), request=Request).qs
                   .values_list("pk", flat=True))

    services.visit_update(visit=visit, by=deputy, opinions=[OpinionInput("又一条")])
    assert ids("true") == {visit.pk} and ids("false") == {quiet.pk}
