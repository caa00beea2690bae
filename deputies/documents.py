"""The duty registration card (履职登记卡): one deputy's year on paper, as PDF or Word.

A printed card shows only data: the registration grid with the deputy's photo (or an empty framed
box "照片" to paste one in), then each archive section that has a source, with its figures and
rows. A section whose app is not installed yet ("暂无数据来源") is left out, and so are the
screen's prompts (the "三不代表" hint, "仅列前 20 条"): the card lists every row of the year. An
section with nothing recorded says "无". It is described once with the floor's official-document kit
(:mod:`presidium.documents.official`) and printed from that description as PDF or Word.

The archive's sections are gathered under ``zh-hans``: the providers label their figures with
``gettext`` at call time, and a card is Chinese whoever prints it.
"""

from __future__ import annotations

import logging

from django.utils import translation

from deputies.archive import ArchiveSection, build_archive
from presidium.documents.chinese import chinese_number
from presidium.documents.official import (
    FieldGrid,
    GridField,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)

logger = logging.getLogger(__name__)


def _dash(value) -> str:
    return str(value) if value not in (None, "") else "—"


def _photo(deputy) -> bytes | None:
    """The deputy's photo (stored re-encoded as JPEG), or None if there is none or it cannot be read."""
    if not deputy.photo:
        return None
    try:
        with deputy.photo.open("rb") as handle:
            return handle.read()
    except OSError:
        # A card without its photo is still a card; the box stays empty for a printed one.
        logger.warning("photo of deputy %s could not be read", deputy.pk, exc_info=True)
        return None


def _registration_grid(deputy, *, show_personal: bool) -> FieldGrid:
    mobile = deputy.mobile if show_personal else deputy.masked_mobile
    return FieldGrid(pairs=2, photo=_photo(deputy), photo_box=True, photo_rows=4, rows=[
        [GridField("姓　　名", deputy.name), GridField("性　　别", deputy.get_gender_display())],
        [GridField("民　　族", deputy.get_ethnicity_display()),
         GridField("出生年月", f"{deputy.birth_date:%Y.%m}" if deputy.birth_date else "—")],
        [GridField("政治面貌", deputy.get_affiliation_display()),
         GridField("文化程度", _dash(deputy.get_education_display()))],
        [GridField("代表层级", deputy.get_level_display()), GridField("界　　别", deputy.get_sector_display())],
        [GridField("单位职务", _dash(deputy.work_unit_and_post), span=2)],
        [GridField("选　　区", deputy.constituency.name if deputy.constituency_id else "—"),
         GridField("代表小组", deputy.group.name if deputy.group_id else "—")],
        [GridField("联 络 站", deputy.station.name if deputy.station_id else "—"), GridField("手　　机", _dash(mobile))],
    ])


def _count_text(label, value) -> str:
    if hasattr(value, "year"):
        value = f"{value:%Y-%m-%d}"
    return f"{label}：{value}"


def _section_blocks(number: int, section: ArchiveSection, *, extra_counts: list[str] = ()) -> list:
    blocks: list = [Heading(f"{chinese_number(number)}、{section.title}")]
    counts = [_count_text(label, value) for label, value in section.counts.items()] + list(extra_counts)
    if counts:
        blocks.append(Paragraph("；".join(counts) + "。"))
    if section.text:
        blocks.append(Paragraph(section.text))
    if section.rows:
        blocks.append(Table(
            ["日期", "事项", "说明"],
            [[f"{row.date:%Y-%m-%d}" if row.date else "—", row.title,
              " ".join(part for part in (row.detail, row.status) if part) or "—"] for row in section.rows],
            widths=[2.6, 7, 5], align=["center", "left", "left"]))
    if len(blocks) == 1:  # nothing recorded at all
        blocks.append(Paragraph("无。"))
    return blocks


def archive_card_document(deputy, year: int, *, viewer, show_personal: bool, progress=None) -> OfficialDocument:
    """The card of ``deputy`` for ``year`` as ``viewer`` may see it (``show_personal``: the full mobile number)."""
    with translation.override("zh-hans"):
        sections = [s for s in build_archive(deputy, year, viewer=viewer) if s.available]
        blocks: list = [_registration_grid(deputy, show_personal=show_personal)]
        for number, section in enumerate(sections, start=1):
            extra = []
            if section.key == "visits" and progress is not None and progress.target:
                extra.append(f"年度目标：走访{progress.visits_target}次、联系选民{progress.people_target}人")
            blocks += _section_blocks(number, section, extra_counts=extra)
        township = deputy.township
        subtitle = f"{township.county.name}{township.name}" + (f"　{deputy.term}" if deputy.term_id else "")
    return OfficialDocument(
        title=f"{year}年度人大代表履职登记卡", masthead=False, subtitle=subtitle, blocks=blocks,
        issuer=f"{township.name}人大主席团", signature=f"{township.name}人大主席团（盖章）", date_blank=True,
    )
