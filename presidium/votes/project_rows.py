"""The project list's table rows, written in Python: the same markup as the per-row template they replace (kept as
the reference in tests/votes/test_project_rows.py), without its template nodes, the progress bar's include and a
URL reversal per row (docs/performance.md, seventh round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.notifications.links import pk_links
from presidium.votes.choices import ProgressStatus, ProjectStatus


class ProjectRows:
    """Writes the rows of one page: the labels and the link shape are worked out once."""

    def __init__(self):
        self.detail_url = pk_links(lambda pk: reverse("votes:project_detail", args=[pk]))
        self.labels = {key: esc(_(text)) for key, text in (
            ("year", "年度"), ("title", "项目名称"), ("unit", "责任单位"), ("budget", "预算（万元）"), ("vote", "票决"),
            ("progress", "进度"), ("bar", "完成进度"))}
        self.statuses = {value: esc(label) for value, label in ProjectStatus.choices}
        self.progress_statuses = {value: esc(label) for value, label in ProgressStatus.choices}

    def progress(self, p) -> str:
        if p.status != ProjectStatus.ADOPTED:
            return "—"
        figure = esc(localize(p.progress))
        label = self.progress_statuses.get(p.progress_status) or esc(p.progress_status)
        return (f'<span class="small">{label}</span><div class="d-flex align-items-center gap-2">'
                f'<progress class="project-progress" max="100" value="{figure}" aria-label="{self.labels["bar"]}">'
                f'{figure}%</progress><span class="progress-figure small">{figure}%</span></div>\n')

    def __call__(self, p) -> SafeString:
        """The ``<tr>`` of project ``p`` (with its unit)."""
        lab = self.labels
        rank = f' · {_("第 %(n)s 位") % {"n": esc(localize(p.vote_rank))}}' if p.vote_rank else ""
        status = self.statuses.get(p.status) or esc(p.status)
        return mark_safe(
            '<tr>\n'
            f'      <td data-label="{lab["year"]}" class="nowrap">{esc(localize(p.year))}</td>\n'
            f'      <td data-label="{lab["title"]}"><a href="{self.detail_url(p.pk)}">{esc(p.title)}</a></td>\n'
            f'      <td data-label="{lab["unit"]}">{esc(p.unit.name)}</td>\n'
            f'      <td data-label="{lab["budget"]}" class="nowrap">{esc(localize(p.budget) if p.budget else "—")}</td>\n'
            f'      <td data-label="{lab["vote"]}">{status}{rank}</td>\n'
            f'      <td data-label="{lab["progress"]}">{self.progress(p)}</td>\n'
            '    </tr>')
