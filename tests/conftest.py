"""Fixtures every app's tests share: two townships in one county (A, B), a user per role in A."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings

from presidium.choices import Role
from tests.factories import CountyFactory, HandlingUnitFactory, TermFactory, TownshipFactory, user_with_role

pytest_plugins = ["tests.clock_plugin"]


@pytest.fixture(autouse=True)
def _no_outside_effects(settings, tmp_path):
    """Keep tests hermetic: mail to memory, uploads to a temp dir, Celery eager, an empty cache (a rolled-back
    test's rows may come back with the same keys in the next one), no home card's SQL, list option rows or filter
    card kept from another test."""
    from django.core.cache import cache

    from presidium.choice_rows import forget as forget_choice_rows
    from presidium.home_cards import forget_kept
    from presidium.templatetags.portal import forget_filter_cards

    cache.clear()
    forget_kept()
    forget_choice_rows()
    forget_filter_cards()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Celery reads Django's settings once; set its own config too so every test runs tasks eagerly
    # (tests of the real worker under tests/stack/ set what they need themselves).
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
    settings.AXES_ENABLED = False


@dataclass
class World:
    county: object
    township: object
    other_township: object
    unit: object
    other_unit: object
    users: dict  # role value -> user in township A (county roles: the county)
    other_staff: object  # presidium staff of township B
    foreign_county: object  # another county: nobody in ``users`` may see anything of it
    foreign_township: object
    foreign_unit: object

    def user(self, role: Role):
        return self.users[Role(role).value]


@pytest.fixture
def world(db) -> World:
    county = CountyFactory(name="测试县")
    township = TownshipFactory(county=county, name="甲镇")
    other = TownshipFactory(county=county, name="乙镇")
    TermFactory(township=township)
    TermFactory(township=other)
    unit = HandlingUnitFactory(township=township, name="财政所")
    other_unit = HandlingUnitFactory(township=other, name="乙镇财政所")
    users = {
        Role.COUNTY_ADMIN.value: user_with_role(Role.COUNTY_ADMIN, county, username="c_admin"),
        Role.COUNTY_REVIEWER.value: user_with_role(Role.COUNTY_REVIEWER, county, username="c_reviewer"),
        Role.PRESIDIUM_CHAIR.value: user_with_role(Role.PRESIDIUM_CHAIR, township, username="chair_a"),
        Role.PRESIDIUM_STAFF.value: user_with_role(Role.PRESIDIUM_STAFF, township, username="staff_a"),
        Role.DEPUTY.value: user_with_role(Role.DEPUTY, township, username="deputy_a"),
        Role.UNIT_LIAISON.value: user_with_role(Role.UNIT_LIAISON, unit, username="liaison_a"),
    }
    other_staff = user_with_role(Role.PRESIDIUM_STAFF, other, username="staff_b")
    foreign_county = CountyFactory(name="外县")
    foreign_township = TownshipFactory(county=foreign_county, name="丙镇")
    TermFactory(township=foreign_township)
    foreign_unit = HandlingUnitFactory(township=foreign_township, name="丙镇财政所")
    return World(county, township, other, unit, other_unit, users, other_staff, foreign_county, foreign_township,
                 foreign_unit)


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def pytest_configure(config):
    # The suite never reaches the network: Celery runs in-process, mail stays in memory.
    assert settings.CELERY_TASK_ALWAYS_EAGER or settings.REDIS_URL
