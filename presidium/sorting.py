"""Sorting names by the number they carry: 第一、第二 … 第七、第十、第三十一 (not 第一、第七、第三十一、第三).

Constituencies and deputy groups are named by number, in Chinese numerals (第三十一选区) or digits
(第12代表小组); ``ORDER BY name`` puts 第七 before 第三 (code points). :func:`natural_sort_key` turns every
number in a name into a fixed-width decimal, so the key sorts as people count. The services store it
beside the name (``name_sort_key``) whenever the name is written, and lists order by it.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
WIDTH = 8  # up to 99,999,999: more than any name holds
_NUMBER = re.compile(r"[0-9０-９]+|[零〇一二两三四五六七八九十百千万]+")


def chinese_number(text: str) -> int | None:
    """The value of a run of Chinese numerals (三十一 → 31, 一百零五 → 105, 二〇二六 → 2026), or None.

    A run without a digit other than 十 at its head (万, 千 alone: 万家村) is not a number.
    """
    if not text or not (text[0] in DIGITS or text[0] == "十"):
        return None
    if len(text) > 1 and all(c in DIGITS for c in text):
        return int("".join(str(DIGITS[c]) for c in text))  # read digit by digit: 二〇二六
    total, section, number = 0, 0, 0
    for char in text:
        if char in DIGITS:
            number = DIGITS[char]
        elif char == "万":
            total += (section + number) * 10000
            section = number = 0
        else:
            section += (number or 1) * UNITS[char]
            number = 0
    return total + section + number


def natural_sort_key(name: str, *, max_length: int = 200) -> str:
    """``name`` with every number (digits or Chinese numerals) written as a zero-padded decimal."""

    def padded(match: re.Match) -> str:
        run = match.group(0)
        if run[0] in "0123456789０１２３４５６７８９":
            value = int(run.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        else:
            value = chinese_number(run)
            if value is None:
                return run
        return f"{min(value, 10 ** WIDTH - 1):0{WIDTH}d}"

    return _NUMBER.sub(padded, (name or "").strip())[:max_length]
