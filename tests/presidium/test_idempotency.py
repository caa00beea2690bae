"""One-time form tokens (presidium.idempotency) and the JSON answer to scripted uploads."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import RequestFactory
from django.utils import timezone

from presidium.idempotency import AlreadySubmitted, OneTimeSubmit, issue_token
from presidium.middleware import ScriptedUploadRedirectMiddleware
from presidium.models import FormSubmission


def posted(user, **data):
    request = RequestFactory().post("/x/", data)
    request.user = user
    return OneTimeSubmit.of(request)


def test_it_sends_a_submit_that_lost_the_race_to_the_first_result(world):
    """The second of two racing submits fails on the unique index and learns where the first one led."""
    user = world.user("deputy")
    token = issue_token()
    first, second = posted(user, form_token=token, form_end="1"), posted(user, form_token=token, form_end="1")
    assert second.earlier_result() is None  # both read before either saved
    with first.atomic() as receipt:
        receipt.done("/deputies/visits/7/")
    with pytest.raises(AlreadySubmitted) as caught, second.atomic():
        raise AssertionError("the save must not run for a repeat")
    assert caught.value.url == "/deputies/visits/7/"
    assert FormSubmission.objects.count() == 1


def test_it_forgets_nothing_when_the_save_fails(world):
    once = posted(world.user("deputy"), form_token=issue_token(), form_end="1")
    with pytest.raises(ValueError), once.atomic():
        raise ValueError("refused")
    assert not FormSubmission.objects.exists() and once.earlier_result() is None


def test_it_tells_a_cut_off_or_mangled_body_from_a_post_without_a_token(world):
    user = world.user("deputy")
    assert posted(user, form_token=issue_token()).cut_off  # the end marker never came
    assert posted(user, form_token="<script>", form_end="1").cut_off
    assert not posted(user, place="东风村").cut_off  # no token at all: handled as before
    assert not posted(user, form_token=issue_token(), form_end="1").cut_off


def test_it_drops_a_users_tokens_after_a_week(world):
    user = world.user("deputy")
    old = FormSubmission.objects.create(user=user, token=issue_token(), result_url="/a/")
    FormSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    with posted(user, form_token=issue_token(), form_end="1").atomic() as receipt:
        receipt.done("/b/")
    assert list(FormSubmission.objects.values_list("result_url", flat=True)) == ["/b/"]


def test_it_answers_a_scripted_upload_redirect_as_json_with_the_cookies(rf):
    from django.http import HttpResponseRedirect

    def view(request):
        response = HttpResponseRedirect("/deputies/visits/3/")
        response.set_cookie("messages", "saved")
        return response

    middleware = ScriptedUploadRedirectMiddleware(view)
    scripted = middleware(rf.post("/deputies/visits/new/", HTTP_X_UPLOAD_FORM="1"))
    assert scripted.status_code == 200 and json.loads(scripted.content) == {"redirect": "/deputies/visits/3/"}
    assert scripted.cookies["messages"].value == "saved"
    plain = middleware(rf.post("/deputies/visits/new/"))
    assert plain.status_code == 302
