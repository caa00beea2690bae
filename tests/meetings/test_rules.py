"""The rules on how often bodies meet, checked at the edges of years and quarters (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from presidium.meetings.rules import rule_gaps
from tests.factories import DeputyFactory, DeputyGroupFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def local(y, m, d, h=9, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


def meeting(world, kind, starts_at, **kwargs):
    if kind == "congress_session":
        kwargs.setdefault("session_number", MeetingFactory._meta.model.objects.filter(kind=kind).count() + 1)
    return MeetingFactory(township=world.township, kind=kind, starts_at=starts_at,
                          ends_at=starts_at + dt.timedelta(minutes=30), **kwargs)


def texts(world, today, rule=None):
    return [g.text for g in rule_gaps(world.township, today=today) if rule is None or g.rule == rule]


def test_it_says_when_the_congress_has_not_met_this_year(world):
    assert texts(world, dt.date(2026, 3, 1), "congress") == ["2026 年尚未召开人代会（每年至少召开一次，一般两次）。"]
    # A session on New Year's Eve at 23:30 in Shanghai belongs to the old year (15:30 UTC).
    meeting(world, "congress_session", local(2025, 12, 31, 23, 30))
    assert texts(world, dt.date(2026, 1, 1), "congress")
    meeting(world, "congress_session", local(2026, 1, 1, 0, 0))
    assert texts(world, dt.date(2026, 1, 1), "congress") == []
    # Once is enough by law; in the second half of the year a note says "normally twice".
    assert texts(world, dt.date(2026, 6, 30), "congress") == []
    assert "一般每年举行两次" in texts(world, dt.date(2026, 7, 1), "congress")[0]


def test_it_checks_every_quarter_for_the_presidium(world):
    gaps = rule_gaps(world.township, today=dt.date(2026, 9, 30))
    presidium = [g for g in gaps if g.rule == "presidium"]
    assert [(g.quarter, g.tone) for g in presidium] == [(1, "danger"), (2, "danger"), (3, "warning")]
    assert presidium[-1].text == "第三季度尚无主席团会议。"
    meeting(world, "presidium_meeting", local(2026, 3, 31, 23, 59))  # still the first quarter
    meeting(world, "presidium_meeting", local(2026, 7, 1, 0, 0))  # already the third
    assert [g.quarter for g in rule_gaps(world.township, today=dt.date(2026, 9, 30)) if g.rule == "presidium"] == [2]
    cancelled = meeting(world, "presidium_meeting", local(2026, 5, 1), status="cancelled", cancel_reason="改期")
    assert cancelled.pk and [g.quarter for g in rule_gaps(world.township, today=dt.date(2026, 10, 1))
                             if g.rule == "presidium"] == [2, 4]


def test_it_names_each_group_behind_this_quarter_and_last(world):
    dongfeng = DeputyGroupFactory(township=world.township, name="东风村代表小组")
    hongqi = DeputyGroupFactory(township=world.township, name="红旗村代表小组")
    DeputyGroupFactory(township=world.township, name="无人小组")  # no serving member: not checked
    DeputyFactory(township=world.township, group=dongfeng)
    DeputyFactory(township=world.township, group=hongqi)
    meeting(world, "group_activity", local(2026, 9, 30, 20), group=dongfeng, term=None)
    meeting(world, "group_activity", local(2026, 10, 1, 8), group=hongqi, term=None)
    gaps = texts(world, dt.date(2026, 10, 8), "group")
    assert gaps == ["东风村代表小组本季度尚无活动。", "红旗村代表小组第三季度没有活动（每季度至少一次）。"]


def test_it_counts_a_big_groups_activity_for_its_small_groups_and_back(world):
    big = DeputyGroupFactory(township=world.township, name="第一代表大组", kind="big")
    small = DeputyGroupFactory(township=world.township, name="东风村代表小组", parent=big)
    other_small = DeputyGroupFactory(township=world.township, name="红旗村代表小组", parent=big)
    DeputyFactory(township=world.township, group=small)
    DeputyFactory(township=world.township, group=other_small)
    meeting(world, "group_activity", local(2026, 10, 2), group=big, term=None)
    assert set(texts(world, dt.date(2026, 10, 8), "group")) == {
        "第一代表大组第三季度没有活动（每季度至少一次）。", "东风村代表小组第三季度没有活动（每季度至少一次）。",
        "红旗村代表小组第三季度没有活动（每季度至少一次）。"}
    meeting(world, "group_activity", local(2026, 9, 2), group=small, term=None)
    assert texts(world, dt.date(2026, 10, 8), "group") == ["红旗村代表小组第三季度没有活动（每季度至少一次）。"]


def test_it_reads_only_the_current_terms_groups_once_the_next_term_is_opened(world):
    """Opening the next term copies the groups (and carry-over fills them): the copies are not "behind"."""
    import datetime as dt

    from presidium.choices import Role
    from presidium.meetings.rules import rule_gaps
    from presidium.terms.services import term_carry_over, term_open_next
    from tests.factories import DeputyFactory, DeputyGroupFactory

    staff = world.user(Role.PRESIDIUM_STAFF)
    group = DeputyGroupFactory(township=world.township, name="东风村代表小组")
    deputy = DeputyFactory(township=world.township, group=group, term=world.township.current_term())
    before = [g.text for g in rule_gaps(world.township) if g.rule == "group"]
    new_term = term_open_next(township=world.township, by=staff, start_date=dt.date(2027, 1, 8))
    term_carry_over(term=new_term, by=staff, deputies=[deputy])
    after = [g.text for g in rule_gaps(world.township) if g.rule == "group"]
    assert before and after == before
