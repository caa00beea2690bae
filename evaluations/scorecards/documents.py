"""Scorecard documents: the comparison as Excel, a township's scorecard and the county summary as 公文 (PDF/Word).

Each function takes the rows it prints and returns bytes (DESIGN rule 9); PDF and Word come from one
:class:`~presidium.documents.official.OfficialDocument` description (the floor's kit).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from evaluations.scorecards.selectors import Comparison, RankRow, rank_of
from presidium.documents.excel import Column, write_xlsx
from presidium.documents.official import OfficialDocument, Paragraph, Table


def _num(value) -> str:
    """One decimal, as scores are kept (a sum read back from SQLite may have lost its ".0")."""
    return "—" if value is None else f"{Decimal(str(value)):.1f}"


def _rank_text(row: RankRow | None, count: int) -> str:
    if row is None or row.rank is None:
        return "未定稿"
    return f"第{row.rank}名{'（并列）' if row.tied else ''}，共{count}个乡镇"


def comparison_xlsx(data: Comparison) -> bytes:
    """Items down, townships across (score, or the indicator figure in its own rows), totals and ranks at the foot."""
    lines = []
    for row in data.rows:
        lines.append({"position": row.item.position, "section": row.item.section, "title": row.item.title,
                      "points": row.item.points, "values": [c.score for c in row.cells]})
        if row.indicator is not None:
            lines.append({"position": "", "section": "平台指标", "title": f"{row.indicator.label}（{row.indicator.unit}）",
                          "points": None, "values": [c.figure for c in row.cells]})
    lines.append({"position": "", "section": "", "title": "合计", "points": sum(r.item.points for r in data.rows),
                  "values": [data.totals.get(r.pk) for r in data.responses]})
    ranks = {r.response.pk: r for r in data.ranking if r.response is not None}
    lines.append({"position": "", "section": "", "title": "名次", "points": None,
                  "values": [(f"{ranks[r.pk].rank}{'（并列）' if ranks[r.pk].tied else ''}"
                              if ranks.get(r.pk) and ranks[r.pk].rank else "未定稿") for r in data.responses]})
    columns = [Column("序号", "position", 6), Column("类别", "section", 10), Column("事项", "title", 36),
               Column("分值", "points", 8)]
    for index, response in enumerate(data.responses):
        columns.append(Column(response.township.name, lambda line, i=index: line["values"][i], 10))
    return write_xlsx(lines, columns, title=f"{data.checklist.title}（各乡镇比较）", sheet_name="各乡镇比较")


def _period(checklist) -> str:
    """考评期：2026年7月1日至2026年9月30日 — no leading zeros, as dates are written in official text."""
    start, end = checklist.period_start, checklist.period_end
    return f"考评期：{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def _issuer(checklist) -> str:
    return f"{checklist.county.name}人大常委会"


def scorecard_document(response, items, *, period: list[RankRow], year: list[RankRow]) -> OfficialDocument:
    """One township's scorecard: each item with its answer, the portal's figure, score and comment; total and rank."""
    checklist = response.checklist
    rows = []
    for item in items:
        answer, score = item.answer_row, item.score_row
        rows.append([item.position, item.title, _num(item.points),
                     answer.get_answer_display() if answer and answer.answer else "未填",
                     _num(answer.figure) if answer and answer.figure is not None else "",
                     _num(score.score) if score else "", score.comment if score else ""])
    own = rank_of(period, response.township_id)
    own_year = rank_of(year, response.township_id)
    total = response.total if response.total is not None else sum(
        (i.score_row.score for i in items if i.score_row), 0)
    return OfficialDocument(
        title=f"{response.township.name}{checklist.title}考评结果", issuer=_issuer(checklist), masthead=False,
        subtitle=_period(checklist),
        blocks=[
            Paragraph(f"填报状态：{response.get_state_display()}。"
                      f"本期得分：{_num(total)}分（满分{_num(checklist.total_points)}分），{_rank_text(own, len(period))}；"
                      f"年度累计：{_num(own_year.total if own_year else None)}分，{_rank_text(own_year, len(year))}。"),
            Table(["序号", "事项", "分值", "完成", "指标值", "得分", "评语"], rows,
                  widths=[7, 29, 8, 13, 10, 8, 25], align=["center", "left", "center", "center", "right", "center",
                                                          "left"]),
        ],
        signature=_issuer(checklist),
        date=timezone.localdate(response.finalised_at) if response.finalised_at else None, date_blank=not response.finalised_at,
    )


def summary_document(data: Comparison, year: list[RankRow]) -> OfficialDocument:
    """全县汇总: the ranking of the period and of the year to date, and the average score of each item."""
    checklist = data.checklist
    year_by_township = {r.township.pk: r for r in year}
    ranking = []
    for row in data.ranking:
        y = year_by_township.get(row.township.pk)
        name = f"{row.township.name}（并列）" if row.tied else row.township.name
        ranking.append([row.rank or "—", name, _num(row.total),
                        _num(y.total if y else None), (y.rank if y and y.rank else "—")])
    items = []
    for row in data.rows:
        scores = [c.score for c in row.cells if c.score is not None]
        average = sum(scores) / len(scores) if scores else None
        items.append([row.item.position, row.item.title, _num(row.item.points),
                      _num(round(average, 1) if average is not None else None), len(scores)])
    finalised = sum(1 for r in data.ranking if r.rank)
    return OfficialDocument(
        title=f"{checklist.title}全县考评情况汇总", issuer=_issuer(checklist), masthead=False,
        subtitle=_period(checklist),
        blocks=[
            Paragraph(f"全县{len(data.responses)}个乡镇参加考评，已定稿{finalised}个。得分相同的乡镇名次并列。"),
            Table(["名次", "乡镇", "本期得分", "年度累计", "年度名次"], ranking, widths=[8, 30, 14, 14, 12],
                  align=["center", "left", "right", "right", "center"]),
            Paragraph("各事项平均得分（已评分的乡镇）：", indent=False),
            Table(["序号", "事项", "分值", "平均得分", "已评分乡镇"], items, widths=[6, 44, 10, 12, 12],
                  align=["center", "left", "center", "right", "center"]),
        ],
        signature=_issuer(checklist), date=timezone.localdate(),
    )
