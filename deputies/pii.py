"""Personal data of deputies: resident ID numbers (GB 11643), masks, the keyed lookup digest.

The ID number is stored encrypted (``presidium.crypto.EncryptedCharField``, Fernet with
``PII_ENCRYPTION_KEYS``) *and* as a keyed HMAC-SHA256 digest. Every exact lookup (import matching,
duplicate checks) goes through the digest column, never through the value (an encrypted column cannot
be compared); every screen and export shows the masked form unless the viewer administers deputies,
and each unmasked view is written to :class:`deputies.models.PersonalDataAccess`.

The HMAC key is ``settings.DEPUTIES_ID_HMAC_KEY`` when set, else derived from ``SECRET_KEY``;
rotating it requires ``manage.py rehash_deputy_ids`` (the values are still there to rehash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value: str | None) -> str:
    """Upper-case, strip spaces and full-width characters people paste from Word."""
    if not value:
        return ""
    value = str(value).strip().translate(str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX"))
    return re.sub(r"\s+", "", value).upper()


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def validate_id_number(value: str) -> str:
    """Return the normalized 18-digit number, or raise a ValidationError in Chinese."""
    number = normalize_id_number(value)
    if not _ID_SHAPE.match(number):
        raise ValidationError(_("身份证号码应为 18 位：前 17 位为数字，最后一位为数字或 X。"), code="id_shape")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期（第 7–14 位）不是有效日期。"), code="id_birth") from None
    if birth.year < 1900 or birth > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期（第 7–14 位）不合理。"), code="id_birth")
    expected = id_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("身份证号码校验位不正确（按 GB 11643 计算应为 %(c)s），请核对是否有输错的数字。") % {"c": expected},
            code="id_checksum",
        )
    return number


def birth_date_from_id(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(number: str) -> str:
    """'male' or 'female' (the 17th digit: odd for men), matching ``deputies.choices.Gender``."""
    return "male" if int(number[16]) % 2 else "female"


def _hmac_key() -> bytes:
    key = getattr(settings, "DEPUTIES_ID_HMAC_KEY", "") or ("deputies.id_number:" + settings.SECRET_KEY)
    return hashlib.sha256(key.encode()).digest()


def id_number_digest(value: str) -> str:
    """The keyed digest used for exact lookup; '' for an empty value."""
    number = normalize_id_number(value)
    if not number:
        return ""
    return hmac.new(_hmac_key(), number.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110105199001011234 → 110105********1234 (keeps region and the last four)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; other numbers keep their first 3 and last 4 characters."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str) -> str:
    """Keep the first six characters (township/village), hide the rest."""
    if not value:
        return ""
    visible = value[:6]
    return visible + "****" if len(value) > 6 else visible[:2] + "****"
