"""The visit form on a slow link: saved once per form token, whole or not at all, photos named when refused."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from deputies.models import Visit, VisitOpinion, VisitPhoto
from presidium.models import FormSubmission
from tests.factories import DeputyFactory


def photo(name: str, size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def own_deputy(world):
    return DeputyFactory(township=world.township, user=world.user("deputy"), name="冯国强")


@pytest.fixture
def deputy_client(world, own_deputy, login):
    return login(world.user("deputy"))


def issued_token(client) -> str:
    """The token the form page was issued with (as a browser would send it back)."""
    page = client.get(reverse("deputies:visit_create")).content.decode()
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the visit form carries no one-time token"
    assert 'name="form_end" value="1"' in page
    return found.group(1)


def visit_post(own_deputy, token: str | None, *, end: bool = True, photos=(), **overrides) -> dict:
    data = {
        "deputy": own_deputy.pk, "visited_on": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "place": "东风村三组", "method": "home", "households": 2, "people": 3,
        "opinions-TOTAL_FORMS": 1, "opinions-INITIAL_FORMS": 0, "opinions-MIN_NUM_FORMS": 0,
        "opinions-MAX_NUM_FORMS": 30, "opinions-0-content": "村道雨天积水", "opinions-0-category": "infrastructure",
        **overrides,
    }
    if photos:
        data["photos"] = list(photos)
    if token is not None:
        data["form_token"] = token
    if end:
        data["form_end"] = "1"
    return data


def test_it_saves_one_visit_when_the_same_form_is_posted_twice(own_deputy, deputy_client):
    token = issued_token(deputy_client)
    first = deputy_client.post(reverse("deputies:visit_create"),
                               visit_post(own_deputy, token, photos=[photo("a.jpg"), photo("b.jpg")]))
    assert first.status_code == 302
    again = deputy_client.post(reverse("deputies:visit_create"),
                               visit_post(own_deputy, token, photos=[photo("a.jpg"), photo("b.jpg")]), follow=True)
    visit = Visit.objects.get()
    assert again.redirect_chain[-1][0] == visit.get_absolute_url() == first["Location"]
    assert "已保存，未重复提交" in again.content.decode()
    assert VisitPhoto.objects.filter(visit=visit).count() == 2 and VisitOpinion.objects.count() == 1
    assert FormSubmission.objects.get().result_url == visit.get_absolute_url()


def test_it_saves_a_second_visit_from_a_freshly_issued_form(own_deputy, deputy_client):
    for _ in range(2):
        assert deputy_client.post(reverse("deputies:visit_create"),
                                  visit_post(own_deputy, issued_token(deputy_client))).status_code == 302
    assert Visit.objects.count() == 2


def test_it_saves_nothing_when_the_third_photo_is_not_a_picture_and_names_it(own_deputy, deputy_client, settings):
    token = issued_token(deputy_client)
    fake = SimpleUploadedFile("IMG_0003.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = deputy_client.post(reverse("deputies:visit_create"), visit_post(
        own_deputy, token, photos=[photo("IMG_0001.jpg"), photo("IMG_0002.jpg"), fake]))
    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert any("第 3 张照片" in e and "IMG_0003.jpg" in e and "不是可识别的图片" in e for e in errors), errors
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists() and not VisitOpinion.objects.exists()
    assert not FormSubmission.objects.exists()
    assert list(settings.MEDIA_ROOT.rglob("*.jpg")) == []
    # the input is kept and the same token still works once the photo is fixed
    assert 'value="东风村三组"' in response.content.decode() and token in response.content.decode()
    fixed = deputy_client.post(reverse("deputies:visit_create"), visit_post(
        own_deputy, token, photos=[photo("IMG_0001.jpg"), photo("IMG_0002.jpg"), photo("IMG_0003.jpg")]))
    assert fixed.status_code == 302 and Visit.objects.get().photos.count() == 3


def test_it_saves_nothing_from_an_upload_cut_off_before_the_end_of_the_form(own_deputy, deputy_client):
    """The body carried the token but not the end marker: the last photos never arrived."""
    token = issued_token(deputy_client)
    response = deputy_client.post(reverse("deputies:visit_create"),
                                  visit_post(own_deputy, token, end=False, photos=[photo("IMG_0001.jpg")]))
    assert response.status_code == 200
    assert "上传没有完成" in response.content.decode()
    assert not Visit.objects.exists() and not FormSubmission.objects.exists()


def test_it_still_accepts_a_post_without_a_token(own_deputy, deputy_client):
    """Scripts and pages issued before tokens existed are handled as before (no repeat protection)."""
    response = deputy_client.post(reverse("deputies:visit_create"), visit_post(own_deputy, None, end=False))
    assert response.status_code == 302 and Visit.objects.count() == 1


def test_it_keeps_tokens_per_user(world, own_deputy, deputy_client, login):
    """Another user's token of the same value is not a repeat of this user's form."""
    token = issued_token(deputy_client)
    FormSubmission.objects.create(user=world.user("presidium_staff"), token=token, result_url="/elsewhere/")
    response = deputy_client.post(reverse("deputies:visit_create"), visit_post(own_deputy, token))
    assert response.status_code == 302 and response["Location"] == Visit.objects.get().get_absolute_url()


def test_it_answers_an_edit_posted_twice_with_the_visit_without_saving_photos_twice(own_deputy, deputy_client):
    token = issued_token(deputy_client)
    deputy_client.post(reverse("deputies:visit_create"), visit_post(own_deputy, token))
    visit = Visit.objects.get()
    page = deputy_client.get(reverse("deputies:visit_update", args=[visit.pk])).content.decode()
    edit_token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    assert edit_token != token
    url = reverse("deputies:visit_update", args=[visit.pk])
    for _ in range(2):
        assert deputy_client.post(url, visit_post(own_deputy, edit_token, photos=[photo("new.jpg")])).status_code == 302
    assert visit.photos.count() == 1
