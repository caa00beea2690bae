"""Motions and suggestions at county scale: ``seed_demo --scale county|province``, step "proposals" (order 30).

Per built township, ``plan.yearly("suggestions")`` items a year over ``plan.year_list``, written with
``bulk_create`` (a fixed handful of queries per model per township) and shaped like the services make
them — see :mod:`proposals.scale.story` for one item's story and :mod:`proposals.scale.township` for
what is shared per township (numbers, deadlines, reminders, the county's 督办意见).

What is not written: django-simple-history rows (no page lists them for these models; the history page
of an item shows none for built items), notifications (they belong to the moment an item moved; the
reminder rows the services keep for open items *are* written, so the reminder pass sees every open item),
attachments (no files on disk).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from presidium.calendar import services as calendar
from presidium.choices import Role
from presidium.models import RoleAssignment
from presidium.scale import ScalePlan
from proposals.models import Suggestion

STEP = "proposals"
ORDER = 30


def build(plan: ScalePlan) -> None:
    """Fill every built township that has no suggestion yet (one transaction per township)."""
    from proposals.scale.township import TownshipBuilder

    content_type = ContentType.objects.get_for_model(Suggestion)
    county_user = _county_user(plan)
    deadlines: dict = {}  # shared by the townships of one county: the same rule from the same day
    county_id = plan.built[0].township.county_id if plan.built else None
    # Deadlines are computed through the calendar's own functions, from one window read once (not ~1,300 reads).
    with calendar.preloaded(dt.date(plan.first_year - 1, 11, 1), plan.today + dt.timedelta(days=500), county=county_id):
        for built in plan.each_township(STEP, lambda township: Suggestion.objects.filter(township=township).exists()):
            TownshipBuilder(plan, built, content_type=content_type, county_user=county_user,
                            deadlines=deadlines).fill()


def _county_user(plan: ScalePlan):
    """Who sends the county's 督办意见: a county reviewer, else a county admin, else the superuser."""
    for role in (Role.COUNTY_REVIEWER, Role.COUNTY_ADMIN):
        found = RoleAssignment.objects.filter(role=role, user__is_active=True).select_related("user").order_by(
            "pk").first()
        if found is not None:
            return found.user
    return plan.admin
