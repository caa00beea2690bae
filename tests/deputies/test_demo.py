"""The demo step: realistic deputies per township, groups, stations, a year of visits; linked demo account."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from deputies.demo import seed_deputies
from deputies.models import Constituency, Deputy, DeputyGroup, LiaisonStation, Visit, VisitOpinion
from presidium.demo import seed_organisation
from presidium.registry import demo_steps


def test_it_runs_after_the_organisation_step():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["organisation"] < steps["deputies"] == 10


def test_it_seeds_each_township_deterministically_and_only_once(db):
    seed_organisation()
    seed_deputies()
    per_township = dict(Deputy.objects.values_list("township__name").annotate(n=Count("pk")))
    assert set(per_township) == {"青石镇", "柳河乡", "白沙街道"}
    assert all(60 <= n <= 130 for n in per_township.values()), per_township

    deputy = Deputy.objects.get(township__name="青石镇", name="冯国强")
    assert deputy.user.username == "deputy"
    assert deputy.group and deputy.station and deputy.name_pinyin == "feng guo qiang"
    assert Constituency.objects.filter(seats__gt=3).count() == 0
    for constituency in Constituency.objects.annotate(n=Count("deputies")):
        assert constituency.n <= constituency.seats
    assert DeputyGroup.objects.filter(kind="big").exists() and DeputyGroup.objects.filter(leader__isnull=False)
    assert LiaisonStation.objects.filter(staff__role="head").exists()

    today = timezone.localdate()
    visits = Visit.objects.all()
    assert visits.count() > 1000
    assert visits.filter(visited_on__lt=today - dt.timedelta(days=300)).exists()
    assert not visits.filter(visited_on__gt=today).exists()
    assert VisitOpinion.objects.count() > 500

    counts = (Deputy.objects.count(), Visit.objects.count(), VisitOpinion.objects.count(),
              DeputyGroup.objects.count(), LiaisonStation.objects.count(), Constituency.objects.count())
    names = list(Deputy.objects.order_by("pk").values_list("name", flat=True)[:20])
    seed_deputies()
    assert counts == (Deputy.objects.count(), Visit.objects.count(), VisitOpinion.objects.count(),
                      DeputyGroup.objects.count(), LiaisonStation.objects.count(), Constituency.objects.count())
    assert names == list(Deputy.objects.order_by("pk").values_list("name", flat=True)[:20])
