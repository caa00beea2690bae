"""Issue 12: the Django admin changelists of the big models keep a fixed number of queries as rows grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    DeputyFactory,
    DeputyGroupFactory,
    MeetingFactory,
    PetitionFactory,
    VisitFactory,
    proposals_suggestion,
)


def _grow_deputies(world, n, start):
    group = DeputyGroupFactory(township=world.township)
    for i in range(n):
        DeputyFactory(township=world.township if i % 2 else world.other_township, group=group if i % 2 else None,
                      mobile=f"1351234{start + i:04d}")


def _grow_visits(world, n, start):
    deputy = DeputyFactory(township=world.township, mobile=f"1341234{start:04d}")
    for _i in range(n):
        VisitFactory(deputy=deputy)


def _grow_suggestions(world, n, start):
    for i in range(n):
        proposals_suggestion(world.township, status_to="assigned" if i % 2 else "registered", unit=world.unit)


def _grow_petitions(world, n, start):
    for _i in range(n):
        PetitionFactory(township=world.township)


def _grow_meetings(world, n, start):
    for _i in range(n):
        MeetingFactory(township=world.township)


CHANGELISTS = [
    ("deputies", "deputy", _grow_deputies),
    ("deputies", "visit", _grow_visits),
    ("proposals", "suggestion", _grow_suggestions),
    ("petitions", "petition", _grow_petitions),
    ("meetings", "meeting", _grow_meetings),
]


@pytest.mark.parametrize("app, model, grow", CHANGELISTS, ids=[f"{a}.{m}" for a, m, _g in CHANGELISTS])
def test_it_keeps_the_admin_changelist_flat_as_rows_grow(world, client, admin_user, app, model, grow):
    client.force_login(admin_user)
    url = reverse(f"admin:{app}_{model}_changelist")
    grow(world, 2, 0)
    assert client.get(url).status_code == 200

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    grow(world, 12, 100)
    assert queries() == few <= 12
