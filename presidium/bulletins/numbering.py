"""How issue numbers read, and which number comes next (the giving itself is ``issue_sign_off``)."""

from __future__ import annotations

from dataclasses import dataclass

from presidium.documents.chinese import chinese_number


def issue_number_text(series, number: int) -> str:
    """第 11 期, or 第十一期 when the series prints the number in Chinese."""
    return f"第{chinese_number(number)}期" if series.number_in_chinese else f"第 {number} 期"


def overall_number_text(series, number: int) -> str:
    """总第六百六十一期, or 总第 661 期."""
    return f"总第{chinese_number(number)}期" if series.overall_in_chinese else f"总第 {number} 期"


@dataclass(frozen=True)
class NextNumber:
    """The number an issue dated in ``year`` would get now, and the overall number that goes with it."""

    year: int
    number: int
    overall_number: int


def overall_after(series, last_number_in_year: int, number: int) -> int:
    """The overall number for ``number``: every number given or skipped since the last one counts."""
    base = max(series.last_overall_number, series.first_overall_number - 1)
    return base + (number - last_number_in_year)


def suggest_next(series, year: int) -> NextNumber:
    """The next free number of ``series`` in ``year`` (read without a lock: a suggestion for the form)."""
    from presidium.bulletins.models import BulletinYearCounter

    last = BulletinYearCounter.objects.filter(series=series, year=year).values_list("last_number", flat=True).first()
    last = last or 0
    return NextNumber(year=year, number=last + 1, overall_number=overall_after(series, last, last + 1))
