"""The suggestions list's and the progress hearing's table rows, written in Python: the same markup as the per-row
templates they replace (kept as the reference in tests/proposals/test_list_rows.py), and the 督办意见 list's, with the labels translated, the
choice labels looked up and the detail link reversed once per page instead of ~60 template nodes per row
(deputies/duty_rows.py is the first of these)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.notifications.links import pk_links
from proposals.choices import OpinionStatus, Satisfaction, SuggestionKind, SuggestionStatus
from proposals.templatetags.proposals_tags import satisfaction_tone, status_tone

# The page's row fields: the rest of a suggestion (its text, the handling details, the deputy's record) stays unread.
LIST_ROW_FIELDS = (
    "township_id", "kind", "serial_year", "serial_number", "title", "category_id", "lead_deputy_id", "lead_unit_id",
    "is_key", "deadline", "deadline_provisional", "status", "round", "satisfaction",
    "township__name", "category__name", "lead_deputy__name", "lead_unit__name",
)
HEARING_ROW_FIELDS = (
    "township_id", "kind", "serial_year", "serial_number", "title", "lead_deputy_id", "lead_unit_id", "deadline",
    "status", "lead_deputy__name", "lead_unit__name",
)


def _labels(choices) -> dict[str, str]:
    """A choice field's display labels (``get_FOO_display``), escaped, in the active language."""
    return {value: esc(str(label)) for value, label in choices}


class _Rows:
    def __init__(self):
        self.detail_url = pk_links(lambda pk: reverse("proposals:detail", args=[pk]))
        self.status_labels = _labels(SuggestionStatus.choices)

    def _status_badge(self, s) -> str:
        status = s.status
        label = self.status_labels.get(status)
        return (f'<span class="badge text-bg-{esc(status_tone(status))}">'
                f'{esc(status) if label is None else label}</span>')


class SuggestionRows(_Rows):
    """Writes the suggestions list's rows of one page (``templates/proposals/suggestion_list.html``)."""

    def __init__(self, *, today, show_township: bool, asks_signatures: bool):
        super().__init__()
        self.today = today
        self.show_township = show_township
        self.asks_signatures = asks_signatures
        self.kind_labels = _labels(SuggestionKind.choices)
        self.satisfaction_labels = _labels(Satisfaction.choices)
        self.labels = {key: esc(text) for key, text in (
            ("serial", _("编号")), ("title", _("标题")), ("deputy", _("领衔代表")), ("unit", _("主办单位")),
            ("deadline", _("办理期限")), ("status", _("状态")), ("satisfaction", _("满意度")), ("key", _("重点")),
            ("sign", _("待我确认联名")), ("hand_back", _("申请退办")), ("presidium", _("主席团")),
            ("holidays", _("节假日安排未确认，确认后自动重算")), ("provisional", _("暂定")))}
        lab = self.labels
        self.key_mark = f' · <span class="text-danger">{lab["key"]}</span>'
        self.sign_mark = f' · <span class="badge text-bg-info">{lab["sign"]}</span>'
        self.hand_back_mark = (' · <span class="badge text-bg-warning" data-testid="hand-back-badge">'
                               f'{lab["hand_back"]}</span>')
        self.provisional_mark = (f' <span class="badge text-bg-light" title="{lab["holidays"]}">'
                                 f'{lab["provisional"]}</span>')
        self.overdue_text = _("逾期%(n)s天")
        self.round_text = _("第%(n)s轮")

    def _deadline(self, s) -> str:
        deadline = s.deadline
        if not deadline:
            return "—"
        left = (deadline - self.today).days
        open_handling = s.is_open_handling
        css = ("text-danger fw-semibold" if open_handling and left < 0
               else "text-warning-emphasis" if open_handling and left <= 10 else "")
        html = f'<span class="{css}">{deadline:%Y-%m-%d}</span>'
        if open_handling and left < 0:
            html += f' <span class="badge text-bg-danger">{self.overdue_text % {"n": -left}}</span>'
        if s.deadline_provisional:
            html += self.provisional_mark
        return html

    def __call__(self, s) -> SafeString:
        """The ``<tr>`` of suggestion ``s`` (with ``pending_hand_back``, and ``awaiting_my_signature`` for a deputy)."""
        lab = self.labels
        notes = esc(s.township.name) + " · " if self.show_township else ""
        notes += self.kind_labels.get(s.kind) or esc(s.kind)
        if s.category is not None:
            notes += " · " + esc(s.category.name)
        if s.is_key:
            notes += self.key_mark
        if self.asks_signatures and s.awaiting_my_signature:
            notes += self.sign_mark
        if s.pending_hand_back:
            notes += self.hand_back_mark
        deputy = esc(s.lead_deputy.name) if s.lead_deputy is not None else lab["presidium"]
        unit = s.lead_unit.name if s.lead_unit is not None else ""
        round_note = f' <span class="small text-muted">{self.round_text % {"n": s.round}}</span>' if s.round > 1 else ""
        if s.satisfaction:
            label = self.satisfaction_labels.get(s.satisfaction) or esc(s.satisfaction)
            satisfaction = f'<span class="badge text-bg-{esc(satisfaction_tone(s.satisfaction))}">{label}</span>'
        else:
            satisfaction = "—"
        return mark_safe(
            "<tr>\n"
            f'      <td data-label="{lab["serial"]}" class="nowrap">{esc(s.serial or "—")}</td>\n'
            f'      <td data-label="{lab["title"]}">\n'
            f'        <a href="{self.detail_url(s.pk)}">{esc(s.title)}</a>\n'
            f'        <div class="small text-muted">{notes}</div>\n'
            "      </td>\n"
            f'      <td data-label="{lab["deputy"]}" class="nowrap">{deputy}</td>\n'
            f'      <td data-label="{lab["unit"]}">{esc(unit or "—")}</td>\n'
            f'      <td data-label="{lab["deadline"]}" class="nowrap">{self._deadline(s)}</td>\n'
            f'      <td data-label="{lab["status"]}">{self._status_badge(s)}{round_note}</td>\n'
            f'      <td data-label="{lab["satisfaction"]}">{satisfaction}</td>\n'
            "    </tr>")


