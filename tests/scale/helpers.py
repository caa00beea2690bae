"""Small scale plans for the builders' tests: a county, a superuser and ``townships`` built townships.

``small_plan()`` runs the organisation builder; ``with_deputies(plan)`` gives each built township a few
deputies through the deputies service (with accounts), so a builder that needs deputies can be tested
on its own. ``assert_valid_sample`` runs model validation (``full_clean``) on a sample of rows, the
check that bulk-made rows are what the services would have made.
"""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError

from presidium.choices import Role
from presidium.demo import COUNTY_NAME
from presidium.models import County, RoleAssignment, User
from presidium.scale import ScalePlan, plan_for
from presidium.scale.org import build_organisation


def small_plan(*, townships: int = 2, years: int = 2, deputies: int = 8) -> ScalePlan:
    County.objects.get_or_create(name=COUNTY_NAME, defaults={"code": "361099"})
    if not User.objects.filter(is_superuser=True).exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "x", real_name="系统管理员")
    plan = plan_for("county", townships=townships, years=years, deputies=deputies)
    build_organisation(plan)
    return plan


SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "明华国建文平志红军英兰秀芳霞强伟"


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)] + GIVEN[n % len(GIVEN)]


def with_deputies(plan: ScalePlan) -> ScalePlan:
    """A few serving deputies per built township through the service, each with an account.

    For a builder's own tests when the deputies builder is not to be run; the scale run itself uses
    ``deputies.scale``.
    """
    from deputies import services

    for built in plan.built:
        for n in range(1, plan.deputies + 1):
            user = User.objects.create_user(f"{built.prefix}_d{n:04d}", password=None, real_name=_name(n))
            RoleAssignment.objects.create(user=user, role=Role.DEPUTY, township=built.township)
            deputy = services.deputy_create(township=built.township, by=plan.admin, name=_name(built.index * 100 + n),
                                            gender="male" if n % 2 else "female", elected_on=built.term.start_date)
            services.deputy_link_user(deputy=deputy, by=plan.admin, user=user)
    return plan


def assert_valid_sample(queryset, *, size: int = 50, exclude: tuple[str, ...] = ()) -> int:
    """``full_clean`` on up to ``size`` rows picked at random (seeded); fails listing every error."""
    ids = list(queryset.values_list("pk", flat=True))
    assert ids, f"no rows of {queryset.model.__name__} were built"
    picked = random.Random(queryset.model.__name__).sample(ids, min(size, len(ids)))
    errors = []
    for obj in queryset.model._default_manager.filter(pk__in=picked):
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as error:
            errors.append(f"{queryset.model.__name__} {obj.pk}: {error.message_dict}")
    assert not errors, "\n".join(errors[:20])
    return len(picked)
