"""Fixtures for the proposals tests: the world's deputy user linked to a Deputy, a few more deputies."""

from __future__ import annotations

import pytest

from presidium.choices import Role
from tests.factories import proposals_deputy


@pytest.fixture
def deputy(world):
    """The Deputy whose login is the world's deputy user (township A)."""
    return proposals_deputy(world.township, user=world.user(Role.DEPUTY), name="冯国强")


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


@pytest.fixture
def liaison(world):
    return world.user(Role.UNIT_LIAISON)


@pytest.fixture
def other_deputies(world):
    return [proposals_deputy(world.township, name=f"联名代表{n}") for n in range(1, 6)]
