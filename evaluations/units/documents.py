"""Documents of the evaluation of units: the result notice (评议结果通报, PDF and Word from one description
through the floor's official-document kit) and the Excel of the full results table. Written in Chinese."""

from __future__ import annotations

from django.utils import timezone

from evaluations.units.choices import Grade, Tier
from presidium.documents.excel import Column, write_xlsx
from presidium.documents.official import Heading, OfficialDocument, Paragraph, Table, official_pdf
from presidium.documents.selectors import issuer_for
from presidium.documents.word import official_docx

TIERS = dict(Tier.choices)
GRADES = dict(Grade.choices)


def _rank(score) -> str:
    if score.rank is None:
        return "票数不足"
    return f"{score.rank}（并列）" if score.tied else str(score.rank)


def _num(value) -> str:
    return "—" if value is None else f"{value}"


def _columns(round_, grades: bool) -> list[Column]:
    columns = [Column("名次", _rank, 10), Column("单位", lambda s: s.unit.name, 24), Column("票数", "ballots", 8)]
    if grades:
        columns += [Column("满意", "satisfied", 8), Column("基本满意", "basic", 10), Column("不满意", "unsatisfied", 8),
                    Column("不满意率（%）", lambda s: s.unsatisfied_share if s.shown else None, 12),
                    Column("测评等次", lambda s: str(GRADES.get(s.grade, "")), 10)]
    columns += [Column("测评得分", "score", 10), Column("扣分", "deducted", 8), Column("总分", "total", 10),
                Column("档次", lambda s: str(TIERS.get(s.tier, "")), 8),
                Column("评议结果运用", lambda s: "；".join(s.outcomes), 30)]
    return columns


def results_xlsx(round_, scores) -> bytes:
    """The full results table of a round (every unit, with ballots, scores, deductions, rank and outcome)."""
    campaign = round_.campaign
    return write_xlsx(scores, _columns(round_, campaign.uses_grades), title=f"{campaign.title} {round_.label}评议结果",
                      sheet_name="评议结果")


def cumulative_xlsx(campaign, scores, label: str) -> bytes:
    columns = [Column("名次", _rank, 10), Column("单位", lambda s: s.unit.name, 24),
               Column("计入轮次", "rounds_counted", 10), Column("累计扣分", "deducted", 10),
               Column("平均总分", "total", 10), Column("档次", lambda s: str(TIERS.get(s.tier, "")), 8),
               Column("评议结果运用", lambda s: "；".join(s.outcomes), 30)]
    return write_xlsx(scores, columns, title=f"{campaign.title} {label}累计结果", sheet_name="累计结果")


def result_notice(round_, scores) -> OfficialDocument:
    """评议结果通报: what was evaluated and how, the ranked table, the outcomes, and what comes next."""
    campaign = round_.campaign
    issuer = issuer_for(campaign.township)
    ranked = [s for s in scores if s.rank is not None]
    missing = [s.unit.name for s in scores if s.rank is None]
    methods = "、".join(campaign.method_labels()) or "问卷测评"
    blocks: list = [Paragraph(
        f"按照{campaign.year}年度工作评议安排，本主席团组织代表采取{methods}等方式，对{len(scores)}个单位"
        f"{round_.label}的工作进行了评议。现将评议结果通报如下。"), Heading("一、评议结果")]
    if campaign.uses_grades:
        rows = [[_rank(s), s.unit.name, s.ballots, s.satisfied, s.basic, s.unsatisfied, f"{s.unsatisfied_share}%",
                 str(GRADES.get(s.grade, "—"))] for s in ranked]
        blocks.append(Table(["名次", "单位", "票数", "满意", "基本满意", "不满意", "不满意率", "等次"], rows,
                            widths=[2.2, 5, 1.6, 1.6, 2.2, 1.8, 2.2, 2.4],
                            align=["center", "left", "right", "right", "right", "right", "right", "center"]))
    else:
        rows = [[_rank(s), s.unit.name, _num(s.score), _num(s.deducted), _num(s.total), str(TIERS.get(s.tier, ""))]
                for s in ranked]
        blocks.append(Table(["名次", "单位", "测评得分", "扣分", "总分", "档次"], rows,
                            widths=[2.4, 6, 2.4, 2, 2.4, 1.8],
                            align=["center", "left", "right", "right", "right", "center"]))
    blocks.append(Paragraph("名次相同的为并列，其后的名次顺延。扣分依据群众投诉属实的信访件、逾期答复或代表评价不满意的"
                            "建议办理情况，以及主席团核定的其他扣分事项。", small=True, indent=False))
    if missing:
        blocks.append(Paragraph(f"{'、'.join(missing)}收到的有效票少于{campaign.min_ballots}张，本轮不公布其结果。",
                                small=True, indent=False))
    blocks.append(Heading("二、结果运用"))
    outcomes: dict[str, list[str]] = {}
    for s in ranked:
        for outcome in s.outcomes:
            outcomes.setdefault(outcome, []).append(s.unit.name)
    if outcomes:
        for outcome, names in outcomes.items():
            blocks.append(Paragraph(f"{'、'.join(names)}。", lead=f"{outcome}："))
    else:
        blocks.append(Paragraph("本轮评议结果作为年终综合评议的依据。"))
    blocks.append(Paragraph("各单位要对照代表提出的意见认真整改，整改情况将在年终“回头看”时逐项检查。"))
    return OfficialDocument(title=f"关于{campaign.year}年度{round_.label.removeprefix(f'{campaign.year}年')}"
                                  f"工作评议结果的通报", issuer=issuer.name, addressee="各站所、各有关单位：",
                            blocks=blocks, signature=issuer.name,
                            date=timezone.localdate(round_.published_at) if round_.published_at else None)


def notice_pdf(document: OfficialDocument) -> bytes:
    return official_pdf([document])


def notice_docx(document: OfficialDocument) -> bytes:
    return official_docx([document])
