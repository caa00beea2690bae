"""The meeting list's table rows, written in Python: the same markup as the per-row template they replace (kept as
the reference in tests/meetings/test_meeting_rows.py), without its ~40 template nodes, the status badge's include
and a URL reversal per row (docs/performance.md, seventh round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.meetings.choices import MeetingKind, MeetingStatus
from presidium.notifications.links import pk_links

_BADGE_TONE = {MeetingStatus.HELD: "success", MeetingStatus.CANCELLED: "secondary"}


class MeetingRows:
    """Writes the rows of one page (``show_township``: the township column): labels and the link shape once."""

    def __init__(self, *, show_township: bool):
        self.show_township = show_township
        self.detail_url = pk_links(lambda pk: reverse("meetings:meeting_detail", args=[pk]))
        self.labels = {key: esc(_(text)) for key, text in (
            ("township", "乡镇"), ("time", "时间"), ("kind", "类型"), ("title", "名称"), ("place", "地点"),
            ("attendance", "出席情况"), ("status", "状态"), ("met", "符合法定人数"), ("not_met", "不足法定人数"))}
        self.kinds = {value: esc(label) for value, label in MeetingKind.choices}
        self.statuses = {value: esc(label) for value, label in MeetingStatus.choices}

    def attendance(self, meeting) -> str:
        """The 出席情况 cell's text: the quorum line (with its mark once held), or who came of those invited."""
        quorum, held = meeting.quorum, meeting.status == MeetingStatus.HELD
        if quorum is not None:
            text = esc(quorum.line if held else quorum.planned_line)
            if quorum.entitled and held:
                mark = (f'<i class="bi bi-check-circle text-success" title="{self.labels["met"]}"></i>' if quorum.met
                        else f'<i class="bi bi-exclamation-circle text-danger" title="{self.labels["not_met"]}"></i>')
                text = f"{text} {mark}"
            return text
        if held:
            return _("出席 %(m)s 人 / 邀请 %(n)s 人") % {"m": meeting.n_attended, "n": meeting.n_invited}
        return _("邀请 %(n)s 人") % {"n": meeting.n_invited}

    def __call__(self, meeting) -> SafeString:
        """The ``<tr>`` of ``meeting`` (annotated by selectors.with_attendance_counts, with ``quorum`` set)."""
        lab, status = self.labels, meeting.status
        township = (f'<td data-label="{lab["township"]}">{esc(meeting.township.name)}</td>'
                    if self.show_township else "")
        kind = self.kinds.get(meeting.kind) or esc(meeting.kind)
        status_label = self.statuses.get(status) or esc(status)
        starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
        return mark_safe(
            '<tr data-testid="meeting-row">\n'
            f'      {township}\n'
            f'      <td data-label="{lab["time"]}" class="nowrap">{starts}</td>\n'
            f'      <td data-label="{lab["kind"]}" class="nowrap">{kind}</td>\n'
            f'      <td data-label="{lab["title"]}"><a href="{self.detail_url(meeting.pk)}">{esc(meeting.title)}</a></td>\n'
            f'      <td data-label="{lab["place"]}">{esc(meeting.place)}</td>\n'
            f'      <td data-label="{lab["attendance"]}" class="small">{self.attendance(meeting)}</td>\n'
            f'      <td data-label="{lab["status"]}"><span class="badge text-bg-{_BADGE_TONE.get(status, "primary")}">'
            f'{status_label}</span>\n</td>\n'  # the badge's include ended with a new line
            '    </tr>')
