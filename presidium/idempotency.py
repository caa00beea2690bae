"""One-time form tokens: a form submitted twice saves once, and a cut-off upload saves nothing.

A form page is issued with a random token (hidden ``form_token``, right after the CSRF token) and an end
marker (hidden ``form_end``, after the last field, so after every file: browsers send fields in page order).
The view that calls the service then

1. answers a token this user has already used with a redirect to what the first submit created, and the
   message "已保存，未重复提交" (a second tap, a retry after the answer was lost on a slow link);
2. refuses a body that carries the token but not the end marker: the upload was cut off on the way, and
   saving the visit with the photos that happened to arrive would save half of it;
3. otherwise claims the token — a :class:`~presidium.models.FormSubmission` row, unique per user and
   token — inside the same transaction as the save, so two submits racing each other still save once: the
   second insert waits on the unique index until the first commits, then fails and is sent to its result.

A request without a token (a script, a page from before this existed) is handled as before. Templates
render the two fields with ``{% load submit_once %}{% submit_once_token %}`` … ``{% submit_once_end %}``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.models import FormSubmission

TOKEN_FIELD = "form_token"
END_FIELD = "form_end"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# A repeat arrives within minutes (a double tap, a retry); tokens are kept a week, then forgotten.
KEEP_TOKENS = timedelta(days=7)


def issue_token() -> str:
    """A fresh random token for a form being shown."""
    return secrets.token_urlsafe(24)


def cut_off_message() -> str:
    return _("上传没有完成（网络中断或页面被关闭），这次没有保存任何内容。请检查后重新提交，照片和附件需要重新选择。")


class AlreadySubmitted(Exception):  # noqa: N818 - it is an outcome, not a failure
    """The token was claimed by another submit of the same form; ``url`` is where that one led."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


class Receipt:
    """Handed out by :meth:`OneTimeSubmit.atomic`: tell it where the saved object lives."""

    def __init__(self) -> None:
        self.url = ""

    def done(self, target) -> str:
        self.url = resolve_url(target)
        return self.url


@dataclass(frozen=True)
class OneTimeSubmit:
    """What a POST says about its form token (see the module docstring)."""

    user_id: int | None
    token: str  # the posted token if well formed, else a fresh one for the page shown again
    posted: bool  # the request carried a ``form_token`` field at all
    valid: bool  # ... and it was well formed
    complete: bool  # the end marker arrived

    @classmethod
    def of(cls, request: HttpRequest) -> OneTimeSubmit:
        raw = request.POST.get(TOKEN_FIELD) if request.method == "POST" else None
        valid = bool(raw) and _TOKEN.match(raw) is not None
        user_id = request.user.pk if getattr(request, "user", None) and request.user.is_authenticated else None
        return cls(user_id=user_id, token=raw if valid else issue_token(), posted=raw is not None, valid=valid,
                   complete=request.POST.get(END_FIELD) == "1")

    @property
    def cut_off(self) -> bool:
        """The page sent a token, but the body ended before the end marker (or the token was mangled)."""
        return self.posted and not (self.valid and self.complete)

    @property
    def protected(self) -> bool:
        return self.valid and self.user_id is not None

    def earlier_result(self) -> str | None:
        """Where the first submit of this token led, if it was saved already."""
        if not self.protected:
            return None
        row = FormSubmission.objects.filter(user_id=self.user_id, token=self.token).only("result_url").first()
        return (row.result_url or "/") if row is not None else None

    @contextmanager
    def atomic(self) -> Iterator[Receipt]:
        """One transaction for the claim and the save; raises :class:`AlreadySubmitted` for a repeat."""
        receipt = Receipt()
        with transaction.atomic():
            claim = None
            if self.protected:
                try:
                    with transaction.atomic():
                        claim = FormSubmission.objects.create(user_id=self.user_id, token=self.token)
                except IntegrityError:
                    raise AlreadySubmitted(self.earlier_result() or "/") from None
            yield receipt
            if claim is not None:
                claim.result_url = receipt.url[:300]
                claim.save(update_fields=["result_url"])
                FormSubmission.objects.filter(user_id=self.user_id,
                                              created_at__lt=timezone.now() - KEEP_TOKENS).delete()


@contextmanager
def claimed(once: OneTimeSubmit | None) -> Iterator[Receipt]:
    """``once.atomic()``, or — for a view without tokens — just a receipt, adding no transaction."""
    if once is None:
        yield Receipt()
    else:
        with once.atomic() as receipt:
            yield receipt


def repeat_response(request: HttpRequest, url: str) -> HttpResponseRedirect:
    """The answer to a repeated submit: back to the first result, saying nothing was saved twice."""
    messages.info(request, _("已保存，未重复提交。"))
    return redirect(url)
