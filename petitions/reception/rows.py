"""The reception summary's table rows (月度汇总: deputies, groups, days) and the rota list's day cards, written in
Python: the same markup as the row and card templates and the day badge (kept as the reference in
tests/petitions/test_reception_rows.py), with the labels translated and the day link reversed once per page instead
of ~20–30 template nodes per row or card (a county month has hundreds of deputies on duty)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception.choices import DayStatus, DutyStatus
from presidium.choice_labels import labels_of
from presidium.notifications.links import pk_links

DAY_TONES = {"held": "text-bg-success", "cancelled": "text-bg-dark"}


def _cells(labels, values) -> str:
    """The right-aligned (``num``) cells of counts (a count is written as it is: escaping its digits changes nothing
    and cost a county month ~2,400 calls of ``conditional_escape``)."""
    return "".join(f'<td class="num" data-label="{label}">{value if type(value) is int else esc(value)}</td>'
                   for label, value in zip(labels, values, strict=True))


class DayBadge:
    """A day's status badge and its holiday flag (templates/petitions/reception/_day_badge.html before)."""

    def __init__(self):
        self.statuses = {value: esc(label) for value, label in labels_of(ReceptionDay._meta.get_field("status")).items()}
        self.holiday_title = esc(_("该日是法定节假日，请确认是否照常接待"))

    def __call__(self, day) -> str:
        status = self.statuses.get(day.status) or esc(day.status)
        badge = f'<span class="badge {DAY_TONES.get(day.status, "text-bg-primary")}">{status}</span>'
        if day.holiday:
            badge += (f' <span class="badge text-bg-warning" title="{self.holiday_title}" data-testid="holiday-flag">'
                      f'<i class="bi bi-exclamation-triangle"></i> {esc(day.holiday)}</span>')
        return badge + "\n"


def set_summary_rows(summary) -> None:
    """Set ``row_html`` on each deputy's, group's and day's line of a ``MonthSummary``."""
    counts = [esc(_(text)) for text in ("排班", "出席", "请假", "缺席")]
    deputy, group, pending, rate = esc(_("代表")), esc(_("代表小组")), esc(_("未结")), esc(_("出席率"))
    for row in summary.deputies:
        row.row_html = mark_safe(
            f'<tr><td data-label="{deputy}">{esc(row.label)}</td><td data-label="{group}">{esc(row.group or "—")}</td>'
            + _cells([*counts, pending, rate], [row.scheduled, row.attended, row.leave, row.absent, row.pending,
                                                row.attendance_rate]) + "</tr>")
    for row in summary.groups:
        row.row_html = mark_safe(
            f'<tr><td data-label="{group}">{esc(row.label)}</td>'
            + _cells([*counts, rate], [row.scheduled, row.attended, row.leave, row.absent, row.attendance_rate])
            + "</tr>")
    date, place, status = esc(_("日期")), esc(_("地点")), esc(_("状态"))
    cases, visits = esc(_("接待件数")), esc(_("接待人次"))
    url = pk_links(lambda pk: reverse("reception:day_detail", args=[pk]))
    badge = DayBadge()
    for day in summary.days:
        day.row_html = mark_safe(
            f'<tr><td data-label="{date}" class="nowrap"><a href="{url(day.pk)}">{day.date.isoformat()}</a></td>'
            f'<td data-label="{place}">{esc(day.place)}</td><td data-label="{status}">{badge(day)}</td>'
            + _cells([cases, visits], [day.cases, day.visits]) + "</tr>")


class DayCards:
    """The rota list's cards (接待日安排), one ``<a class="card">`` a day, as the card template wrote them."""

    def __init__(self, *, today, show_township: bool):
        self.today, self.show_township = today, show_township
        self.url = pk_links(lambda pk: reverse("reception:day_detail", args=[pk]))
        self.badge = DayBadge()
        self.duty_statuses = {value: esc(label)
                              for value, label in labels_of(ReceptionDuty._meta.get_field("status")).items()}
        self.weekdays = {n: esc(label) for n, label in WEEKDAYS_ABBR.items()}
        self.today_badge = f'<span class="badge text-bg-info">{esc(_("今天"))}</span>'
        self.no_duty = f'<span class="text-muted">{esc(_("未排值班代表"))}</span>'
        self.taken, self.reason = _("%(c)s 件 · %(v)s 人次"), esc(_("取消原因："))

    def __call__(self, day) -> str:
        today = day.date == self.today
        cancelled = day.status == DayStatus.CANCELLED
        css = (" border-primary" if today else "") + (" reception-day-cancelled" if cancelled else "")
        township = f'<span class="text-muted small">{esc(day.township.name)}</span>' if self.show_township else ""
        duties = "".join(
            f'<span class="me-2 nowrap">{esc(duty.deputy.name)}'
            + (f'<span class="text-muted">（{self.duty_statuses.get(duty.status) or esc(duty.status)}）</span>'
               if duty.status != DutyStatus.ON_DUTY else "") + "</span>"
            for duty in day.duty_list) or self.no_duty
        group = f'<span class="text-muted">· {esc(day.group_label)}</span>' if day.group_label else ""
        reason = f'<div class="small text-danger mt-1">{self.reason}{esc(day.cancel_reason)}</div>' if cancelled else ""
        return mark_safe(
            f'<a class="card reception-day mb-2 text-decoration-none{css}" href="{self.url(day.pk)}" '
            f'data-testid="reception-day">\n'
            f'    <div class="card-body py-2">\n'
            f'      <div class="d-flex flex-wrap align-items-center gap-2">\n'
            f'        <span class="fw-semibold nowrap">{day.date.isoformat()} {self.weekdays[day.date.weekday()]}</span>\n'
            f'        {self.today_badge if today else ""}\n'
            f'        {self.badge(day)}\n'
            f'        {township}\n'
            f'        <span class="ms-auto small text-muted nowrap">{self.taken % {"c": day.cases, "v": day.visits}}'
            f'</span>\n'
            f'      </div>\n'
            f'      <div class="small text-body mt-1"><i class="bi bi-geo-alt"></i> {esc(day.place)}</div>\n'
            f'      <div class="small mt-1 text-body">{duties}{group}</div>\n'
            f'      {reason}\n'
            f'    </div>\n'
            f'  </a>')
