"""Visit photos have small thumbnails: stored with the photo, served checked, made on demand for old photos."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from deputies import services
from deputies.models import VisitPhoto
from presidium.documents.uploads import THUMBNAIL_EDGE
from tests.factories import DeputyFactory


def camera_photo(size=(3000, 2000), name="IMG_0001.jpg") -> SimpleUploadedFile:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def own_deputy(world):
    return DeputyFactory(township=world.township, user=world.user("deputy"), name="冯国强")


def record(world, deputy, photos):
    return services.visit_create(deputy=deputy, by=world.user("deputy"), visited_on=dt.date.today(), place="东风村",
                                 method="forum", households=0, people=3, photos=photos)


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_it_stores_a_small_thumbnail_with_each_photo_and_serves_it(world, own_deputy, login):
    photo = record(world, own_deputy, [camera_photo()]).photos.get()
    picture, thumbnail = read(photo.image), read(photo.thumbnail)
    small = Image.open(io.BytesIO(thumbnail))
    assert max(small.size) == THUMBNAIL_EDGE and small.size == (400, 267)
    assert len(thumbnail) * 5 < len(picture)
    response = login(world.user("deputy")).get(reverse("deputies:visit_photo_thumbnail", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == thumbnail
    assert "private" in response["Cache-Control"]


def test_it_makes_the_thumbnail_of_an_older_photo_on_first_request(world, own_deputy, login):
    photo = record(world, own_deputy, [camera_photo((1200, 900))]).photos.get()
    photo.thumbnail.storage.delete(photo.thumbnail.name)
    VisitPhoto.objects.filter(pk=photo.pk).update(thumbnail="")  # as stored before thumbnails existed
    client = login(world.user("presidium_staff"))
    url = reverse("deputies:visit_photo_thumbnail", args=[photo.pk])
    assert client.get(url).status_code == 200
    photo.refresh_from_db()
    made = photo.thumbnail.name
    assert made and Image.open(io.BytesIO(read(photo.thumbnail))).size == (400, 300)
    assert client.get(url).status_code == 200
    photo.refresh_from_db()
    assert photo.thumbnail.name == made  # made once
    assert len(list(photo.thumbnail.storage.listdir(made.rsplit("/", 1)[0])[1])) == 1


def test_it_answers_404_when_the_picture_file_is_gone(world, own_deputy, login):
    photo = record(world, own_deputy, [camera_photo((300, 200))]).photos.get()
    VisitPhoto.objects.filter(pk=photo.pk).update(thumbnail="")
    photo.image.storage.delete(photo.image.name)
    response = login(world.user("deputy")).get(reverse("deputies:visit_photo_thumbnail", args=[photo.pk]))
    assert response.status_code == 404


def test_it_deletes_the_thumbnail_with_the_photo_and_with_the_visit(world, own_deputy, settings,
                                                                    django_capture_on_commit_callbacks):
    visit = record(world, own_deputy, [camera_photo((300, 200)), camera_photo((300, 200), "b.jpg")])
    assert len(list(settings.MEDIA_ROOT.rglob("*.jpg"))) == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_photo_delete(photo=visit.photos.first(), by=world.user("deputy"))
    assert len(list(settings.MEDIA_ROOT.rglob("*.jpg"))) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_delete(visit=visit, by=world.user("deputy"))
    assert list(settings.MEDIA_ROOT.rglob("*.jpg")) == []


def test_it_shows_thumbnails_linking_to_the_full_picture(world, own_deputy, login):
    visit = record(world, own_deputy, [camera_photo((300, 200))])
    photo = visit.photos.get()
    client = login(world.user("deputy"))
    thumb = reverse("deputies:visit_photo_thumbnail", args=[photo.pk])
    full = reverse("deputies:visit_photo", args=[photo.pk])
    for url in (visit.get_absolute_url(), reverse("deputies:visit_list")):
        page = client.get(url).content.decode()
        assert f'src="{thumb}"' in page and f'href="{full}"' in page and f'src="{full}"' not in page


def test_it_keeps_the_visit_list_queries_flat_as_photos_grow(world, own_deputy, login, django_assert_max_num_queries):
    client = login(world.user("presidium_staff"))
    url = reverse("deputies:visit_list")
    record(world, own_deputy, [camera_photo((120, 90))])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _n in range(6):
        record(world, own_deputy, [camera_photo((120, 90)), camera_photo((120, 90), "b.jpg")])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.content.decode().count("visit-thumb") == 7
