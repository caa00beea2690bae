"""The public pages' rate limit: counted in the database, per key and window, keys stored as digests."""

from __future__ import annotations

import datetime as dt

import pytest

from petitions.public import throttle
from petitions.public.models import ThrottleCount

pytestmark = pytest.mark.django_db

LIMIT = throttle.Limit("test_scope", 3, dt.timedelta(hours=1))
NOW = dt.datetime(2026, 10, 2, 9, 30, tzinfo=dt.UTC)


def test_it_allows_up_to_the_limit_then_refuses():
    assert [throttle.hit(LIMIT, "10.0.0.1", now=NOW) for _ in range(5)] == [True, True, True, False, False]
    assert throttle.exceeded(LIMIT, "10.0.0.1", now=NOW)
    assert not throttle.exceeded(LIMIT, "10.0.0.2", now=NOW)


def test_it_counts_in_one_row_per_window_and_starts_again_in_the_next():
    for _ in range(3):
        throttle.hit(LIMIT, "10.0.0.1", now=NOW)
    assert ThrottleCount.objects.get().hits == 3
    later = NOW + dt.timedelta(hours=1)
    assert throttle.hit(LIMIT, "10.0.0.1", now=later)
    assert throttle.hits(LIMIT, "10.0.0.1", now=later) == 1


def test_it_never_stores_the_key_itself():
    throttle.hit(LIMIT, "13800138000", now=NOW)
    row = ThrottleCount.objects.get()
    assert "13800138000" not in row.key_digest and len(row.key_digest) == 64


def test_it_forgets_windows_long_past_when_a_new_one_opens():
    throttle.hit(LIMIT, "a", now=NOW - dt.timedelta(days=3))
    throttle.hit(LIMIT, "b", now=NOW)
    assert ThrottleCount.objects.count() == 1


def test_it_keeps_counting_when_another_worker_opened_the_window_first():
    """Two workers: the second insert hits the unique constraint and adds to the row instead."""
    ThrottleCount.objects.create(scope=LIMIT.scope, key_digest=throttle._digest(LIMIT, "k"),
                                 window_start=throttle.window_start(LIMIT, NOW), hits=2)
    assert throttle.hit(LIMIT, "k", now=NOW)
    assert not throttle.hit(LIMIT, "k", now=NOW)
    assert ThrottleCount.objects.get().hits == 4


def test_it_ignores_an_empty_key():
    assert throttle.hit(LIMIT, "", now=NOW)
    assert not throttle.exceeded(LIMIT, "", now=NOW)
    assert not ThrottleCount.objects.exists()
