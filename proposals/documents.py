"""Documents: the assignment letter (交办函) to a unit, batches of them, and the township's handling report.

Each is described once as an official document of the floor's kit
(:mod:`presidium.documents.official`) and printed as PDF or Word from that description. The letter
follows GB/T 9704 (red masthead, 发文字号 numbered per year and kept once given, Chinese date at the
signature). The report opens with a written summary of the same figures the figures page shows
(one computation: :func:`proposals.selectors.rates` and friends), then its tables; the full list
goes to the Excel ledger (STACK-NOTES: big PDF tables are slow), so the PDF's table is capped and
says so.

Official documents are Chinese whoever prints them, like the ledgers: their text is plain Chinese here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from presidium.documents.chinese import chinese_number
from presidium.documents.official import (
    FieldGrid,
    GridField,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    official_pdf,
)
from presidium.documents.selectors import issuer_for
from presidium.documents.services import NumberRequest, document_numbers_issue
from presidium.documents.word import official_docx
from presidium.models import HandlingUnit
from proposals.choices import ASSIGNED_OR_LATER, SuggestionKind
from proposals.models import Cosignature, CoUnit, Suggestion
from proposals.selectors import flagged_units, in_period, rates, rates_by_unit

REPORT_TABLE_LIMIT = 300
LETTER_KIND = "proposals.assignment_letter"
HOLIDAY_NOTE = "如遇法定节假日调整，以通知为准"
LETTER_RULES = [
    ("先面商、再答复。", "交办后、办理中、答复前应与领衔代表见面（“三见面”），未经面商的不得答复。"),
    ("按期书面答复。", "答复须经单位负责人签发，并注明办理结果：A 类已解决或采纳；B 类正在解决或列入计划"
                      "（写明承诺解决时间）；C 类因条件限制暂不能解决（说明原因）。"),
    ("及时申请延期。", "一时办不到的，应在期限届满前提出延期申请，写明最迟办理时间和办理措施。"),
    ("不满意的重新办理。", "代表对答复不满意的，重新办理并再次答复，直至问题解决、代表满意。"
                          "协办单位的意见送主办单位，由主办单位统一答复。"),
]


def _date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


# --- the assignment letter (交办函) ------------------------------------------------------------------


def letters_queryset(queryset: QuerySet) -> QuerySet:
    """What a letter reads, for any number of items in a fixed number of queries."""
    return (
        queryset.filter(assigned_at__isnull=False, lead_unit__isnull=False)
        .select_related("township", "lead_unit", "lead_deputy", "category")
        .prefetch_related(
            Prefetch("co_unit_links", queryset=CoUnit.objects.filter(released_at__isnull=True)
                     .select_related("unit").order_by("pk"), to_attr="current_co_units"),
            Prefetch("cosignatures", queryset=Cosignature.objects.filter(confirmed_at__isnull=False)
                     .select_related("deputy").order_by("pk"), to_attr="confirmed_cosignatures"),
        )
        .order_by("-kind", F("serial_year").asc(nulls_last=True), F("serial_number").asc(nulls_last=True), "pk")
    )


def letter_variant(suggestion: Suggestion) -> str:
    """One letter per assignment: a 改办 to another unit (a new ``assigned_at``) is a new letter and number."""
    return "assigned:" + suggestion.assigned_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S%f")


def _number_request(suggestion: Suggestion) -> NumberRequest:
    return NumberRequest(subject=suggestion, year=timezone.localdate(suggestion.assigned_at).year,
                         variant=letter_variant(suggestion), title=f"交办函：{suggestion.title}"[:200])


def _co_units(suggestion: Suggestion) -> list[str]:
    links = getattr(suggestion, "current_co_units", None)
    if links is None:
        links = suggestion.co_unit_links.filter(released_at__isnull=True).select_related("unit").order_by("pk")
    return [link.unit.name for link in links]


def _cosigners(suggestion: Suggestion) -> list[str]:
    signatures = getattr(suggestion, "confirmed_cosignatures", None)
    if signatures is None:
        signatures = suggestion.cosignatures.filter(confirmed_at__isnull=False).select_related("deputy")
    return [c.deputy.name for c in signatures]


def assignment_letter_document(suggestion: Suggestion, *, number: str, issuer) -> OfficialDocument:
    """交办函: what the unit is asked to handle, by when, how it will be supervised, and the rules."""
    kind = "议案" if suggestion.kind == SuggestionKind.MOTION else "建议"
    co_units = _co_units(suggestion)
    cosigners = _cosigners(suggestion)
    assigned_on = timezone.localdate(suggestion.assigned_at)
    if suggestion.lead_deputy_id:
        lead = suggestion.lead_deputy.name
        who = f"{lead}代表" + (f"等{chinese_number(len(cosigners) + 1)}名代表联名" if cosigners else "")
    else:
        lead, who = "主席团", "主席团"
    serial = f"（第{suggestion.serial}号）" if suggestion.serial else ""
    deadline = _date(suggestion.deadline)
    deadline_text = f"{deadline}（{HOLIDAY_NOTE}）" if suggestion.deadline_provisional else deadline
    opening = (f"现将{who}提出的《{suggestion.title}》{serial}交由你单位主办"
               + (f"，{'、'.join(co_units)}协办" if co_units else "")
               + f"，请认真研究办理，并于{deadline}前书面答复代表。")
    if suggestion.deadline_provisional:
        opening += f"{HOLIDAY_NOTE}。"
    supervision = suggestion.get_supervision_mode_display() or "—"
    if suggestion.is_key:
        supervision += f"（重点{kind}，{suggestion.leading_leader}领办）"
    blocks: list = [
        Paragraph(opening),
        FieldGrid(pairs=2, rows=[
            [GridField("编　　号", suggestion.serial or "—"), GridField("类　　别",
                                                                 suggestion.category.name if suggestion.category_id else "—")],
            [GridField("标　　题", suggestion.title, span=2)],
            [GridField("领衔代表", lead), GridField("联名代表", "、".join(cosigners) or "—")],
            [GridField("主办单位", suggestion.lead_unit.name), GridField("协办单位", "、".join(co_units) or "—")],
            [GridField("分管领导", suggestion.responsible_leader or "—"), GridField("督办方式", supervision)],
            [GridField("交办日期", _date(assigned_on)), GridField("办理期限", deadline_text)],
        ]),
    ]
    sections = [("内容和理由", suggestion.content)]
    if suggestion.measures:
        sections.append(("具体建议", suggestion.measures))
    if suggestion.assignment_note:
        sections.append(("交办意见", suggestion.assignment_note))
    sections.append(("办理要求", None))
    for index, (heading, text) in enumerate(sections, start=1):
        blocks.append(Heading(f"{chinese_number(index)}、{heading}"))
        if text is None:
            blocks += [Paragraph(body, lead=f"（{chinese_number(n)}）{lead_in}")
                       for n, (lead_in, body) in enumerate(LETTER_RULES, start=1)]
        else:
            blocks += [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]
    return OfficialDocument(
        title=f"关于交办代表{kind}的函", issuer=issuer.name, number=number, addressee=suggestion.lead_unit.name,
        blocks=blocks, signature=issuer.name, date=assigned_on, copy_to="、".join(co_units),
    )


def assignment_letters(suggestions: Iterable[Suggestion], *, by) -> list[OfficialDocument]:
    """The letters of ``suggestions`` (loaded through :func:`letters_queryset`), in their order.

    A letter's 发文字号 is given the first time it is printed (in the order of ``suggestions``)
    and is the same on every reprint.
    """
    suggestions = list(suggestions)
    numbers: dict[int, str] = {}
    issuers: dict[int, object] = {}
    for township_id in dict.fromkeys(s.township_id for s in suggestions):
        mine = [s for s in suggestions if s.township_id == township_id]
        issuers[township_id] = issuer_for(mine[0].township)
        given = document_numbers_issue(township=mine[0].township, kind=LETTER_KIND, by=by,
                                       code=issuers[township_id].code,
                                       requests=[_number_request(s) for s in mine])
        numbers.update({s.pk: n.text for s, n in zip(mine, given, strict=True)})
    return [assignment_letter_document(s, number=numbers[s.pk], issuer=issuers[s.township_id])
            for s in suggestions]


def assignment_letter_pdf(suggestion: Suggestion, *, by=None) -> bytes:
    return official_pdf(assignment_letters([suggestion], by=by))


def assignment_letter_docx(suggestion: Suggestion, *, by=None) -> bytes:
    return official_docx(assignment_letters([suggestion], by=by))


def letter_batch(queryset: QuerySet, *, session_name: str = "", assigned_on: dt.date | None = None) -> QuerySet:
    """The items whose letters a batch prints: assigned ones of one session, or assigned on one day."""
    queryset = queryset.filter(status__in=sorted(ASSIGNED_OR_LATER))
    if session_name:
        queryset = queryset.filter(session_name=session_name)
    if assigned_on:
        # The day in Asia/Shanghai (USE_TZ): __date converts in the current time zone.
        queryset = queryset.filter(assigned_at__date=assigned_on)
    return letters_queryset(queryset)


@dataclass(frozen=True)
class LetterFile:
    filename: str
    content: bytes


def letter_batch_file(suggestions: Iterable[Suggestion], *, label: str, fmt: str, by,
                      progress=None) -> LetterFile:
    """All the letters as one PDF or one .docx; ``progress(done)`` after each letter is described."""
    documents = []
    for done, document in enumerate(assignment_letters(suggestions, by=by), start=1):
        documents.append(document)
        if progress:
            progress(done)
    if fmt == "docx":
        return LetterFile(f"交办函-{label}.docx", official_docx(documents))
    return LetterFile(f"交办函-{label}.pdf", official_pdf(documents, title=f"交办函（{label}）"))


# --- the handling report -----------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def report_summary(figures, *, flagged: list[str], overdue_units: list[tuple[str, int]], start: dt.date,
                   end: dt.date) -> list[Paragraph]:
    """The written summary that opens the report, from the figures the figures page computes."""
    period = f"{_date(start)}至{_date(end)}"
    paragraphs = [Paragraph(
        f"{period}，共收到代表议案建议{figures.total}件，已交办{figures.assigned}件，已答复{figures.replied}件，"
        f"已办结{figures.closed}件。办复率{_pct(figures.reply_rate)}，见面率{_pct(figures.consultation_rate)}，"
        f"满意率{_pct(figures.satisfaction_rate)}，解决率{_pct(figures.solved_rate)}。")]
    late = "、".join(f"{name}{n}件" for name, n in overdue_units)
    overdue = (f"目前逾期未答复{figures.overdue}件" + (f"（{late}）" if late else "") + "，已督促承办单位尽快办理。"
               if figures.overdue else "目前没有逾期未答复的事项。")
    if flagged:
        overdue += (f"{'、'.join(flagged)}本年度代表不满意的办理结果超过两件，按规定取消其年度评先资格。")
    paragraphs.append(Paragraph(overdue))
    return paragraphs


def handling_report_document(township, start: dt.date, end: dt.date, *, issuer=None) -> OfficialDocument:
    """The township's handling report for [start, end]: a written summary, then per-unit figures and the items."""
    issuer = issuer or issuer_for(township)
    items = in_period(Suggestion.objects.filter(township=township), start, end)
    figures = rates(items)
    units = rates_by_unit(items)
    flagged = flagged_units(township_ids=[township.pk], year=end.year)
    table = list(
        items.exclude(status__in=["draft", "withdrawn"]).select_related("lead_deputy", "lead_unit", "category")
        .order_by("-kind", F("serial_year").asc(nulls_last=True), F("serial_number").asc(nulls_last=True), "pk")
        [: REPORT_TABLE_LIMIT + 1]
    )
    truncated = len(table) > REPORT_TABLE_LIMIT
    flagged_names = list(HandlingUnit.objects.filter(pk__in=sorted(flagged)).order_by("name")
                         .values_list("name", flat=True))
    overdue_units = [(unit.name, r.overdue) for unit, r in sorted(units, key=lambda p: -p[1].overdue) if r.overdue]
    blocks: list = [Heading("一、总体情况"),
                    *report_summary(figures, flagged=flagged_names, overdue_units=overdue_units, start=start, end=end),
                    Table(["办复率", "见面率", "满意率", "解决率", "按期答复率", "当前逾期"],
                          [[_pct(figures.reply_rate), _pct(figures.consultation_rate), _pct(figures.satisfaction_rate),
                            _pct(figures.solved_rate), _pct(figures.on_time_rate), figures.overdue]],
                          align=["center"] * 6),
                    Paragraph("办复率＝已答复/已交办；见面率＝已面商/已交办；满意率＝（满意＋基本满意）/已评价；"
                              "解决率＝A 类/已答复。", small=True, indent=False),
                    Heading("二、各承办单位办理情况")]
    unit_rows = [[unit.name, r.assigned, _pct(r.reply_rate), _pct(r.consultation_rate), _pct(r.satisfaction_rate),
                  _pct(r.solved_rate), r.overdue, "取消" if unit.pk in flagged else "—"] for unit, r in units]
    if unit_rows:
        blocks.append(Table(["承办单位", "交办", "办复率", "见面率", "满意率", "解决率", "逾期", "评先资格"], unit_rows,
                            widths=[5, 1.6, 2, 2, 2, 2, 1.6, 2.2],
                            align=["left", "right", "right", "right", "right", "right", "right", "center"]))
    else:
        blocks.append(Paragraph("本期没有交办的事项。"))
    blocks.append(Heading("三、议案建议办理情况一览"))
    blocks.append(Table(
        ["编号", "标题", "领衔", "主办单位", "期限", "状态", "结果", "满意度"],
        [[s.serial or "—", s.title, s.lead_deputy.name if s.lead_deputy_id else "主席团",
          s.lead_unit.name if s.lead_unit_id else "—", f"{s.deadline:%Y-%m-%d}" if s.deadline else "—",
          s.get_status_display(), s.result_class or "—", s.get_satisfaction_display() or "—"]
         for s in table[:REPORT_TABLE_LIMIT]],
        widths=[3.2, 5.6, 2.2, 3.6, 3.4, 2.8, 2, 2.4],
        align=["center", "left", "center", "left", "center", "center", "center", "center"]))
    if truncated:
        blocks.append(Paragraph(f"表中只列出前{REPORT_TABLE_LIMIT}件，完整清单请从系统导出 Excel 台账。",
                                small=True, indent=False))
    return OfficialDocument(
        title=f"{township.name}代表议案建议办理情况报告", issuer=issuer.name, masthead=False,
        subtitle=f"（{_date(start)}—{_date(end)}）", blocks=blocks, signature=issuer.name,
        date=timezone.localdate(),
    )


