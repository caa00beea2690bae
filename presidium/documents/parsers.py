"""Cell parsers for spreadsheet imports: turn what offices actually type into clean values.

Every parser takes one cell value as openpyxl read it (``None``, ``str``, ``int``, ``float``,
``datetime``, ``bool``) and returns the parsed value, or raises ``ValidationError`` with a Chinese
message that names what was found and how to write it. A blank cell is passed as ``None`` and gives
the parser's empty value (``""`` for text, ``None`` otherwise); "required" is checked by the reader.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Choices
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

Parser = Callable[[Any], Any]

_SPACES = re.compile(r"\s+")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalize(text: Any) -> str:
    """Full-width to half-width, no whitespace at all, lower case: for matching, never for storing."""
    if text is None:
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def _shown(value: Any) -> str:
    """A cell value as the user saw it, for error messages (13812345678.0 → 13812345678)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.strftime("%Y-%m-%d %H:%M")
    return str(value).strip()


def _number_to_text(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_text(value: Any) -> str:
    """Text as typed, trimmed (including the ideographic space). Numbers lose a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return _number_to_text(value)
    if isinstance(value, dt.datetime):
        return _shown(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().strip("\u3000").strip()


def parse_name(value: Any) -> str:
    """A person's name: rosters pad two-character names for alignment ("王  芳"), so drop all spaces."""
    return _SPACES.sub("", parse_text(value).replace("\u3000", ""))


def parse_int(value: Any) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("请填写整数，而不是“%(v)s”。") % {"v": _shown(value)})
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValidationError(_("请填写整数，而不是“%(v)s”。") % {"v": _shown(value)})
    text = normalize(value).replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text)) if "." in text else int(text)
    raise ValidationError(_("请填写整数，而不是“%(v)s”。") % {"v": _shown(value)})


# --- dates --------------------------------------------------------------------------------------


def _bad_date(value: Any) -> ValidationError:
    return ValidationError(_("无法识别日期“%(v)s”，请写成 1975-03-01、1975年3月1日、1975.03 或 1975年3月。")
                           % {"v": _shown(value)})

