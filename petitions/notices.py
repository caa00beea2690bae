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
import re
from dataclasses import dataclass

from django.utils import timezone, translation

from petitions.access import PetitionerView
from petitions.choices import NoticeKind
from petitions.models import Petition, PetitionNotice, PetitionTransfer
from presidium.documents.chinese import chinese_date
from presidium.documents.official import (
    FieldGrid,
    GridField,
    OfficialDocument,
    Paragraph,
    official_pdf,
)
from presidium.documents.selectors import issuer_for
from presidium.documents.word import official_docx

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]"
_SPACE_BY_CJK = re.compile(rf"(?<={_CJK}) +| +(?={_CJK})")
ANONYMOUS = "匿名"


def _date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def printed_text(text: str) -> str:
    """A stored text as an official document prints it: dates in Chinese (2026年12月3日, not 2026-12-03)
    and no spaces between Chinese and digits (GB/T 15834); the words themselves are untouched."""
    text = _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)
    return _SPACE_BY_CJK.sub("", text)


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(printed_text(line.strip())) for line in (text or "").splitlines() if line.strip()]


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
            [GridField("登 记 号", petition.registration_number), GridField("收到日期", _date(petition.received_on)),
             GridField("信访渠道", channel)],
            [GridField("信 访 人", ANONYMOUS if petition.anonymous else (person.name or "—")),
             GridField("联系电话", person.mobile or "—"), GridField("人　　数", people)],
            [GridField("身份证号", person.id_number or "—", span=2), GridField("所在村", petition.village or "—")],
            [GridField("住　　址", person.address or "—", span=2),
             GridField("类　　别", petition.category.name if petition.category_id else "—")],
            [GridField("信访事项", petition.subject, span=3)],
            [GridField("主要诉求", petition.content, span=3)],
            [GridField("受理日期", _date(petition.accepted_on) or "—"), GridField("责 任 人", transfer.owner_name),
             GridField("办结期限", _date(transfer.due_on))],
        ]
        if transfer.note:
            rows.append([GridField("转办意见", transfer.note, span=3)])
        rows.append([GridField("办理要求", f"请于{_date(transfer.due_on)}前办结，并书面回复办理情况。", span=3)])
        # A 转办单 is a form: the issuing body (盖章) and the date are its last row, so they never stand alone on
        # a page after a long matter (a signature block after a table could).
        rows.append([GridField("转办机关", f"{issuer.name}（盖章）", span=3)])
        rows.append([GridField("转办日期", chinese_date(transferred_on), span=3)])
        return OfficialDocument(title=notice_title(NoticeKind.TRANSFER), issuer=issuer.name,
                                number=notice.reference if notice else "", addressee=transfer.unit.name,
                                blocks=[FieldGrid(pairs=3, rows=rows)])


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