def handling_report_pdf(township, start: dt.date, end: dt.date) -> bytes:
    return official_pdf([handling_report_document(township, start, end)])


def handling_report_docx(township, start: dt.date, end: dt.date) -> bytes:
    return official_docx([handling_report_document(township, start, end)])


# --- the batch as a document job (more than LETTER_BATCH_INLINE letters) -------------------------------
LETTER_BATCH_INLINE = 50
LETTER_BATCH_JOB = "proposals.assignment_letters"


def batch_label(*, session_name: str = "", assigned_on: dt.date | None = None) -> str:
    parts = [session_name] if session_name else []
    if assigned_on:
        parts.append(f"{assigned_on:%Y%m%d}交办")
    return "-".join(parts) or "交办函"


def _register_batch_job() -> None:
    from django.utils.translation import gettext, gettext_lazy

    from presidium.documents.jobs import register_job
    from presidium.models import Township

    @register_job(LETTER_BATCH_JOB, title=gettext_lazy("交办函（批量）"))
    def assignment_letter_batch(job, params, progress) -> tuple[str, bytes]:
        township = Township.objects.get(pk=params["township_id"])
        assigned_on = dt.date.fromisoformat(params["assigned_on"]) if params.get("assigned_on") else None
        items = list(letter_batch(Suggestion.objects.filter(township=township),
                                  session_name=params.get("session_name", ""), assigned_on=assigned_on))
        total = len(items) + 1  # the last step is laying out the file
        progress(0, total, gettext("正在编排交办函…"))
        letters = letter_batch_file(items, label=batch_label(session_name=params.get("session_name", ""),
                                                             assigned_on=assigned_on),
                                    fmt=params.get("fmt", "pdf"), by=job.requested_by,
                                    progress=lambda done: progress(done, total))
        progress(total, total)
        return letters.filename, letters.content


_register_batch_job()
