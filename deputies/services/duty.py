"""State changes of the deputy's own duty records: pledge, report to voters, assessment, training, awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.choices import AssessmentGrade, AwardLevel
from deputies.models import Award, Deputy, DutyPledge, TrainingRecord, VoterReport, YearAssessment
from deputies.services.common import save


def whole_percentages(counts: list[int], total: int) -> tuple[int, ...]:
    """Whole percentages of ``total``; when the counts add up to it they add up to 100 (largest remainder).

    46 voters, 29 / 16 / 1 → 63 / 35 / 2 (the seed's example).
    """
    if total <= 0:
        return tuple(0 for _ in counts)
    exact = [count * 100 / total for count in counts]
    floors = [int(value) for value in exact]
    if sum(counts) == total:
        short = 100 - sum(floors)
        order = sorted(range(len(counts)), key=lambda i: (exact[i] - floors[i], counts[i]), reverse=True)
        for index in order[:short]:
            floors[index] += 1
        return tuple(floors)
    return tuple(int(Decimal(value).quantize(Decimal(1), rounding="ROUND_HALF_UP")) for value in exact)


def _check_year(year: int, day: dt.date, field: str) -> None:
    if day.year != year:
        raise ValidationError({field: _("日期应在 %(y)d 年内。") % {"y": year}})
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


@transaction.atomic
def pledge_record(*, deputy: Deputy, by, year: int, signed_on: dt.date, content: str) -> DutyPledge:
    """Record (or correct) the deputy's pledge for ``year`` (履职承诺书, signed at the start of the year)."""
    _check_year(year, signed_on, "signed_on")
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("请填写承诺内容。")})
    pledge = DutyPledge.objects.select_for_update().filter(deputy=deputy, year=year).first()
    pledge = pledge or DutyPledge(deputy=deputy, year=year, recorded_by=by)
    pledge.signed_on, pledge.content, pledge.recorded_by = signed_on, content, by
    return save(pledge, by=by)


@transaction.atomic
def voter_report_record(*, deputy: Deputy, by, year: int, reported_on: dt.date, place: str, voters_present: int,
                        excellent: int, competent: int, incompetent: int | None = None,
                        summary: str = "") -> VoterReport:
    """Record the deputy's report to voters and the grades they gave.

    When 不称职 is left empty it is the rest of those present (seed 002: 46 − 29 − 16 = 1).
    """
    _check_year(year, reported_on, "reported_on")
    if voters_present < 1:
        raise ValidationError({"voters_present": _("参加评议的选民至少 1 人。")})
    if incompetent is None:
        incompetent = voters_present - excellent - competent
        if incompetent < 0:
            raise ValidationError({"competent": _("优秀和称职票数之和（%(s)d）超过了参加评议的选民人数（%(n)d）。")
                                   % {"s": excellent + competent, "n": voters_present}})
    elif excellent + competent + incompetent > voters_present:
        raise ValidationError({"incompetent": _("三个等次的票数之和（%(s)d）超过了参加评议的选民人数（%(n)d）。")
                               % {"s": excellent + competent + incompetent, "n": voters_present}})
    report = VoterReport.objects.select_for_update().filter(deputy=deputy, year=year).first()
    report = report or VoterReport(deputy=deputy, year=year, recorded_by=by)
    report.reported_on, report.place, report.voters_present = reported_on, (place or "").strip(), voters_present
    report.excellent, report.competent, report.incompetent = excellent, competent, incompetent
    report.summary, report.recorded_by = (summary or "").strip(), by
    return save(report, by=by)


@transaction.atomic
def assessment_record(*, deputy: Deputy, by, year: int, grade: str, assessed_on: dt.date,
                      comment: str = "") -> YearAssessment:
    """Record the presidium's year-end assessment of a deputy (one per year; re-recording corrects it)."""
    if grade not in AssessmentGrade.values:
        raise ValidationError({"grade": _("请选择考核等次。")})
    if assessed_on.year not in (year, year + 1):
        raise ValidationError({"assessed_on": _("年度考核应在当年年底或次年年初进行。")})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("日期不能晚于今天。")})
    assessment = YearAssessment.objects.select_for_update().filter(deputy=deputy, year=year).first()
    assessment = assessment or YearAssessment(deputy=deputy, year=year, recorded_by=by)
    assessment.grade, assessment.assessed_on = grade, assessed_on
    assessment.comment, assessment.recorded_by = (comment or "").strip(), by
    return save(assessment, by=by)


@transaction.atomic
def training_add(*, deputy: Deputy, by, attended_on: dt.date, title: str, organizer: str = "",
                 hours: Decimal | None = None) -> TrainingRecord:
    if attended_on > timezone.localdate():
        raise ValidationError({"attended_on": _("日期不能晚于今天。")})
    return save(TrainingRecord(deputy=deputy, attended_on=attended_on, title=(title or "").strip(),
                               organizer=(organizer or "").strip(), hours=hours, recorded_by=by), by=by)


@transaction.atomic
def training_remove(*, training: TrainingRecord, by) -> None:
    training.delete()


@transaction.atomic
def award_add(*, deputy: Deputy, by, awarded_on: dt.date, title: str, conferred_by: str = "",
              level: str = AwardLevel.TOWNSHIP) -> Award:
    if awarded_on > timezone.localdate():
        raise ValidationError({"awarded_on": _("日期不能晚于今天。")})
    return save(Award(deputy=deputy, awarded_on=awarded_on, title=(title or "").strip(),
                      conferred_by=(conferred_by or "").strip(), level=level, recorded_by=by), by=by)


@transaction.atomic
def award_remove(*, award: Award, by) -> None:
    award.delete()
