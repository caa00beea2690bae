"""The meeting page's attendance form rows, written in Python: the same markup as the per-row template they replace
(kept as the reference in tests/meetings/test_attendance_rows.py), without its ~100 template nodes per invitation
(four status buttons each); a county meeting of 89 invitations spent most of its page there (docs/performance.md,
fifth round)."""

from __future__ import annotations

from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.meetings.choices import AttendanceStatus

_BUTTON_TONE = {"present": "success", "leave": "warning", "absent": "danger"}


class AttendanceRows:
    """Writes the rows of one meeting's attendance form (``can_record``: attendance may be recorded today;
    ``is_scheduled``: an invitee not answered yet can be removed)."""

    def __init__(self, *, can_record: bool, is_scheduled: bool):
        self.can_record, self.is_scheduled = can_record, is_scheduled
        self.statuses = [(value, esc(label), _BUTTON_TONE.get(value, "secondary"))
                         for value, label in AttendanceStatus.choices]
        self.group_label = esc(_("出席情况"))
        self.reason_placeholder, self.reason_label = esc(_("请假事由（请假时必填）")), esc(_("请假事由"))
        self.remove_label = esc(_("移出名单"))

    def __call__(self, invitation) -> SafeString:
        pk, status = invitation.pk, invitation.status
        role = (f' <span class="badge text-bg-light border text-muted">{esc(invitation.get_role_display())}</span>'
                if invitation.role == "attendee" else "")
        post = f'<div class="small text-muted">{esc(invitation.post)}</div>' if invitation.post else ""
        buttons = "".join(
            f'\n            <input type="radio" class="btn-check" name="status-{pk}" id="s-{pk}-{value}" value="{value}"'
            f' autocomplete="off"{" checked" if status == value else ""} data-status="{value}">'
            f'\n            <label class="btn btn-outline-{tone}" for="s-{pk}-{value}">{label}</label>\n          '
            for value, label, tone in self.statuses
            if self.can_record or value in ("invited", "leave") or value == status)
        remove = (f'<button class="btn btn-link btn-sm text-danger p-0 mt-1" type="submit" form="remove-{pk}">'
                  f'{self.remove_label}</button>' if self.is_scheduled and status == "invited" else "")
        return mark_safe(
            '<li class="list-group-item attendance-row" data-testid="invitee">\n'
            '        <div class="d-flex flex-wrap align-items-center gap-2">\n'
            f'          <div class="me-auto"><span class="fw-semibold" data-testid="invitee-name">{esc(invitation.name)}'
            f'</span>{role}{post}</div>\n'
            f'          <div class="btn-group btn-group-sm flex-wrap" role="group" aria-label="{self.group_label}">\n'
            f'          {buttons}\n'
            '          </div>\n'
            '        </div>\n'
            f'        <input type="text" class="form-control form-control-sm mt-2" name="reason-{pk}" '
            f'value="{esc(invitation.leave_reason)}" maxlength="200" placeholder="{self.reason_placeholder}" '
            f'aria-label="{self.reason_label}" data-leave-reason>\n'
            f'        {remove}\n'
            '      </li>')
