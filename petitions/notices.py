"""The petition notices as official documents: every 告知书 / 意见书 to the petitioner and the 转办单 to the unit.

Each is described once on the floor's kit (:mod:`presidium.documents.official`) and printed as PDF or
Word from that description, like the proposals' 交办函: the township presidium's red masthead, the
发文字号 the notice was given when it was issued (``PetitionNotice.number``, numbered by
``petitions.services``' ``notice_issue``: printing never numbers anything), the addressee, the body,
the signature and the date in Chinese numerals. Nothing internal is printed: no timestamps, no
account names, no internal notes, no clock arithmetic.

Personal data. A notice to the petitioner is addressed to them and its body (``PetitionNotice.body``)
is the text as sent. The 转办单 carries the petitioner's name, phone, ID number and address **in
full**: the unit that handles the case has to reach the petitioner, and the issue and
``petitions.access.sees_petitioner_data`` give the unit the case is transferred to the full data. Both
are printed in full only for a viewer who may see the petitioner's data unmasked (the township's
staff, the current unit's liaisons), and each such print is logged; anyone else allowed to download
gets the masked form (the public body of a notice, masked fields on the form).

The text of official documents is Chinese whoever prints them: it is built under ``zh-hans``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation

from petitions.access import PetitionerView
from petitions.choices import NoticeKind
from petitions.models import Petition, PetitionNotice, PetitionTransfer
from presidium.documents.chinese import chinese_date
from presidium.documents.official import (
    FieldGrid,
    GridField,
    Heading,
    OfficialDocument,
    Paragraph,
    official_pdf,
)
from presidium.documents.selectors import issuer_for
from presidium.documents.word import official_docx

TRANSFER_RULES = [
    ("认真调查核实。", "承办单位应当指定责任人，听取信访人陈述，调查核实有关情况，依法依规提出处理意见。"),
    ("按期办结回复。", "请在办结期限内将办理情况（含调查认定、处理意见和化解情况）书面回复人大主席团；"
                      "情况复杂、确需延期的，应在期限届满前说明理由。"),
    ("保护个人信息。", "本单所载信访人个人信息仅用于办理本信访事项，不得向无关人员透露，不得将信访材料转给被反映人。"),
]
ANONYMOUS = "匿名"


def _date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in (text or "").splitlines() if line.strip()]


def notice_title(kind: str) -> str:
    """信访事项受理告知书 …; the 转办单 is 信访事项转办单."""
    with translation.override("zh-hans"):
        return f"信访事项{NoticeKind(kind).label}"


@dataclass(frozen=True)
class Printed:
    """A document's file: the bytes, the download name, and whether it carries unmasked personal data."""

    content: bytes
    filename: str


def notice_document(notice: PetitionNotice, *, full: bool, issuer=None) -> OfficialDocument:
    """One 告知书/意见书. ``full``: the body as sent (to the petitioner by name); else its public version."""
    petition = notice.petition
    issuer = issuer or issuer_for(petition.township)
    if notice.kind == NoticeKind.TRANSFER and notice.transfer_id:
        return transfer_document(notice.transfer, notice=notice, full=full, issuer=issuer)
    if full:
        addressee = notice.addressee or (ANONYMOUS + "信访人" if petition.anonymous else petition.name)
        blocks = _paragraphs(notice.body)
    else:
        view = PetitionerView(petition, unmasked=False)
        addressee = ANONYMOUS + "信访人" if petition.anonymous else (view.name or "信访人")
        blocks = _paragraphs(notice.public_body or "")
        if not blocks:
            blocks = [Paragraph("（本文书的公开文本尚未填写。）")]
    with translation.override("zh-hans"):
        return OfficialDocument(title=notice_title(notice.kind), issuer=issuer.name, number=notice.reference,
                                addressee=addressee, blocks=blocks, signature=issuer.name, date=notice.issued_on)


