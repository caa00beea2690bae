"""The duty archive's sections, written in Python: the same markup as the section loop the archive template had
(kept as the reference in tests/deputies/test_archive_html.py). A year's archive lists a few dozen lines in up to
ten sections; the loop's ~60 template nodes a line were a fifth of a deputy's own archive's CPU
(docs/performance.md, tenth round)."""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import localize
from django.utils.html import conditional_escape as esc
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _


def _shown(value) -> str:
    """``{{ value }}`` as the template shows it (local time, localized, escaped)."""
    return esc(localize(template_localtime(value)))


def _day(value) -> str:
    """``{{ value|date:"Y-m-d" }}``."""
    return esc(date_filter(template_localtime(value), "Y-m-d"))


def sections_html(sections, csrf_token: str) -> SafeString:
    """Every section's card; ``csrf_token``: the value the remove buttons' forms post (the page's token)."""
    csrf_input = (format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
                  if csrf_token and csrf_token != "NOTPROVIDED" else "")
    confirm, remove = esc(_("确定删除这条记录？")), esc(_("删除"))
    out = []
    for section in sections:
        out.append(f'\n<div class="card mb-3" data-section="{esc(section.key)}">\n  <div class="card-header d-flex '
                   f'flex-wrap justify-content-between align-items-center gap-2"><span class="fw-semibold">'
                   f'{esc(section.title)}</span>\n    ')
        if section.counts:
            figures = "".join(
                f'<span class="text-muted">{_shown(label)} <strong class="text-body">'
                f'{_day(value) if getattr(value, "year", None) else _shown(value)}</strong></span>'
                for label, value in section.counts.items())
            out.append(f'<div class="d-flex flex-wrap gap-3 small">{figures}</div>')
        out.append("\n  </div>\n  ")
        if not section.available:
            out.append(f'\n    <div class="card-body text-muted small"><i class="bi bi-plug"></i> '
                       f'{_shown(section.empty_text)}</div>\n  ')
        else:
            out.append("\n    ")
            if section.text:
                out.append(f'<div class="card-body border-bottom">{linebreaksbr(section.text, autoescape=True)}</div>')
            out.append("\n    ")
            if section.rows:
                out.append('\n    <ul class="list-group list-group-flush">\n      ')
                for row in section.rows:
                    title = (f'<a href="{esc(row.url)}">{esc(row.title)}</a>' if row.url
                             else f"<span>{esc(row.title)}</span>")
                    detail = f'<span class="small text-muted">{esc(row.detail)}</span>' if row.detail else ""
                    status = (f'<span class="badge text-bg-{esc(row.tone)}">{esc(row.status)}</span>' if row.status
                              else "")
                    form = (f'<form method="post" action="{esc(row.remove_url)}" class="ms-auto" '
                            f'data-confirm="{confirm}">{csrf_input}<button class="btn btn-link btn-sm text-danger p-0" '
                            f'type="submit">{remove}</button></form>' if row.remove_url else "")
                    out.append(f'<li class="list-group-item d-flex flex-wrap gap-2 align-items-baseline">\n        '
                               f'<span class="text-muted nowrap small">{_day(row.date)}</span>\n        {title}\n'
                               f'        {detail}\n        {status}\n        {form}\n      </li>')
                out.append("\n    </ul>\n    ")
            out.append("\n    ")
            if section.is_empty:
                out.append(f'<div class="card-body text-muted small">{_shown(section.empty_text)}</div>')
            out.append("\n  ")
        out.append("\n</div>\n")
    return mark_safe("".join(out))
