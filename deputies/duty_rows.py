"""The duty overview's table rows, written in Python: the same markup as a per-row template (kept as the reference
in tests/deputies/test_duty_rows.py), without its ~35 template nodes and two URL reversals per row (a county
page of 50 rows: 17 → 3 ms of CPU; docs/performance.md, fifth round)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from deputies.archive import NO_SOURCE, DutySignal
from presidium.notifications.links import pk_links


class DutyRows:
    """Writes the rows of one page: the labels, the URL shapes and the year are worked out once."""

    # The signals whose counts a row shows; of the others it reads whether they are zero only (the 三不 hint).
    SHOWN_SIGNALS = (DutySignal.MEETING, DutySignal.ACTIVITY)

    def __init__(self, year: int):
        self.year = year
        # Each row's links: the page's one reversal with the row's key filled in (``pk_links``).
        self.detail_url = pk_links(lambda pk: reverse("deputies:deputy_detail", args=[pk]))
        self.archive_url = pk_links(lambda pk: reverse("deputies:deputy_archive", args=[pk]))
        self.labels = {key: esc(text) for key, text in (
            ("deputy", _("代表")), ("visits", _("走访次数")), ("households", _("户数")), ("people", _("联系选民")),
            ("opinions", _("意见")), ("hints", _("提示")), ("behind", _("走访落后")), ("three_no", _("三不代表")),
            ("archive", _("档案")))}
        self.signal_labels = {s: esc(s.label) for s in self.SHOWN_SIGNALS}
        self.no_source_span = f'<span class="text-muted small">{esc(NO_SOURCE)}</span>'

    def __call__(self, d) -> SafeString:
        """The ``<tr>`` of deputy ``d`` (annotated with ``progress`` and ``three_no``)."""
        lab = self.labels
        progress, three_no = d.progress, d.three_no
        flagged, behind = three_no.flagged, progress.behind
        css = "table-danger" if flagged else "table-warning" if behind else ""
        group = f'<div class="small text-muted">{esc(d.group.name)}</div>' if d.group else ""
        visits_of = people_of = ""
        if progress.target:
            visits_of = f' <span class="small text-muted">/ {progress.visits_expected}</span>'
            people_of = f' <span class="small text-muted">/ {progress.people_expected}</span>'
        signals = "".join(f'<td data-label="{self.signal_labels[signal]}">{self.no_source_span if n is None else n}</td>'
                          for signal, n in three_no.counts.items() if signal in self.signal_labels)
        behind_badge = f'<span class="badge text-bg-warning">{lab["behind"]}</span>' if behind else ""
        if flagged:
            three_no_hint = f'<span class="badge text-bg-danger">{lab["three_no"]}</span>'
        elif three_no.zeros:
            three_no_hint = f'<span class="text-muted">{esc(three_no.label)}</span>'
        else:
            three_no_hint = ""
        pk = d.pk
        return mark_safe(
            f'<tr class="{css}">\n'
            f'      <td data-label="{lab["deputy"]}" class="nowrap"><a href="{self.detail_url(pk)}">{esc(d.name)}</a>{group}</td>\n'
            f'      <td data-label="{lab["visits"]}" class="nowrap">{progress.visits}{visits_of}</td>\n'
            f'      <td data-label="{lab["households"]}">{progress.households}</td>\n'
            f'      <td data-label="{lab["people"]}" class="nowrap">{progress.people}{people_of}</td>\n'
            f'      <td data-label="{lab["opinions"]}">{progress.opinions}</td>\n'
            f'      {signals}\n'
            f'      <td data-label="{lab["hints"]}" class="small">\n'
            f'        {behind_badge}\n'
            f'        {three_no_hint}\n'
            f'      </td>\n'
            f'      <td class="text-end nowrap"><a class="btn btn-sm btn-outline-secondary" '
            f'href="{self.archive_url(pk)}?year={self.year}">{lab["archive"]}</a></td>\n'
            f'    </tr>')



def targets_html(targets) -> SafeString:
    """The targets panel's lines (each township's target in force), as the template's loop wrote them (kept as the
    reference in tests/deputies/test_duty_rows.py): a county's 20 lines of three ``blocktranslate`` each were about
    1.5 ms of the overview's CPU (eleventh round). As ``blocktranslate`` does, the translated sentence is written as
    it is and the figures put in it escaped; ``translate`` escapes its text."""
    if not targets:
        return mark_safe(f'<div class="text-muted">{esc(_("尚未设定走访目标：不计算进度。"))}</div>')
    sentence = _("走访目标（%(y)s 年起）：每人每月 %(m)s 次，每年联系选民 %(p)s 人")
    households = _("、走访 %(h)s 户")
    stop = esc(_("。"))
    lines = []
    for t in targets:
        text = sentence % {"m": esc(localize(t.visits_per_month)), "p": esc(localize(t.people_per_year)),
                           "y": esc(localize(t.year))}
        if t.households_per_year:
            text += households % {"h": esc(localize(t.households_per_year))}
        lines.append(f"<div><strong>{esc(t.township.name)}</strong> {text}{stop}</div>\n  ")
    return mark_safe("".join(lines))
