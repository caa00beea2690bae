"""The comparison's table rows (an item's row and its indicator row, a cell per township), written in Python: the same
markup as the loop of ``checklist_comparison.html`` they replace (kept as the reference in
tests/evaluations/scorecards/test_comparison_rows.py), without its ~25 template nodes and two URL reversals a cell
(docs/performance.md, eighth round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presidium.notifications.links import pk_links


def _number(value) -> str:
    """A number as ``{{ value }}`` writes it (localized, escaped)."""
    return esc(localize(value))


class ComparisonRows:
    """Writes the ``<tbody>``'s rows of a comparison: labels and the response link's shape once."""

    def __init__(self):
        self.response_url = pk_links(lambda pk: reverse("scorecards:response_detail", args=[pk]))
        self.evidence_title = esc(_("查看佐证材料"))
        self.target_label = esc(_("目标"))

    def cell(self, cell, link: str) -> str:
        score = "—" if cell.score is None else f'<span class="fw-semibold">{_number(cell.score)}</span>'
        answer = ""
        if cell.answer_label:
            evidence = (" · " + _("%(n)s 份材料") % {"n": _number(cell.evidence)}) if cell.evidence else ""
            answer = f'<div class="small text-muted">{esc(cell.answer_label)}{evidence}</div>'
        return (f'<td class="nowrap"><a href="{link}" title="{self.evidence_title}">{score}</a>\n'
                f'        {answer}</td>')

    def row(self, row, links: dict[int, str]) -> str:
        item = row.item
        anchor = f"#item-{item.pk}"
        cells = "".join(self.cell(c, links[c.response.pk] + anchor) for c in row.cells)
        html = ("\n    <tr>\n"
                f"      <td>{_number(item.position)}. {esc(item.title)}</td><td>{_number(item.points)}</td>\n"
                f"      {cells}\n"
                "    </tr>\n    ")
        if row.indicator:
            indicator = row.indicator
            target = (f" · {self.target_label} {_number(item.target)}" if item.target is not None else "")
            figures = "".join(
                f'<td><a href="{links[c.response.pk]}{anchor}">'
                f'{"—" if c.figure is None else _number(c.figure)}</a></td>' for c in row.cells)
            html += ('\n    <tr class="table-light small" data-testid="indicator-row">\n'
                     f'      <td colspan="2"><i class="bi bi-database"></i> {esc(indicator.label)}'
                     f'（{esc(indicator.unit)}）{target}</td>\n'
                     f"      {figures}\n"
                     "    </tr>\n    ")
        return html + "\n  "

    def head(self, responses) -> SafeString:
        """The townships' header cells (``selectors.comparison(…).responses``), as the template's loop wrote them."""
        return mark_safe("".join(
            f'<th class="nowrap"><a href="{self.response_url(r.pk)}">{esc(r.township.name)}</a>'
            f'<div class="small text-muted fw-normal">{esc(r.get_state_display())}</div></th>' for r in responses))

    def __call__(self, rows) -> SafeString:
        """Every row of ``rows`` (``selectors.comparison(…).rows``), as the template's loop wrote them."""
        links: dict[int, str] = {}
        for row in rows:
            for c in row.cells:
                if c.response.pk not in links:
                    links[c.response.pk] = self.response_url(c.response.pk)
        return mark_safe("".join(self.row(row, links) for row in rows))
