"""网上信访: the public form registers a petition once, shows the query code once, and turns spam away calmly."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from petitions.models import Petition, PetitionAttachment
from petitions.public import throttle
from petitions.public.forms import fill_stamp
from presidium.idempotency import END_FIELD, TOKEN_FIELD

URL = reverse("petitions_public:create")
TOKEN = "t" * 32


def _form(world, **extra):
    data = {"township": world.township.pk, "name": "王建国", "mobile": "139 1234 5678", "id_number": "",
            "address": "东风村三组", "village": "东风村", "category": "村务管理",
            "subject": "村道损坏多年未修", "content": "东风村三组村道损坏严重，雨天无法通行，请求修缮。",
            "homepage": "", "started": fill_stamp(time.time() - 30), TOKEN_FIELD: TOKEN, END_FIELD: "1"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("现场.png", buffer.getvalue(), content_type="image/png")


def test_it_shows_the_form_without_login(world, client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲镇" in html and 'name="homepage"' in html and 'name="started"' in html
    assert "丙镇" in html  # every township of the installation, grouped by county


def test_it_registers_online_and_shows_the_code_once(world, client):
    response = client.post(URL, _form(world))
    assert response.status_code == 302 and response["Location"] == reverse("petitions_public:receipt")
    petition = Petition.objects.get()
    assert (petition.channel, petition.created_by, petition.township) == ("online", None, world.township)
    assert petition.mobile == "13912345678" and petition.category.name == "村务管理"
    receipt = client.get(response["Location"]).content.decode()
    assert petition.registration_number in receipt and petition.query_code in receipt
    assert "请记下查询码" in receipt
    again = client.get(reverse("petitions_public:receipt")).content.decode()
    assert petition.query_code not in again and "回执只显示一次" in again


def test_it_puts_nothing_personal_in_any_url(world, client):
    response = client.post(URL, _form(world), follow=True)
    for url, _status in response.redirect_chain:
        assert "王建国" not in url and "139" not in url and "东风" not in url
    petition = Petition.objects.get()
    assert petition.query_code not in "".join(url for url, _ in response.redirect_chain)


def test_it_accepts_an_anonymous_petition_without_name_or_phone(world, client):
    client.post(URL, _form(world, anonymous="on", name="张三", mobile=""))
    petition = Petition.objects.get()
    assert petition.anonymous and petition.name == "" and petition.mobile == ""


def test_it_asks_for_a_name_and_phone_unless_anonymous_and_keeps_what_was_typed(world, client):
    response = client.post(URL, _form(world, name="", mobile=""))
    html = response.content.decode()
    assert response.status_code == 200 and not Petition.objects.exists()
    assert "请填写姓名" in html and "请留下联系电话" in html
    assert "村道损坏多年未修" in html and "东风村三组村道损坏严重" in html


def test_it_checks_the_id_number_and_keeps_the_rest(world, client):
    html = client.post(URL, _form(world, id_number="330102198001011234")).content.decode()
    assert "校验位不正确" in html and not Petition.objects.exists()
    assert "村道损坏多年未修" in html
    client.post(URL, _form(world, id_number="33010219800101123x"))
    assert Petition.objects.get().id_number == "33010219800101123X"


def test_it_turns_a_filled_honeypot_away_calmly_saving_nothing(world, client):
    response = client.post(URL, _form(world, homepage="http://spam.example"))
    html = response.content.decode()
    assert response.status_code == 200 and not Petition.objects.exists()
    assert 'data-testid="public-refusal"' in html and "村道损坏多年未修" in html


@pytest.mark.parametrize("stamp", [lambda: fill_stamp(time.time() - 1), lambda: "forged:stamp", lambda: ""])
def test_it_refuses_a_form_sent_back_too_fast_or_with_a_forged_stamp(world, client, stamp):
    """Nobody writes a petition in a second; the stamp is signed, so it cannot be backdated by hand."""
    response = client.post(URL, _form(world, started=stamp()))
    html = response.content.decode()
    assert not Petition.objects.exists() and 'data-testid="public-refusal"' in html
    assert "东风村三组村道损坏严重" in html
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert fresh != stamp()


def test_it_limits_submissions_per_address_and_says_when_to_come_back(world, client):
    for n in range(throttle.ONLINE_PER_ADDRESS.max_hits):
        client.post(URL, _form(world, mobile=f"1391234{n:04d}", **{TOKEN_FIELD: f"{n}" * 24}))
    assert Petition.objects.count() == throttle.ONLINE_PER_ADDRESS.max_hits
    response = client.post(URL, _form(world, mobile="13700000000", **{TOKEN_FIELD: "z" * 24}))
    html = response.content.decode()
    assert Petition.objects.count() == throttle.ONLINE_PER_ADDRESS.max_hits
    assert "提交次数较多" in html and "一小时后" in html and "村道损坏多年未修" in html
    # Another address is not held back.
    client.post(URL, _form(world, mobile="13700000001", **{TOKEN_FIELD: "y" * 24}), REMOTE_ADDR="10.9.9.9")
    assert Petition.objects.count() == throttle.ONLINE_PER_ADDRESS.max_hits + 1


def test_it_limits_submissions_per_mobile_across_addresses(world, client):
    for n in range(throttle.ONLINE_PER_MOBILE.max_hits + 1):
        client.post(URL, _form(world, **{TOKEN_FIELD: f"{n}" * 24}), REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert Petition.objects.count() == throttle.ONLINE_PER_MOBILE.max_hits


def test_it_shows_the_first_receipt_for_a_repeated_submit_instead_of_filing_twice(world, client):
    """A retry after the answer was lost on a slow link: the petitioner still gets the code, once filed."""
    client.post(URL, _form(world))
    response = client.post(URL, _form(world))
    assert Petition.objects.count() == 1
    petition = Petition.objects.get()
    assert petition.query_code in client.get(response["Location"]).content.decode()


def test_it_saves_nothing_from_an_upload_cut_off_on_the_way(world, client):
    data = _form(world)
    del data[END_FIELD]
    html = client.post(URL, data).content.decode()
    assert not Petition.objects.exists() and "上传没有完成" in html


def test_it_keeps_checked_attachments_privately(world, client):
    client.post(URL, {**_form(world), "attachments": [_png()]})
    attachment = PetitionAttachment.objects.get()
    assert attachment.original_name == "现场.png" and attachment.uploaded_by is None
    assert attachment.content_type == "image/png" and "现场" not in attachment.file.name


def test_it_refuses_a_disguised_file_and_saves_nothing(world, client):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    html = client.post(URL, {**_form(world), "attachments": [fake]}).content.decode()
    assert not Petition.objects.exists() and not PetitionAttachment.objects.exists()
    assert "照片.jpg" in html and "村道损坏多年未修" in html


def test_it_refuses_a_township_that_does_not_exist(world, client):
    html = client.post(URL, _form(world, township=2**62)).content.decode()
    assert not Petition.objects.exists() and "请选择" in html


def test_it_tells_the_township_staff_of_a_new_online_petition(world, client):
    from presidium.notifications.models import Notification

    client.post(URL, _form(world))
    assert Notification.objects.filter(recipient__username="staff_a").exists()
