"""Composition of the serving deputies, as the tables of a credentials report (代表资格审查报告) hold them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.choices import (
    CPC_AFFILIATIONS,
    DEMOCRATIC_PARTIES,
    AgeBand,
    DeputyLevel,
    Education,
    Ethnicity,
    Gender,
    PoliticalAffiliation,
    Sector,
)
from deputies.filters import age_band_births
from deputies.services.duty import whole_percentages


@dataclass
class StatRow:
    label: str
    count: int
    percent: int = 0
    indent: bool = False  # a "其中" line under the row above


@dataclass
class StatTable:
    key: str
    title: str
    rows: list[StatRow] = field(default_factory=list)
    chart: str = "bar"  # "pie" or "bar"

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows if not r.indent)


def _finish(table: StatTable, total: int) -> StatTable:
    top = [r for r in table.rows if not r.indent]
    for row, percent in zip(top, whole_percentages([r.count for r in top], total), strict=True):
        row.percent = percent
    for row in table.rows:
        if row.indent:
            row.percent = whole_percentages([row.count], total)[0] if total else 0
    return table


def _by_choice(counts: Counter, choices, title: str, key: str, *, chart: str = "bar",
               keep_empty: bool = True, unknown_label: str | None = None) -> StatTable:
    counts = dict(counts)
    table = StatTable(key=key, title=title, chart=chart)
    for value, label in choices:
        n = counts.pop(value, 0)
        if n or keep_empty:
            table.rows.append(StatRow(str(label), n))
    leftover = sum(counts.values())
    if leftover:
        table.rows.append(StatRow(unknown_label or _("未填写"), leftover))
    return table


COUNTED = ("gender", "birth_date", "affiliation", "sector", "education", "ethnicity", "level")


def composition(queryset: QuerySet, *, today: dt.date | None = None) -> tuple[int, list[StatTable]]:
    """The total and one table per dimension, from one query whatever the number of deputies: the deputies' seven
    counted columns, counted here (eight grouped queries before, each reading the same deputies again)."""
    today = today or timezone.localdate()
    rows = list(queryset.values_list(*COUNTED))
    total = len(rows)
    counts = {name: Counter(row[index] for row in rows) for index, name in enumerate(COUNTED)
              if name != "birth_date"}
    births = [row[COUNTED.index("birth_date")] for row in rows]
    tables: list[StatTable] = []

    tables.append(_finish(_by_choice(counts["gender"], Gender.choices, _("性别"), "gender", chart="pie"), total))

    bands = {}
    for band in AgeBand:
        oldest, youngest = age_band_births(band.value, today)
        bands[band.value] = sum(1 for born in births if born is not None and oldest <= born <= youngest)
    bands["unknown"] = sum(1 for born in births if born is None)
    age = StatTable(key="age", title=_("年龄"))
    age.rows = [StatRow(str(band.label), bands[band.value]) for band in AgeBand]
    if bands["unknown"]:
        age.rows.append(StatRow(_("出生日期未填写"), bands["unknown"]))
    tables.append(_finish(age, total))

    affiliation_counts = counts["affiliation"]
    affiliation = StatTable(key="affiliation", title=_("政治面貌"), chart="pie")
    cpc = sum(affiliation_counts.get(v, 0) for v in CPC_AFFILIATIONS)
    affiliation.rows.append(StatRow(_("中共党员（含预备党员）"), cpc))
    if affiliation_counts.get(PoliticalAffiliation.CPC_PROBATIONARY):
        affiliation.rows.append(StatRow(_("其中：预备党员"), affiliation_counts[PoliticalAffiliation.CPC_PROBATIONARY],
                                        indent=True))
    democratic = sum(affiliation_counts.get(v, 0) for v in DEMOCRATIC_PARTIES)
    affiliation.rows.append(StatRow(_("民主党派成员"), democratic))
    for value in sorted(DEMOCRATIC_PARTIES, key=list(PoliticalAffiliation).index):
        if affiliation_counts.get(value):
            affiliation.rows.append(StatRow(_("其中：%s") % PoliticalAffiliation(value).label,
                                            affiliation_counts[value], indent=True))
    for value in (PoliticalAffiliation.CYL_MEMBER, PoliticalAffiliation.NON_PARTY, PoliticalAffiliation.MASSES):
        affiliation.rows.append(StatRow(str(PoliticalAffiliation(value).label), affiliation_counts.get(value, 0)))
    tables.append(_finish(affiliation, total))

    tables.append(_finish(_by_choice(counts["sector"], Sector.choices, _("界别（代表构成）"), "sector"), total))
    tables.append(_finish(_by_choice(counts["education"], Education.choices, _("文化程度"), "education"), total))

    ethnic_counts = dict(counts["ethnicity"])
    ethnicity = StatTable(key="ethnicity", title=_("民族"), chart="pie")
    ethnicity.rows.append(StatRow(str(Ethnicity.HAN.label), ethnic_counts.pop(Ethnicity.HAN, 0)))
    ethnicity.rows.append(StatRow(_("少数民族"), sum(ethnic_counts.values())))
    for value, label in Ethnicity.choices:
        if ethnic_counts.get(value):
            ethnicity.rows.append(StatRow(_("其中：%s") % label, ethnic_counts[value], indent=True))
    tables.append(_finish(ethnicity, total))

    tables.append(_finish(_by_choice(counts["level"], DeputyLevel.choices, _("代表层级"), "level", chart="pie"),
                          total))
    return total, tables


def summary_sentence(total: int, tables: list[StatTable]) -> str:
    """The sentence a credentials report opens with (妇女、党员、少数民族、年轻代表、工农和专业技术人员)."""
    if not total:
        return _("暂无在任代表。")
    by_key = {t.key: t for t in tables}

    def row(key: str, index: int) -> StatRow:
        return [r for r in by_key[key].rows if not r.indent][index]

    women = row("gender", 1)
    cpc = row("affiliation", 0)
    minorities = row("ethnicity", 1)
    young = row("age", 0)
    sector_rows = [r for r in by_key["sector"].rows if not r.indent]
    grassroots = sum(r.count for r in sector_rows[:3])
    grassroots_percent = whole_percentages([grassroots], total)[0]
    return _(
        "在任代表 %(total)d 名。其中，妇女代表 %(w)d 名，占 %(wp)d%%；中共党员 %(c)d 名，占 %(cp)d%%；"
        "少数民族代表 %(m)d 名，占 %(mp)d%%；35 岁及以下代表 %(y)d 名，占 %(yp)d%%；"
        "工人、农民和专业技术人员代表 %(g)d 名，占 %(gp)d%%。"
    ) % {"total": total, "w": women.count, "wp": women.percent, "c": cpc.count, "cp": cpc.percent,
         "m": minorities.count, "mp": minorities.percent, "y": young.count, "yp": young.percent, "g": grassroots,
         "gp": grassroots_percent}


def chart_option(table: StatTable) -> dict:
    """An ECharts option for a table (rendered by portal.js from a json_script block)."""
    rows = [r for r in table.rows if not r.indent]
    if table.chart == "pie":
        return {
            "tooltip": {"trigger": "item", "formatter": _("{b}：{c} 名（{d}%）")},
            "legend": {"bottom": 0, "type": "scroll"},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "center": ["50%", "45%"], "minShowLabelAngle": 12,
                        "label": {"formatter": "{b}\n{c}"},
                        "data": [{"name": r.label, "value": r.count} for r in rows if r.count]}],
        }
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [r.label for r in rows]},
        "series": [{"type": "bar", "data": [r.count for r in rows], "itemStyle": {"color": "#a61b1b"},
                    "label": {"show": True, "position": "right"}}],
    }
