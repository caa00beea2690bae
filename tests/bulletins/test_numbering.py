"""Issue numbers: given at sign-off under a row lock, forward only, per year, the overall number never restarting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from presidium.bulletins import services
from presidium.bulletins.choices import IssueState, NumberRecordKind
from presidium.bulletins.models import BulletinNumber
from presidium.bulletins.numbering import issue_number_text, overall_number_text, suggest_next
from tests.factories import BulletinIssueFactory, BulletinSeriesFactory

pytestmark = pytest.mark.django_db


def sign(series, day, **kwargs):
    return services.issue_sign_off(issue=BulletinIssueFactory(series=series, issue_date=day), by=None, **kwargs)


def test_it_numbers_within_the_year_and_overall_across_a_year_boundary():
    series = BulletinSeriesFactory(first_overall_number=650)
    december = [sign(series, dt.date(2026, 12, d)) for d in (1, 15, 31)]
    january = [sign(series, dt.date(2027, 1, d)) for d in (2, 20)]
    assert [(i.year, i.number, i.overall_number) for i in december + january] == [
        (2026, 1, 650), (2026, 2, 651), (2026, 3, 652), (2027, 1, 653), (2027, 2, 654)]


def test_it_counts_the_year_of_the_issue_date_not_of_the_sign_off():
    """An issue dated in December but signed off in January belongs to December's year."""
    series = BulletinSeriesFactory()
    sign(series, dt.date(2027, 1, 5))
    late = sign(series, dt.date(2026, 12, 30))
    assert (late.year, late.number, late.overall_number) == (2026, 1, 2)


def test_it_suggests_the_next_number_and_allows_a_forward_override_recording_the_skipped():
    series = BulletinSeriesFactory(first_overall_number=100)
    sign(series, dt.date(2026, 3, 1))
    assert suggest_next(series, 2026).number == 2
    issue = sign(series, dt.date(2026, 4, 1), number=5, skip_reason="第 2 至 4 期改为内部材料")
    assert (issue.number, issue.overall_number) == (5, 104)
    skipped = BulletinNumber.objects.filter(series=series).order_by("number")
    assert [(r.number, r.overall_number, r.kind) for r in skipped] == [
        (2, 101, NumberRecordKind.SKIPPED), (3, 102, NumberRecordKind.SKIPPED), (4, 103, NumberRecordKind.SKIPPED)]
    assert suggest_next(series, 2026).number == 6


def test_it_refuses_a_taken_or_skipped_number_with_a_message_and_changes_nothing():
    series = BulletinSeriesFactory()
    sign(series, dt.date(2026, 3, 1))
    sign(series, dt.date(2026, 3, 2), number=4, skip_reason="跳号")
    draft = BulletinIssueFactory(series=series, issue_date=dt.date(2026, 3, 3))
    for taken in (1, 3, 4):
        with pytest.raises(ValidationError, match="期号只能向后编"):
            services.issue_sign_off(issue=draft, by=None, number=taken)
    draft.refresh_from_db()
    assert draft.state == IssueState.DRAFT and draft.number is None
    assert services.issue_sign_off(issue=draft, by=None).number == 5


def test_it_asks_why_numbers_are_skipped():
    series = BulletinSeriesFactory()
    with pytest.raises(ValidationError, match="请说明原因"):
        sign(series, dt.date(2026, 3, 1), number=3)
    assert not BulletinNumber.objects.exists()


def test_it_records_a_voided_number_and_never_gives_it_again():
    series = BulletinSeriesFactory()
    first = sign(series, dt.date(2026, 3, 1))
    services.issue_void(issue=first, by=None, reason="数据有误，重新编印")
    record = BulletinNumber.objects.get(series=series, number=1)
    assert record.kind == NumberRecordKind.VOIDED and record.issue_id == first.pk
    assert sign(series, dt.date(2026, 3, 2)).number == 2


def test_it_needs_an_article_before_sign_off():
    issue = BulletinIssueFactory(articles=0)
    with pytest.raises(ValidationError, match="还没有文章"):
        services.issue_sign_off(issue=issue, by=None)


def test_it_prints_numbers_as_the_series_says():
    series = BulletinSeriesFactory(number_in_chinese=False, overall_in_chinese=True)
    assert issue_number_text(series, 11) == "第 11 期"
    assert overall_number_text(series, 661) == "总第六百六十一期"
    series.number_in_chinese, series.overall_in_chinese = True, False
    assert issue_number_text(series, 11) == "第十一期"
    assert overall_number_text(series, 661) == "总第 661 期"


def test_it_fixes_the_starting_overall_number_once_an_issue_is_numbered():
    series = BulletinSeriesFactory(first_overall_number=10)
    services.series_update(series=series, by=None, first_overall_number=20)
    sign(series, dt.date(2026, 3, 1))
    series.refresh_from_db()
    with pytest.raises(ValidationError):
        services.series_update(series=series, by=None, first_overall_number=30)
