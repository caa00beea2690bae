"""The duty archive's "petitions" section: reception duties and petitions raised through the deputy (代表代言)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.archive import DutySignal, archive_providers, build_archive, duty_signals
from petitions.models import ReceptionDay, ReceptionDuty
from presidium.choices import Role
from tests.factories import DeputyFactory, PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(world):
    return DeputyFactory(township=world.township, name="冯国强", user=world.user(Role.DEPUTY))


def _duty(world, deputy, date, status, **fields):
    day = ReceptionDay.objects.create(township=world.township, date=date, place="联络站")
    return ReceptionDuty.objects.create(day=day, deputy=deputy, status=status, **fields)


def test_it_is_registered_in_the_petitions_slot():
    assert "petitions" in dict(archive_providers())


def test_it_lists_duties_and_raised_petitions_with_counts(world, deputy):
    year = timezone.localdate().year
    _duty(world, deputy, dt.date(year, 1, 5), "signed_in", signed_in_at=timezone.now())
    _duty(world, deputy, dt.date(year, 1, 12), "leave", leave_reason="外出培训")
    _duty(world, deputy, dt.date(year, 1, 19), "absent")
    cancelled = _duty(world, deputy, dt.date(year, 1, 26), "on_duty").day
    ReceptionDay.objects.filter(pk=cancelled.pk).update(status="cancelled", cancel_reason="改期")
    PetitionFactory(township=world.township, channel="deputy", raised_by_deputy=deputy, subject="村道积水",
                    received_on=dt.date(year, 2, 1))
    sections = {s.key: s for s in build_archive(deputy, year, viewer=world.user(Role.PRESIDIUM_STAFF))}
    section = sections["petitions"]
    assert section.available
    counts = {str(k): v for k, v in section.counts.items()}
    assert counts == {"值班": 3, "出席": 1, "请假": 1, "缺席": 1, "代表代言": 1}
    titles = [r.title for r in section.rows]
    assert titles.count("接待日值班") == 3 and any("村道积水" in t for t in titles)
    assert any("外出培训" in r.detail for r in section.rows)


def test_raised_petitions_count_as_opinions_in_one_query(world, deputy, django_assert_num_queries):
    year = timezone.localdate().year
    others = [DeputyFactory(township=world.township) for _ in range(5)]
    for d in [deputy, *others]:
        PetitionFactory(township=world.township, channel="deputy", raised_by_deputy=d, received_on=dt.date(year, 3, 1))
    from petitions.reception.archive import PetitionsArchive

    with django_assert_num_queries(1):
        counts = PetitionsArchive().signal_counts([d.pk for d in [deputy, *others]], dt.date(year, 1, 1),
                                                  dt.date(year, 12, 31))
    assert counts[deputy.pk] == {DutySignal.OPINION: 1}
    signals = duty_signals([deputy.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert signals[deputy.pk][DutySignal.OPINION] >= 1


def test_the_archive_page_shows_the_section(world, deputy, client):
    year = timezone.localdate().year
    _duty(world, deputy, dt.date(year, 1, 5), "signed_in", signed_in_at=timezone.now())
    client.force_login(world.user(Role.DEPUTY))
    html = client.get(reverse("deputies:me"), follow=True).content.decode()
    assert "接待日值班和代表代言" in html and "接待日值班" in html
