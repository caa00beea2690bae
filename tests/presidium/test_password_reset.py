"""Password reset (issue 7): the page must not tell by its timing whether an address has an account.

The e-mail is queued in the outbox and delivered after the response, so a known and an unknown address
get the same redirect after the same work (a look-up, and for a known one a row written); no SMTP in
the request. Timing itself is not measured (no timed tests): the structure is asserted.
"""

from __future__ import annotations

import re
import smtplib

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from presidium.notifications.choices import Channel, OutboxStatus
from presidium.notifications.models import Notification, OutboxMessage
from presidium.notifications.outbox import deliver_pending_outbox
from presidium.notifications.views import password_reset
from tests.factories import UserFactory

NEW_PASSWORD = "Xin-mima-2026-zhao"


def _post_without_closing(rf, email: str):
    """Run the page as the server would, stopping before the server closes the response."""
    request = rf.post(reverse("password_reset"), {"email": email})
    request._dont_enforce_csrf_checks = True
    return password_reset(request)


def _close(response) -> None:
    """Close the response as the server does, keeping the test's database connection open.

    Closing sends ``request_finished``, whose ``close_old_connections`` would close the connection the
    test's transaction lives in (on PostgreSQL); Django's test client disconnects it the same way.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_it_queues_the_mail_for_a_known_address_and_sends_nothing_before_the_response_is_out(db, rf):
    user = UserFactory(email="zhang@example.invalid")
    response = _post_without_closing(rf, "ZHANG@example.invalid")
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.channel, message.address) == (user, Channel.EMAIL, "zhang@example.invalid")
    assert message.status == OutboxStatus.PENDING
    assert not Notification.objects.exists()  # a reset link is no in-app message
    _close(response)  # what the server does once the response is written: now delivery starts
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_it_answers_a_known_and_an_unknown_address_alike_and_queues_nothing_for_the_unknown(db, client):
    UserFactory(email="known@example.invalid")
    known = client.post(reverse("password_reset"), {"email": "known@example.invalid"})
    assert OutboxMessage.objects.count() == 1
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.invalid"})
    assert OutboxMessage.objects.count() == 1
    assert (known.status_code, known["Location"], known.content) == (
        unknown.status_code, unknown["Location"], unknown.content)
    assert unknown.status_code == 302 and unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1  # the known one, sent after its response


def test_it_queues_nothing_for_a_deactivated_account(db, client):
    UserFactory(email="gone@example.invalid", is_active=False)
    response = client.post(reverse("password_reset"), {"email": "gone@example.invalid"})
    assert response["Location"] == reverse("password_reset_done")
    assert not OutboxMessage.objects.exists()


def test_it_delivers_a_mail_whose_link_sets_a_new_password(db, rf, client):
    user = UserFactory(email="li@example.invalid")
    _post_without_closing(rf, "li@example.invalid")
    assert mail.outbox == []
    assert deliver_pending_outbox().sent == 1
    (sent,) = mail.outbox
    assert sent.to == ["li@example.invalid"] and "重置" in sent.subject
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)", sent.body).group(1)
    assert link in sent.alternatives[0][0]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


class _DownMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


def test_it_answers_normally_when_the_mail_server_is_down_and_keeps_the_mail_for_a_retry(db, client, settings):
    settings.EMAIL_BACKEND = f"{__name__}._DownMailServer"
    UserFactory(email="wang@example.invalid")
    response = client.post(reverse("password_reset"), {"email": "wang@example.invalid"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "SMTPServerDisconnected" in message.last_error


def test_it_writes_the_mail_in_chinese_whatever_language_the_requester_browses_in(db, client):
    UserFactory(email="zhao@example.invalid")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("password_reset"), {"email": "zhao@example.invalid"})
    assert OutboxMessage.objects.get().subject == "重置您在乡镇人大主席团工作平台的密码"
