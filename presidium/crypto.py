"""Personal data encrypted at rest: a model field that stores Fernet tokens and reads back plain text.

Deputies' resident ID numbers (and, next, petitioners' ID numbers and phones) are kept encrypted in
the database and therefore in every backup: Fernet (AES-128-CBC + HMAC-SHA256, from the well-kept
``cryptography`` package) with the keys in ``settings.PII_ENCRYPTION_KEYS``. The first key encrypts;
every key decrypts, so a key is rotated by putting a new one first and running
``manage.py rotate_pii_keys``, then removing the old one. Production refuses to start without keys
(config/settings.py); development and tests derive one from ``SECRET_KEY``.

An encrypted column cannot be searched or compared (each write gives a different token): exact
look-ups go through a keyed digest column next to it (``deputies.pii.id_number_digest``). Values
written before encryption was switched on (no ``enc1:`` prefix) read back as they are and are
encrypted the next time they are saved — the migration that introduced the field re-saved them all.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


def derived_key(secret: str) -> str:
    """A Fernet key derived from ``secret`` (development and tests only)."""
    return base64.urlsafe_b64encode(hashlib.sha256(("presidium.pii:" + secret).encode()).digest()).decode()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> tuple[str, ...]:
    keys = tuple(getattr(settings, "PII_ENCRYPTION_KEYS", ()) or ())
    return keys or (derived_key(settings.SECRET_KEY),)


def encrypt(value: str) -> str:
    """The stored form of ``value`` ('' stays '')."""
    if not value:
        return value
    return PREFIX + _fernet(_keys()).encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain text of a stored value; a value from before encryption passes through unchanged."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    try:
        return _fernet(_keys()).decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        # Never show or save a wrong value: a missing key is an operator's error, said plainly.
        raise ImproperlyConfigured(
            "an encrypted value cannot be read with any key in PII_ENCRYPTION_KEYS: the key that wrote it "
            "was removed or changed (see docs/deployment.md, PII_ENCRYPTION_KEYS)") from None


def rotate(stored: str) -> str:
    """``stored`` re-encrypted with the first key (plain values get encrypted)."""
    if not stored:
        return stored
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + _fernet(_keys()).rotate(stored[len(PREFIX):].encode()).decode()


class EncryptedCharField(models.TextField):
    """A short text kept encrypted in the database; Python and forms see the plain text.

    ``max_length`` limits the plain text (forms and ``full_clean``); the column is unlimited text
    because a token is much longer than what it hides.
    """

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plain_max_length = max_length
        if max_length is not None:
            from django.core.validators import MaxLengthValidator

            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length, "widget": forms.TextInput}
        return models.Field.formfield(self, **{**defaults, **kwargs})
