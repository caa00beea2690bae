"""The roster import's checks across rows: what the commit would refuse or create, said in the preview.

The commit (``deputies.importing.commit_roster``) creates constituencies, groups and stations named in
the sheet, fills constituency seats and updates matched deputies. Everything it would refuse is found
here first and put on the row, so "可以导入 N 行" is not followed by a failed commit; every name it would
create is shown as "将新建", with the nearest existing name when the new one looks like a typo of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.choices import TOWNSHIP_SEAT_LEVELS, DeputyLevel, DeputyStatus, GroupKind
from deputies.models import Constituency, Deputy, DeputyGroup, LiaisonStation
from deputies.selectors import in_term_q
from presidium.documents.parsers import normalize
from presidium.pinyin import syllables

MAX_SEATS = 3
WILL_CREATE = gettext_lazy("将新建")
_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_NUMBER = re.compile(r"[〇零一二两三四五六七八九十]+")
_GENERIC_WORDS = re.compile(r"(第|代表小组|代表大组|代表组|小组|组|代表联络站|联络站|联络点|代表之家|之家|工作室|选区|号|[-—_·.()（）])")


def name_key(name: str) -> str:
    """A name with its generic words dropped and numerals unified: "第一代表小组", "1组" and "一小组" meet."""
    return _CHINESE_NUMBER.sub(_arabic, _GENERIC_WORDS.sub("", normalize(name)))


def _arabic(match: re.Match) -> str:
    """一 → 1, 十二 → 12, 二十 → 20, 二十三 → 23 (group and constituency numbers stay below a hundred)."""
    text = match.group(0)
    if "十" not in text:
        return "".join(str(_DIGITS[c]) for c in text)
    tens, _sep, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return text
    return str(_DIGITS.get(tens, 1) * 10 + _DIGITS.get(units, 0))


def _sound(name: str) -> str:
    return " ".join(syllables(name_key(name)))


def nearest(name: str, candidates) -> str | None:
    """An existing name ``name`` is probably a typo of: same after dropping 第/组/小组…, or the same in pinyin."""
    key, sound = name_key(name), _sound(name)
    for candidate in candidates:
        if candidate == name:
            continue
        other = name_key(candidate)
        if other and other == key:
            return candidate
    for candidate in candidates:
        if candidate != name and sound and _sound(candidate) == sound:
            return candidate
    return None


@dataclass(frozen=True)
class _Kind:
    key: str
    noun: str
    model: type


_KINDS = (
    _Kind("constituency", gettext_lazy("选区"), Constituency),
    _Kind("group", gettext_lazy("代表小组"), DeputyGroup),
    _Kind("station", gettext_lazy("联络站"), LiaisonStation),
)


def check_roster_preview(schema, preview) -> None:
    """Add to the preview what the commit would refuse (errors) or create (notes and warnings)."""
    township = schema.township
    rows = [row for row in preview.rows if not row.errors]
    if township is None or not rows:
        return
    term = getattr(schema, "term", None)
    existing = {kind.key: {obj.name: obj for obj in kind.model.objects.filter(in_term_q(term), township=township)}
                for kind in _KINDS}
    matched: dict[int, Deputy | None] = {row.number: schema.match(row.values) for row in rows}
    _check_same_person(rows, matched)
    _check_organisation(preview, rows, existing)
    _check_seats(schema, [row for row in rows if not row.errors], matched, existing["constituency"])


def _check_same_person(rows, matched) -> None:
    by_deputy: dict[int, int] = {}
    by_name: dict[tuple, int] = {}
    for row in rows:
        deputy = matched[row.number]
        if deputy is not None:
            if deputy.pk in by_deputy:
                row.errors.append(_("与第 %(n)s 行对应的是同一名代表“%(d)s”，请删去重复的一行。")
                                  % {"n": by_deputy[deputy.pk], "d": deputy.name})
            by_deputy.setdefault(deputy.pk, row.number)
            continue
        birth = row.values.get("birth_date")
        if birth and not row.values.get("id_number"):
            key = (row.values["name"], birth.year, birth.month)
            if key in by_name:
                row.errors.append(_("与第 %(n)s 行姓名、出生年月相同，又都没有身份证号码，无法区分是否同一人。"
                                    "请删去重复的一行，或填写身份证号码。") % {"n": by_name[key]})
            by_name.setdefault(key, row.number)


def _check_organisation(preview, rows, existing) -> None:
    for kind in _KINDS:
        known = existing[kind.key]
        new_names: list[str] = []
        for row in rows:
            name = row.values.get(kind.key) or ""
            if not name:
                continue
            found = known.get(name)
            if found is not None:
                if kind.key == "group" and found.kind != GroupKind.SMALL:
                    row.errors.append(_("代表小组：“%(g)s”是代表大组，代表应编入其下的代表小组。") % {"g": name})
                continue
            row.cell_notes[kind.key] = str(WILL_CREATE)
            if name not in new_names:
                new_names.append(name)
            close = nearest(name, list(known)) or nearest(name, [n for n in new_names if n != name])
            if close:
                row.warnings.append(_("%(noun)s“%(n)s”系统中没有，将新建；它与%(where)s“%(c)s”相近，是否写错了？") % {
                    "noun": kind.noun, "n": name, "c": close,
                    "where": _("已有的") if close in known else _("本表中的")})
        if new_names:
            preview.notes.append(_("将新建%(noun)s %(count)s 个：%(names)s。请核对名称，写错的名称会建出重复的%(noun)s。") % {
                "noun": kind.noun, "count": len(new_names), "names": "、".join(new_names)})


def _check_seats(schema, rows, matched, constituencies) -> None:
    """After the import, no constituency may hold more serving township-level deputies than its seats."""
    sheet_rows: dict[str, list] = {}
    counted_deputies: set[int] = set()
    for row in rows:
        deputy = matched[row.number]
        level = row.values.get("level") or (deputy.level if deputy else DeputyLevel.TOWNSHIP)
        name = row.values.get("constituency") or (deputy.constituency.name if deputy and deputy.constituency_id
                                                  else "")
        if deputy is not None:
            counted_deputies.add(deputy.pk)
        if name and level in TOWNSHIP_SEAT_LEVELS:
            sheet_rows.setdefault(name, []).append(row)
    if not sheet_rows:
        return
    others: dict[int, list[str]] = {}
    for pk, constituency_id, name in (
        Deputy.objects.filter(in_term_q(getattr(schema, "term", None)), township=schema.township,
                              status=DeputyStatus.SERVING, level__in=TOWNSHIP_SEAT_LEVELS, constituency__isnull=False)
        .values_list("pk", "constituency_id", "name")
    ):
        if pk not in counted_deputies:
            others.setdefault(constituency_id, []).append(name)
    for name, in_sheet in sheet_rows.items():
        constituency = constituencies.get(name)
        staying = others.get(constituency.pk, []) if constituency else []
        seats = constituency.seats if constituency else MAX_SEATS
        total = len(in_sheet) + len(staying)
        if total <= seats:
            continue
        if constituency is None:
            message = _("选区“%(c)s”在表中有 %(n)d 名乡镇人大代表，超过了每个选区最多 3 名的规定。") % {
                "c": name, "n": total}
        else:
            message = _("选区“%(c)s”应选 %(seats)d 名代表，导入后将有 %(n)d 名在任代表（表中 %(s)d 名%(rest)s），"
                        "超过了名额。如名额登记有误，请先修改选区的应选名额。") % {
                "c": name, "seats": seats, "n": total, "s": len(in_sheet),
                "rest": _("，表外 %(m)d 名：%(names)s") % {"m": len(staying), "names": "、".join(staying)}
                if staying else ""}
        for row in in_sheet:
            row.errors.append(message)
