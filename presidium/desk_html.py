"""The chair's desk (主席团待决定事项), written in Python: the same markup as ``presidium/home_chair.html`` (kept as
the reference in tests/presidium/test_desk_html.py), without its template nodes for each of the desk's ~40 lines
(docs/performance.md, ninth round)."""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape as esc
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _


def desk_html(sections: list[dict]) -> str:
    """The desk of ``sections`` (each ``{"section": ChairSection, "rows": [DecisionRow], "more_url": str}``)."""
    parts = ['\n<section class="mb-4" data-testid="chair-desk">\n  <h2 class="h5">', esc(_("主席团待决定事项")),
             '</h2>\n  <div class="row g-3">\n    ']
    more_label = esc(_("全部"))
    for item in sections:
        section, rows, more_url = item["section"], item["rows"], item["more_url"]
        parts.append(f'\n    <div class="col-12 col-lg-6">\n      <div class="card h-100" '
                     f'data-testid="chair-section-{esc(section.key)}">\n        <div class="card-header d-flex '
                     f'align-items-center gap-2"><span class="me-auto">{esc(section.title)}</span>')
        if rows:
            parts.append(f'<span class="badge text-bg-secondary">{len(rows)}</span>')
        if more_url:
            parts.append(f'<a class="small" href="{esc(more_url)}">{more_label}</a>')
        parts.append('</div>\n        <ul class="list-group list-group-flush">\n          ')
        for row in rows:
            when = (f'<span class="small text-nowrap text-{esc(row.tone)}">{esc(date_filter(template_localtime(row.when), "Y-m-d"))}'
                    f'</span>') if row.when else ""
            detail = f'<div class="small text-muted">{esc(row.detail)}</div>' if row.detail else ""
            parts.append(f'\n          <li class="list-group-item">\n            <div class="d-flex gap-2"><a '
                         f'class="me-auto" href="{esc(row.url or "#")}">{esc(row.title)}</a>{when}</div>\n'
                         f'            {detail}\n          </li>\n          ')
        if not rows:
            parts.append(f'<li class="list-group-item small text-muted">{esc(section.empty or _("目前没有。"))}</li>')
        parts.append('\n        </ul>\n      </div>\n    </div>\n    ')
    parts.append('\n  </div>\n</section>\n')
    return "".join(parts)
