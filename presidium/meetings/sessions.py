"""Congress sessions by name: "第十八届人民代表大会第五次会议" (typed by hand before sessions were records) → the Meeting.

Sibling apps that stored a session's name as text (proposals) find the session here, and may ask to hear
when a session is scheduled (:func:`register_session_listener`), to link what was typed before it existed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from presidium.meetings.choices import MeetingKind, MeetingStatus

_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SESSION = re.compile(r"第?([0-9零〇一二两三四五六七八九十]+)届.*?第?([0-9零〇一二两三四五六七八九十]+)次")


def chinese_number(text: str) -> int | None:
    """"十八" → 18, "二十一" → 21, "5" → 5 (1..99); None when it is not a number."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        if (tens and tens not in _NUMERALS) or (ones and ones not in _NUMERALS):
            return None
        return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[ones] if ones else 0)
    if len(text) == 1 and text in _NUMERALS:
        return _NUMERALS[text]
    return None


def parse_session_name(name: str) -> tuple[int, int] | None:
    """(term ordinal, session number) of "第十八届人民代表大会第五次会议", or None."""
    match = _SESSION.search(name or "")
    if not match:
        return None
    term, number = chinese_number(match.group(1)), chinese_number(match.group(2))
    if term is None or number is None:
        return None
    return term, number


def session_for_name(township, name: str):
    """The township's congress session that ``name`` names (by its title, or by term and number), or None."""
    from presidium.meetings.models import Meeting

    name = (name or "").strip()
    if not name:
        return None
    sessions = Meeting.objects.filter(township=township, kind=MeetingKind.CONGRESS_SESSION).exclude(
        status=MeetingStatus.CANCELLED)
    for session in sessions.filter(title__endswith=name):
        return session
    parsed = parse_session_name(name)
    if parsed is None:
        return None
    return sessions.filter(term__ordinal=parsed[0], session_number=parsed[1]).select_related("term").first()


SessionListener = Callable[..., None]
_LISTENERS: list[SessionListener] = []


def register_session_listener(listener: SessionListener) -> SessionListener:
    """``listener(*, session, by)`` runs inside the transaction that schedules a congress session."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def unregister_session_listener(listener: SessionListener) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def announce_session(session, *, by) -> None:
    for listener in list(_LISTENERS):
        listener(session=session, by=by)
