"""Sections other apps add to a meeting's page (votes: 表决结果), so meetings never imports them.

An app above meetings registers a :class:`MeetingSection` from its ``AppConfig.ready()``; the page asks each
for its rows (``rows(user, meeting)`` returns what this user may see, in a fixed number of queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionRow:
    title: str
    text: str = ""
    url: str = ""
    badge: str = ""


@dataclass(frozen=True)
class MeetingSection:
    key: str
    title: str
    rows: Callable[..., list[SectionRow]]
    order: int = 100
    empty_text: str = ""
    action_label: str = ""  # a link for the staff (e.g. 新建表决), shown when ``action_url(meeting)`` gives one
    action_url: Callable[..., str] | None = None


_SECTIONS: dict[str, MeetingSection] = {}


def register_meeting_section(section: MeetingSection) -> None:
    _SECTIONS[section.key] = section


def sections_for(user, meeting, *, staff: bool) -> list[tuple[MeetingSection, list[SectionRow], str]]:
    """Each registered section with its rows for ``user`` and, for the staff, its action link."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        rows = section.rows(user, meeting)
        action = section.action_url(meeting) if staff and section.action_url else ""
        if rows or action:
            shown.append((section, rows, action))
    return shown
