import pytest

from presidium.choices import Role


@pytest.fixture
def reviewer(world):
    return world.user(Role.COUNTY_REVIEWER)


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)
