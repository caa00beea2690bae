"""The roster's table rows, written in Python: the same markup as the row template they replace (kept as the
reference in tests/deputies/test_roster_rows.py), without its ~25 template nodes, one ``{% include %}`` of the
status badge and one URL reversal per row (docs/performance.md, seventh round)."""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from deputies.choices import DeputyStatus
from presidium.notifications.links import pk_links

NONE = "—"


class RosterRows:
    """Writes the rows of one page: labels, the link's shape, today and each choice's label worked out once."""

    def __init__(self, *, show_township: bool):
        self.show_township = show_township
        self.today = timezone.localdate()
        self.detail_url = pk_links(lambda pk: reverse("deputies:deputy_detail", args=[pk]))
        self.labels = {key: esc(text) for key, text in (
            ("name", _("姓名")), ("gender", _("性别")), ("age", _("年龄")), ("affiliation", _("政治面貌")),
            ("sector", _("界别")), ("work", _("工作单位及职务")), ("level", _("层级")), ("group", _("代表小组")),
            ("station", _("联络站")), ("mobile", _("手机")), ("status", _("状态")))}
        self._displays: dict[tuple[str, object], str] = {}

    def display(self, deputy, name: str) -> str:
        """``deputy.get_<name>_display()``, escaped, once per value and page."""
        value = getattr(deputy, name)
        key = (name, value)
        if key not in self._displays:
            self._displays[key] = esc(getattr(deputy, f"get_{name}_display")())
        return self._displays[key]

    def __call__(self, d) -> SafeString:
        """The ``<tr>`` of deputy ``d`` (with ``shown_mobile`` set by the view)."""
        lab = self.labels
        township = f' <span class="text-muted small">{esc(d.township.name)}</span>' \
            if d.township_id and self.show_township else ""
        age = d.age_on(self.today)
        group = esc(d.group.name) if d.group is not None and d.group.name else NONE
        station = esc(d.station.name) if d.station is not None and d.station.name else NONE
        status = self.display(d, "status")
        if d.status == DeputyStatus.SERVING:
            badge = f'<span class="badge text-bg-success">{status}</span>'
        else:
            badge = (f'<span class="badge text-bg-secondary" title="{esc(date_filter(d.status_since, "Y-m-d"))}">'
                     f'{status}</span>')
        return mark_safe(
            f'<tr>\n'
            f'      <td data-label="{lab["name"]}" class="nowrap"><a href="{self.detail_url(d.pk)}" class="fw-semibold">'
            f'{esc(d.name)}</a>{township}</td>\n'
            f'      <td data-label="{lab["gender"]}" class="d-none d-md-table-cell">{self.display(d, "gender")}</td>\n'
            f'      <td data-label="{lab["age"]}" class="d-none d-md-table-cell">{NONE if age is None else age}</td>\n'
            f'      <td data-label="{lab["affiliation"]}" class="d-none d-md-table-cell nowrap">'
            f'{self.display(d, "affiliation")}</td>\n'
            f'      <td data-label="{lab["sector"]}" class="d-none d-md-table-cell nowrap">{self.display(d, "sector")}</td>\n'
            f'      <td data-label="{lab["work"]}">{esc(d.work_unit_and_post) if d.work_unit_and_post else NONE}</td>\n'
            f'      <td data-label="{lab["level"]}" class="d-none d-md-table-cell small">{self.display(d, "level")}</td>\n'
            f'      <td data-label="{lab["group"]}">{group}</td>\n'
            f'      <td data-label="{lab["station"]}" class="d-none d-md-table-cell small">{station}</td>\n'
            f'      <td data-label="{lab["mobile"]}" class="nowrap masked">{esc(d.shown_mobile) if d.shown_mobile else NONE}</td>\n'
            f'      <td data-label="{lab["status"]}">{badge}\n</td>\n'
            f'    </tr>')
