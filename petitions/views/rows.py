"""The petition lists' table rows (登记台账, 交给我单位的信访), written in Python: the same markup as the row template
and its due badge (kept as the reference in tests/petitions/test_list_rows.py), with the labels translated and the
detail link reversed once per page instead of ~45 template nodes, an include and a reversal per row."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from petitions.choices import Channel, FeedbackResult, PetitionStatus, Urgency
from presidium.notifications.links import pk_links


def _labels(choices) -> dict[str, str]:
    return {value: esc(label) for value, label in choices.choices}


class PetitionRows:
    """Writes the ``<tr>`` of each petition of one page (decorated by ``petitions.views.lists.decorate``)."""

    def __init__(self, *, show_township: bool):
        self.show_township = show_township
        self.detail_url = pk_links(lambda pk: reverse("petitions:detail", args=[pk]))
        self.labels = {key: esc(text) for key, text in (
            ("number", _("登记号")), ("subject", _("信访事项")), ("petitioner", _("信访人")), ("unit", _("承办单位")),
            ("due", _("最近到期")), ("status", _("状态")), ("urgent", _("紧急")), ("key", _("重点督办")),
            ("repeat", _("重复信访")), ("today", _("今天到期")))}
        # blocktranslate's own text is not escaped (only its values are): the same here.
        self.collective, self.overdue, self.left = _("集体访 %(n)s 人"), _("超期%(n)s天"), _("剩%(n)s天")
        self.channels, self.statuses = _labels(Channel), _labels(PetitionStatus)
        self.feedbacks = _labels(FeedbackResult)

    def __call__(self, p) -> SafeString:
        lab = self.labels
        township = f" · {esc(p.township.name)}" if self.show_township else ""
        channel = self.channels.get(p.channel) or esc(p.channel)
        tags = []
        if p.category_id is not None:
            tags.append(f"<span>{esc(p.category.name)}</span>")
        if p.urgency == Urgency.URGENT:
            tags.append(f'<span class="badge text-bg-danger">{lab["urgent"]}</span>')
        if p.is_collective:
            tags.append(f'<span class="badge text-bg-warning">{self.collective % {"n": p.people_count}}</span>')
        if p.key_supervision:
            tags.append(f'<span class="badge text-bg-danger">{lab["key"]}</span>')
        if p.repeat_of_id:
            tags.append(f'<span class="badge text-bg-light border">{lab["repeat"]}</span>')
        mobile = f'<div class="small text-muted">{esc(p.masked_mobile)}</div>' if p.masked_mobile else ""
        unit = (p.current_unit.name if p.current_unit_id is not None else "") or "—"
        status = self.statuses.get(p.status) or esc(p.status)
        feedback = f' <span class="small text-muted">{self.feedbacks.get(p.feedback) or esc(p.feedback)}</span>' \
            if p.feedback else ""
        return mark_safe(
            f'<tr>\n'
            f'      <td data-label="{lab["number"]}" class="nowrap">{esc(p.registration_number)}<div class="small '
            f'text-muted">{p.received_on.isoformat()} · {channel}{township}</div></td>\n'
            f'      <td data-label="{lab["subject"]}"><a href="{self.detail_url(p.pk)}">{esc(p.subject)}</a>\n'
            f'        <div class="small text-muted d-flex flex-wrap gap-1 align-items-center">{"".join(tags)}</div></td>\n'
            f'      <td data-label="{lab["petitioner"]}" class="nowrap petition-masked">{esc(p.petitioner_label)}{mobile}'
            f'</td>\n'
            f'      <td data-label="{lab["unit"]}">{esc(unit)}</td>\n'
            f'      <td data-label="{lab["due"]}">{self.due(p)}</td>\n'
            f'      <td data-label="{lab["status"]}"><span class="badge text-bg-{p.status_tone}">{status}</span>'
            f'{feedback}</td>\n'
            f'    </tr>')

    def due(self, p) -> str:
        """The earliest duty clock: its date, its label and how many days are left (or overdue)."""
        if not p.next_clock_due:
            return '<span class="text-muted">—</span>\n'
        days = p.days_left
        tone = " text-danger fw-semibold" if days < 0 else " text-warning-emphasis" if days <= 5 else ""
        label = f' <span class="small text-muted">{esc(p.next_clock_label)}</span>' if p.next_clock_label else ""
        if days < 0:
            badge = (f'<span class="badge text-bg-danger" data-testid="overdue-badge">'
                     f'{self.overdue % {"n": p.days_overdue}}</span>')
        elif days == 0:
            badge = f'<span class="badge text-bg-warning">{self.labels["today"]}</span>'
        else:
            badge = f'<span class="badge text-bg-light border">{self.left % {"n": days}}</span>'
        return f'<span class="text-nowrap{tone}">{p.next_clock_due.isoformat()}</span>{label}\n{badge}\n'
