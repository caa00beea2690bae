"""The bulletins demo step: per township a 人大信息 series (published issues and a draft), the county's 联络动态."""

from __future__ import annotations

import time

from deputies.demo import seed_deputies
from presidium.bulletins.choices import IssueState
from presidium.bulletins.demo import seed_bulletins
from presidium.bulletins.models import BulletinIssue, BulletinSeries
from presidium.demo import seed_organisation
from presidium.notifications.models import Notification
from presidium.registry import demo_steps


def test_it_runs_after_petitions():
    steps = {step.key: step.order for step in demo_steps()}
    assert steps["petitions"] < steps["bulletins"]


def test_it_seeds_the_bulletins_once_and_quickly(db):
    seed_organisation()
    seed_deputies()
    started = time.monotonic()
    seed_bulletins()
    elapsed = time.monotonic() - started
    seed_bulletins()  # a second run adds nothing
    news = BulletinSeries.objects.filter(masthead="人大信息")
    assert sorted(news.values_list("township__name", flat=True)) == sorted(["青石镇", "柳河乡", "白沙街道"])
    for series in news:
        states = list(series.issues.values_list("state", flat=True))
        assert states.count(IssueState.PUBLISHED) == 3 and states.count(IssueState.DRAFT) == 1
    liaison = BulletinIssue.objects.get(series__masthead="联络动态")
    assert (liaison.number, liaison.overall_text, liaison.state) == (11, "总第六百六十一期", IssueState.PUBLISHED)
    assert Notification.objects.filter(recipient__username="deputy", kind="bulletins.published").count() == 3
    assert elapsed < 40, elapsed  # ten PDFs; on a busy shared CI machine allow some slack