def transfer_notice(transfer: PetitionTransfer) -> PetitionNotice | None:
    """The 转办单 notice issued with ``transfer`` (its 发文字号), if any."""
    found = getattr(transfer, "transfer_notices", None)
    if found is not None:
        return found[0] if found else None
    return (transfer.notices.filter(kind=NoticeKind.TRANSFER).select_related("number").order_by("pk").first())


def transfer_document(transfer: PetitionTransfer, *, full: bool, notice: PetitionNotice | None = None,
                      issuer=None) -> OfficialDocument:
    """转办单: the matter, the petitioner, the owner and the due date, in a registration-form grid."""
    petition: Petition = transfer.petition
    issuer = issuer or issuer_for(petition.township)
    notice = notice if notice is not None else transfer_notice(transfer)
    person = PetitionerView(petition, unmasked=full)
    transferred_on = notice.issued_on if notice else timezone.localdate(transfer.transferred_at)
    with translation.override("zh-hans"):
        channel = petition.get_channel_display()
        if petition.referral_body:
            channel += f"（{petition.referral_body}{(' ' + petition.referral_number) if petition.referral_number else ''}）"
        people = f"{petition.people_count}人" + ("（集体访）" if petition.is_collective else "")
        rows = [
            [GridField("登 记 号", petition.registration_number), GridField("收到日期", _date(petition.received_on))],
            [GridField("信访渠道", channel), GridField("类　　别", petition.category.name if petition.category_id else "—")],
            [GridField("信 访 人", ANONYMOUS if petition.anonymous else (person.name or "—")),
             GridField("联系电话", person.mobile or "—")],
            [GridField("身份证号", person.id_number or "—"), GridField("人　　数", people)],
            [GridField("住　　址", person.address or "—"), GridField("所在村（社区）", petition.village or "—")],
            [GridField("信访事项", petition.subject, span=2)],
            [GridField("主要诉求", petition.content, span=2)],
            [GridField("受理日期", _date(petition.accepted_on) or "—"), GridField("转办日期", _date(transferred_on))],
            [GridField("责 任 人", transfer.owner_name), GridField("办结期限", _date(transfer.due_on))],
        ]
        if transfer.note:
            rows.append([GridField("转办意见", transfer.note, span=2)])
        blocks: list = [
            Paragraph(f"现将{petition.registration_number}信访事项转你单位办理，请于{_date(transfer.due_on)}前办结，"
                      f"并将办理情况书面回复{issuer.name}。"),
            FieldGrid(pairs=2, rows=rows),
            Heading("办理要求"),
            *[Paragraph(body, lead=f"{n}. {lead}") for n, (lead, body) in enumerate(TRANSFER_RULES, start=1)],
        ]
        return OfficialDocument(title=notice_title(NoticeKind.TRANSFER), issuer=issuer.name,
                                number=notice.reference if notice else "", addressee=transfer.unit.name,
                                blocks=blocks, signature=issuer.name, date=transferred_on)


def _filename(title: str, petition: Petition, suffix: str) -> str:
    return f"{title}-{petition.year}-{petition.number}.{suffix}"


def notice_file(notice: PetitionNotice, *, fmt: str, full: bool) -> Printed:
    """The notice as ``fmt`` ("pdf" or "docx")."""
    document = notice_document(notice, full=full)
    content = official_docx([document]) if fmt == "docx" else official_pdf([document])
    return Printed(content, _filename(document.title, notice.petition, fmt))


def transfer_file(transfer: PetitionTransfer, *, fmt: str, full: bool) -> Printed:
    """The 转办单 as ``fmt`` ("pdf" or "docx")."""
    document = transfer_document(transfer, full=full)
    content = official_docx([document]) if fmt == "docx" else official_pdf([document])
    return Printed(content, _filename(document.title, transfer.petition, fmt))


def public_date(value: dt.date | None) -> str:
    """The Chinese date as printed on notices (二〇二六年十月二日), for the public look-up."""
    return chinese_date(value) if value else ""
