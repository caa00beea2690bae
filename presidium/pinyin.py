"""Pinyin for sorting and searching names: deputies' names, and the options of the shared pickers.

pypinyin reads surnames as ordinary words (曾→ceng, 单→dan, 解→jie, 查→cha, 仇→chou; STACK-NOTES),
so the surname — compound ones first — is read from an override map and the given name by
pypinyin. The result is stored by the services (never in ``save()``) in indexed columns:

* ``name_pinyin``: syllables separated by spaces, ``"zeng guo fan"`` — the sort key (a space sorts
  before any letter, so 李明 ``li ming`` comes before 林安 ``lin an``, as in a dictionary);
* ``name_initials``: ``"zgf"`` — typing ``zgf`` finds 曾国藩.
"""

from __future__ import annotations

import re

COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "诸葛": ("zhu", "ge"), "上官": ("shang", "guan"),
    "尉迟": ("yu", "chi"), "令狐": ("ling", "hu"), "单于": ("chan", "yu"), "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"), "皇甫": ("huang", "fu"), "东方": ("dong", "fang"), "慕容": ("mu", "rong"),
    "夏侯": ("xia", "hou"), "公孙": ("gong", "sun"), "宇文": ("yu", "wen"), "澹台": ("tan", "tai"),
    "司徒": ("si", "tu"), "西门": ("xi", "men"), "呼延": ("hu", "yan"), "端木": ("duan", "mu"),
}

# Single-character surnames whose surname reading differs from pypinyin's default reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "查": "zha", "仇": "qiu", "区": "ou", "朴": "piao",
    "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "乐": "yue", "尉": "yu", "华": "hua",
    "任": "ren", "沈": "shen", "种": "chong", "繁": "po", "员": "yun", "秘": "bi", "句": "gou",
    "重": "chong", "黑": "he", "相": "xiang", "么": "yao", "卜": "bu", "万": "wan", "阚": "kan",
    "藏": "zang", "都": "du", "长": "chang", "柏": "bai", "薄": "bo", "费": "fei", "过": "guo",
    "隗": "wei", "冼": "xian", "召": "shao", "殷": "yin", "宓": "mi", "逄": "pang", "谌": "chen",
    "哈": "ha", "奇": "qi", "能": "nai", "折": "she", "占": "zhan", "郇": "huan", "阿": "a",
}

_NON_LETTER = re.compile(r"[^a-z]")


def syllables(text: str) -> list[str]:
    """Plain pinyin syllables of any text (no surname readings): ``"东风"`` → ``["dong", "feng"]``."""
    # Imported here: its dictionaries take about 54 MB, loaded only by a process that reads a name (not by
    # a worker that only sends reminders or writes exports).
    from pypinyin import Style, lazy_pinyin

    if not text:
        return []
    result = []
    for item in lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: list(chars)):
        cleaned = _NON_LETTER.sub("", item.lower().replace("ü", "v"))
        if cleaned:
            result.append(cleaned)
    return result


def name_syllables(name: str) -> list[str]:
    """The reading of a person's name, surname first, as lower-case syllables without tones."""
    name = (name or "").strip().replace(" ", "").replace("·", "")
    if not name:
        return []
    for surname, reading in COMPOUND_SURNAMES.items():
        if name.startswith(surname) and len(name) > len(surname):
            return list(reading) + syllables(name[len(surname):])
    first = name[0]
    if first in SURNAME_READINGS:
        return [SURNAME_READINGS[first]] + syllables(name[1:])
    return syllables(name)


def name_pinyin(name: str) -> str:
    return " ".join(name_syllables(name))[:120]


def name_initials(name: str) -> str:
    return "".join(s[0] for s in name_syllables(name))[:20]


def looks_like_pinyin(query: str) -> bool:
    """True for Latin-letter queries ("zs", "zhang san"), which search the pinyin columns."""
    return bool(query) and bool(re.fullmatch(r"[A-Za-z ]+", query))


def normalize_pinyin_query(query: str) -> str:
    return re.sub(r"[^a-z]", "", query.lower())


def search_reading(text: str, *, person: bool = False) -> tuple[str, str]:
    """(full pinyin without spaces, initials) for matching typed Latin letters: 张三 → ("zhangsan", "zs").

    ``person`` reads the first characters as a surname (单 shan, 曾 zeng); unit and place names are read
    as ordinary words. Used by :class:`presidium.widgets.SearchableSelectMultiple` for its options.
    """
    parts = name_syllables(text) if person else syllables(text or "")
    return "".join(parts)[:200], "".join(s[0] for s in parts)[:40]