class HearingRows(_Rows):
    """Writes the progress hearing's rows of one page (``templates/proposals/hearing_list.html``)."""

    def __init__(self, *, today):
        super().__init__()
        self.today = today
        self.labels = {key: esc(text) for key, text in (
            ("serial", _("编号")), ("title", _("标题")), ("deputy", _("领衔代表")), ("status", _("状态")),
            ("deadline", _("办理期限")), ("consulted", _("面商")), ("supervised", _("督办")))}
        self.presidium = esc(_("主席团"))

    def __call__(self, s) -> SafeString:
        """The ``<tr>`` of open item ``s`` (annotated with its consultation and supervision figures)."""
        lab = self.labels
        deadline = s.deadline
        overdue = ' class="table-danger"' if s.is_open_handling and deadline and deadline < self.today else ""
        deputy = s.lead_deputy.name if s.lead_deputy is not None else ""
        last = s.last_supervised
        last_note = f' <span class="text-muted small">（{last:%m-%d}）</span>' if last else ""
        return mark_safe(
            f"<tr{overdue}>\n"
            f'        <td data-label="{lab["serial"]}" class="nowrap">{esc(s.serial or "—")}</td>\n'
            f'        <td data-label="{lab["title"]}"><a href="{self.detail_url(s.pk)}">{esc(s.title)}</a></td>\n'
            f'        <td data-label="{lab["deputy"]}" class="nowrap">{esc(deputy) if deputy else self.presidium}</td>\n'
            f'        <td data-label="{lab["status"]}">{self._status_badge(s)}</td>\n'
            f'        <td data-label="{lab["deadline"]}" class="nowrap">{f"{deadline:%Y-%m-%d}" if deadline else "—"}</td>\n'
            f'        <td data-label="{lab["consulted"]}">{s.consultation_count}</td>\n'
            f'        <td data-label="{lab["supervised"]}">{s.supervision_count}{last_note}</td>\n'
            "      </tr>")


OPINION_ROW_FIELDS = (
    "township_id", "suggestion_id", "unit_id", "title", "answer_by", "status", "sent_at", "township__name",
    "suggestion__kind", "suggestion__serial_year", "suggestion__serial_number", "suggestion__title", "unit__name",
)


class OpinionRows:
    """Writes the 督办意见 list's rows of one page (``templates/proposals/supervisionopinion_list.html`` with its
    ``_opinion_status.html`` badge)."""

    def __init__(self, *, today, show_township: bool):
        self.today = today
        self.show_township = show_township
        self.detail_url = pk_links(lambda pk: reverse("proposals:opinion_detail", args=[pk]))
        self.status_labels = _labels(OpinionStatus.choices)
        self.labels = {key: esc(text) for key, text in (
            ("township", _("乡镇")), ("title", _("标题")), ("subject", _("事项")), ("sent", _("发出时间")),
            ("answer_by", _("答复期限")), ("status", _("状态")))}

    def __call__(self, o) -> SafeString:
        lab = self.labels
        township = f'<td data-label="{lab["township"]}">{esc(o.township.name)}</td>' if self.show_township else ""
        icon = "bi-card-text" if o.suggestion_id else "bi-building"
        sent = f"{timezone.localtime(o.sent_at):%Y-%m-%d}" if o.sent_at else ""
        answer_by = o.answer_by
        status = o.status
        if status == OpinionStatus.SENT:
            tone = "text-bg-danger" if answer_by and answer_by < self.today else "text-bg-warning"
        else:
            tone = "text-bg-info" if status == OpinionStatus.ANSWERED else "text-bg-success"
        label = self.status_labels.get(status)
        return mark_safe(
            "<tr>\n"
            f"      {township}\n"
            f'      <td data-label="{lab["title"]}"><a href="{self.detail_url(o.pk)}">{esc(o.title)}</a></td>\n'
            f'      <td data-label="{lab["subject"]}"><i class="bi {icon}"></i> {esc(o.subject)}</td>\n'
            f'      <td data-label="{lab["sent"]}" class="nowrap">{sent}</td>\n'
            f'      <td data-label="{lab["answer_by"]}" class="nowrap">{f"{answer_by:%Y-%m-%d}" if answer_by else "—"}</td>\n'
            f'      <td data-label="{lab["status"]}"><span class="badge {tone}" data-testid="opinion-status">'
            f"{esc(status) if label is None else label}</span>\n</td>\n"
            "    </tr>")
