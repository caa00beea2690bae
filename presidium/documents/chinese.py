"""Chinese numerals and dates as official documents write them (GB/T 9704: 二〇二六年十二月二日).

Two ways of writing a number: digit by digit with 〇 for years and document numbers
(2026 → 二〇二六), and the counting form for months, days and quantities (12 → 十二, 105 → 一百零五).
"""

from __future__ import annotations

import datetime as dt

_DIGITS = "〇一二三四五六七八九"
_COUNT_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ["", "十", "百", "千"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def chinese_digits(number: int) -> str:
    """Digit by digit, as years are written: 2026 → 二〇二六, 2000 → 二〇〇〇."""
    if number < 0:
        raise ValueError("chinese_digits takes a non-negative number")
    return "".join(_DIGITS[int(d)] for d in str(number))


def _below_ten_thousand(number: int) -> str:
    """1..9999 in the counting form; a zero between digits is read once (1005 → 一千零五)."""
    text, pending_zero = "", False
    for power in range(3, -1, -1):
        digit = number // 10**power % 10
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        text += _COUNT_DIGITS[digit] + _SMALL_UNITS[power]
    return text


def chinese_number(number: int) -> str:
    """The counting form: 0 零, 10 十, 12 十二, 20 二十, 105 一百零五, 2026 二千零二十六, 10001 一万零一."""
    if number < 0:
        raise ValueError("chinese_number takes a non-negative number")
    if number == 0:
        return "零"
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    if len(groups) > len(_BIG_UNITS):
        raise ValueError("number too large for chinese_number")
    text = ""
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        if text and group < 1000:
            text += "零"  # a gap inside the number: 一万零五百, 一亿零一
        text += _below_ten_thousand(group) + _BIG_UNITS[index]
    # 十二, not 一十二, when the number starts with ten (the way dates and ordinals are read).
    return text[1:] if text.startswith("一十") else text


def chinese_date(date: dt.date) -> str:
    """The date at an official document's signature: 2026-12-02 → 二〇二六年十二月二日."""
    return f"{chinese_digits(date.year)}年{chinese_number(date.month)}月{chinese_number(date.day)}日"
