"""Fixtures of the deputies tests: a superuser for services that need an author, a valid ID number."""

from __future__ import annotations

import datetime as dt

import pytest

from deputies.pii import id_check_digit
from tests.factories import UserFactory


def make_id_number(birth: dt.date = dt.date(1975, 3, 17), *, male: bool = True, region: str = "361026",
                   sequence: int = 12) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit) for ``birth``."""
    serial = sequence * 10 + (1 if male else 2)
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="deputies_admin")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user
