"""Sending SMS: a small backend interface, chosen by ``settings.SMS_BACKEND`` like Django's mail backends.

A real gateway (Aliyun, Tencent Cloud, a county's own platform) is one subclass of
:class:`BaseSmsBackend`. ``send`` returns on success and raises on failure: a
:class:`PermanentSmsError` for a message that will never go (bad number, refused template), anything
else for a failure worth retrying later. The outbox does the retrying; backends never retry.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PermanentSmsError(Exception):
    """The gateway refused this message for good; retrying cannot help."""


class BaseSmsBackend:
    def send(self, mobile: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    """Development and demo: writes the message to the log instead of sending it."""

    def send(self, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: keeps messages in :data:`outbox` (like ``django.core.mail.outbox``)."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        LocmemSmsBackend.outbox.append((mobile, text))


def mask_mobile(mobile: str) -> str:
    """138****5678: mobiles are personal data and stay out of logs in full."""
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 8 else "****"


@lru_cache(maxsize=4)
def _backend_class(path: str) -> type[BaseSmsBackend]:
    backend = import_string(path)
    if not (isinstance(backend, type) and issubclass(backend, BaseSmsBackend)):
        raise TypeError(f"SMS_BACKEND {path!r} is not a BaseSmsBackend subclass")
    return backend


def get_sms_backend() -> BaseSmsBackend:
    return _backend_class(settings.SMS_BACKEND)()