_YMD = re.compile(r"^(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_TIME_SUFFIX = re.compile(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_EXCEL_SERIAL = range(10_000, 80_000)  # 1927-05-18 .. 2119-01-08, far from 197503-style numbers


def _make_date(year: int, month: int, day: int | None, shown: str) -> dt.date:
    if not 1900 <= year <= 2100:
        raise ValidationError(_("日期“%(v)s”的年份不在 1900—2100 之间。") % {"v": shown})
    if not 1 <= month <= 12:
        raise ValidationError(_("日期“%(v)s”的月份不对（应为 1—12）。") % {"v": shown})
    try:
        return dt.date(year, month, day or 1)
    except ValueError:
        raise ValidationError(_("日期“%(v)s”不存在（%(y)s年%(m)s月没有%(d)s日）。")
                              % {"v": shown, "y": year, "m": month, "d": day}) from None


def parse_date(value: Any) -> dt.date | None:
    """Dates as offices type them. Month-only values ("1975.03", "1975年3月") give the 1st of the month.

    A number typed into a General cell is read by its digits: 1975.03 → March 1975, 197503 and
    19750301 likewise, 27454 as an Excel date serial (a date cell that lost its format). 1975.1 is
    refused: Excel stores "1975.10" (October) as 1975.1, so January and October cannot be told apart.
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise _bad_date(value)
    if isinstance(value, float) and not value.is_integer():
        year = int(value)
        month = round((value - year) * 100)
        if abs((value - year) * 100 - month) > 1e-6:
            raise _bad_date(value)
        if month == 10 and 1900 <= year <= 2100:
            raise ValidationError(
                _("“%(v)s”无法确定是 1 月还是 10 月（Excel 会把 %(y)s.10 存成 %(y)s.1）。请写成 %(y)s.01 或 "
                  "%(y)s.10，并把单元格设为“文本”格式。") % {"v": _shown(value), "y": year}
            )
        return _make_date(year, month, None, _shown(value))
    if isinstance(value, int | float):
        number = int(value)
        if number in _EXCEL_SERIAL:
            return from_excel(number).date()
        value = str(number)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _TIME_SUFFIX.sub("", text)  # "1975-03-01 00:00:00" from a system export
    text = normalize(text)
    match = _YMD.match(text) or _COMPACT.match(text)
    if not match:
        raise _bad_date(value)
    year, month, day = match.group(1), match.group(2), match.group(3)
    return _make_date(int(year), int(month), int(day) if day else None, _shown(value))


# --- phone numbers ------------------------------------------------------------------------------
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}[2-9]\d{6,7}$")  # area code + local number
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")  # a local number without the area code
_PHONE_JUNK = re.compile(r"[\s\-－—–()（）]")


def parse_phone(value: Any) -> str:
    """A mainland mobile (11 digits) or landline number, digits only.

    A number cell (13812345678.0) is read as its digits; spaces, dashes and brackets are dropped;
    a "+86"/"86" prefix is removed from mobiles.
    """
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        raise ValidationError(_("电话号码“%(v)s”不对。") % {"v": _shown(value)})
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError(_("电话号码“%(v)s”不对，请把单元格设为“文本”格式后重新填写。") % {"v": _shown(value)})
        digits = str(int(value))
        # A landline typed as a number loses its leading 0 (0791… → 791…): put it back.
        if _LANDLINE.match("0" + digits) and not _MOBILE.match(digits):
            digits = "0" + digits
    else:
        digits = _PHONE_JUNK.sub("", unicodedata.normalize("NFKC", str(value)))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not digits.isdigit():
        raise ValidationError(_("电话号码“%(v)s”只能包含数字（每格只填一个号码）。") % {"v": _shown(value)})
    if digits.startswith("1"):
        if _MOBILE.match(digits):
            return digits
        raise ValidationError(_("手机号码“%(v)s”应为 11 位数字，以 13—19 开头。") % {"v": _shown(value)})
    if _LANDLINE.match(digits) or _LOCAL.match(digits):
        return digits
    raise ValidationError(_("电话号码“%(v)s”不对：手机为 11 位，座机为区号加 7—8 位号码（如 0791-88886666）。")
                          % {"v": _shown(value)})


# --- yes/no -------------------------------------------------------------------------------------
_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "对"}
_FALSE = {"否", "×", "✗", "✘", "x", "n", "no", "false", "0", "无", "不是"}


def parse_bool(value: Any) -> bool | None:
    """是/否, √/×, Y/N (and a few more). Blank gives None: the caller decides the default."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    key = normalize(_number_to_text(value) if isinstance(value, int | float) else value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(_("“%(v)s”请填写“是”或“否”（也可以用 √/×、Y/N）。") % {"v": _shown(value)})


# --- choices ------------------------------------------------------------------------------------
class ChoiceParser:
    """Parse a label, a value code or a synonym into the choice's value. ``label(value)`` for display."""

    def __init__(self, choices: type[Choices] | Iterable[tuple[Any, Any]],
                 synonyms: Mapping[str, Any] | None = None):
        pairs = list(choices.choices if isinstance(choices, type) and issubclass(choices, Choices) else choices)
        self.labels: dict[Any, str] = {value: str(label) for value, label in pairs}
        self._lookup: dict[str, Any] = {}
        for value, label in pairs:
            self._lookup[normalize(value)] = value
            text = str(label)
            self._lookup[normalize(text)] = value
            # "村（社区）" is also typed as "村(社区)" or plain "村": both already normalise alike;
            # the parts around a bracket are offered as synonyms only when unambiguous.
            for part in re.split(r"[()（）/、]", text):
                key = normalize(part)
                if key and key not in self._lookup:
                    self._lookup[key] = value
        for word, value in (synonyms or {}).items():
            if value not in self.labels:
                raise ValueError(f"synonym {word!r} points to unknown choice {value!r}")
            self._lookup[normalize(word)] = value

    def __call__(self, value: Any) -> Any:
        if is_blank(value):
            return None
        key = normalize(_number_to_text(value) if isinstance(value, int | float) else value)
        if key in self._lookup:
            return self._lookup[key]
        allowed = "、".join(self.labels.values())
        raise ValidationError(_("“%(v)s”不是可选的值，请填写：%(all)s。") % {"v": _shown(value), "all": allowed})

    def label(self, value: Any) -> str:
        return self.labels.get(value, "" if value is None else str(value))


def make_choice_parser(choices: type[Choices] | Iterable[tuple[Any, Any]],
                       synonyms: Mapping[str, Any] | None = None) -> ChoiceParser:
    """A parser for a TextChoices (or a list of (value, label)); ``synonyms`` maps extra words to values."""
    return ChoiceParser(choices, synonyms)


def display_value(value: Any, parse: Parser | None = None) -> str:
    """How a parsed value is shown back in the preview table."""
    if value is None:
        return ""
    label = getattr(parse, "label", None)
    if callable(label):
        return label(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
