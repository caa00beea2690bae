"""factory_boy factories shared by every app's tests. Apps add theirs below their section."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from presidium.choices import COUNTY_ROLES, Role
from presidium.models import County, HandlingUnit, RoleAssignment, Term, Township, User

PASSWORD = "Test-pass-2026"


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}县")


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    township = factory.SubFactory(TownshipFactory)
    ordinal = 18
    start_date = dt.date(2021, 12, 28)
    end_date = dt.date(2026, 12, 27)
    is_current = True


class HandlingUnitFactory(DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = "station"
    responsible_leader = "王副镇长"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: Role, scope, **kwargs) -> User:
    """A user holding ``role`` over ``scope`` (a County, Township or HandlingUnit)."""
    user = UserFactory(**kwargs)
    grant = {"user": user, "role": role}
    if role in COUNTY_ROLES:
        grant["county"] = scope
    elif role == Role.UNIT_LIAISON:
        grant["handling_unit"] = scope
    else:
        grant["township"] = scope
    RoleAssignment.objects.create(**grant)
    return user
