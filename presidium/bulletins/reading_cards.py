"""The reading list's cards, written in Python: the same markup as the per-card template they replace (kept as the
reference in tests/bulletins/test_reading_cards.py), without its template nodes and three URL reversals per issue
(docs/performance.md, seventh round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.notifications.links import pk_links


class ReadingCards:
    """Writes the cards of one page: the labels and the link shapes are worked out once."""

    def __init__(self):
        self.detail_url = pk_links(lambda pk: reverse("bulletins:issue_detail", args=[pk]))
        self.pdf_url = pk_links(lambda pk: reverse("bulletins:issue_pdf", args=[pk]))
        self.read_label, self.pdf_label = esc(_("阅读")), esc(_("下载 PDF"))

    def __call__(self, issue) -> SafeString:
        """The card of a published ``issue`` (with its series, and its articles prefetched)."""
        series, detail = issue.series, self.detail_url(issue.pk)
        titles = "".join(f"<li>{esc(article.title)}</li>" for article in issue.articles.all())
        return mark_safe(
            '<div class="card bulletin-card mb-2" data-testid="bulletin-card">\n'
            '    <div class="card-body">\n'
            '      <div class="d-flex justify-content-between align-items-baseline gap-2">\n'
            f'        <a class="bulletin-card-masthead" href="{detail}">{esc(series.masthead)} · {esc(issue.year)} '
            f'{esc(issue.number_text)}</a>\n'
            f'        <span class="small text-muted nowrap">{date_format(issue.issue_date, "Y-m-d")}</span>\n'
            '      </div>\n'
            f'      <div class="small text-muted">{esc(series.compiling_body)}</div>\n'
            f'      <ul class="bulletin-card-titles">{titles}</ul>\n'
            '      <div class="d-flex gap-2">\n'
            f'        <a class="btn btn-sm btn-outline-secondary" href="{detail}">{self.read_label}</a>\n'
            f'        <a class="btn btn-sm btn-portal" href="{self.pdf_url(issue.pk)}" data-testid="reading-pdf">'
            f'<i class="bi bi-file-earmark-pdf"></i> {self.pdf_label}</a>\n'
            '      </div>\n'
            '    </div>\n'
            '  </div>')
