"""The visits list's table rows, written in Python: the same markup as the row template they replace (kept as the
reference in tests/deputies/test_visit_rows.py), without its ~40 template nodes, a loop over the opinions and up
to three URL reversals per row (docs/performance.md, seventh round)."""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from presidium.notifications.links import pk_links

SHOWN_OPINIONS = 2  # the first opinions a row quotes; the others are counted


class VisitRows:
    """Writes the rows of one page: labels, link shapes and each method's label worked out once."""

    def __init__(self, *, show_township: bool, show_deputy: bool):
        self.show_township, self.show_deputy = show_township, show_deputy
        self.detail_url = pk_links(lambda pk: reverse("deputies:visit_detail", args=[pk]))
        self.photo_url = pk_links(lambda pk: reverse("deputies:visit_photo", args=[pk]))
        self.thumbnail_url = pk_links(lambda pk: reverse("deputies:visit_photo_thumbnail", args=[pk]))
        self.labels = {key: esc(text) for key, text in (
            ("date", _("日期")), ("deputy", _("代表")), ("place", _("地点")), ("method", _("方式")),
            ("counts", _("户/人")), ("opinions", _("选民意见")), ("converted", _("已转办")),
            ("original", _("查看原图")), ("photo", _("走访照片")), ("view", _("查看")))}
        self.more = _("共 %(n)s 条")
        self._methods: dict[str, str] = {}

    def method(self, visit) -> str:
        if visit.method not in self._methods:
            self._methods[visit.method] = esc(visit.get_method_display())
        return self._methods[visit.method]

    def opinions(self, visit) -> str:
        lab = self.labels
        opinions = visit.opinion_list
        if not opinions:
            return '<span class="text-muted">—</span>'
        quoted = "".join(
            f'<div>{n}. {esc(Truncator(o.content).chars(40))}'
            f'{f""" <span class="badge text-bg-info">{lab["converted"]}</span>""" if o.converted_kind else ""}</div>'
            for n, o in enumerate(opinions[:SHOWN_OPINIONS], start=1))
        if len(opinions) > SHOWN_OPINIONS:
            quoted += f'<div class="text-muted">{self.more % {"n": len(opinions)}}</div>'
        return quoted

    def photos(self, visit) -> str:
        if not visit.photo_count:
            return ""
        lab, first = self.labels, visit.first_photo_id
        return (f'<div class="text-muted d-flex align-items-center gap-2 mt-1"><a href="{self.photo_url(first)}" '
                f'target="_blank" rel="noopener" title="{lab["original"]}"><img class="visit-thumb rounded border" '
                f'src="{self.thumbnail_url(first)}" alt="{lab["photo"]}" loading="lazy" width="56" height="56"></a>'
                f'<span><i class="bi bi-image"></i> {visit.photo_count}</span></div>')

    def __call__(self, v) -> SafeString:
        """The ``<tr>`` of visit ``v`` (with its ``opinion_list``, ``photo_count`` and ``first_photo_id``)."""
        lab = self.labels
        deputy = ""
        if self.show_deputy:
            township = f"{esc(v.township.name)} " if self.show_township else ""
            group = v.deputy.group
            deputy = (f'<td data-label="{lab["deputy"]}" class="nowrap"><div>{esc(v.deputy.name)}'
                      f'<div class="small text-muted">{township}{esc(group.name) if group is not None else ""}'
                      f'</div></div></td>')
        return mark_safe(
            f'<tr>\n'
            f'      <td data-label="{lab["date"]}" class="nowrap">{date_filter(v.visited_on, "Y-m-d")}</td>\n'
            f'      {deputy}\n'
            f'      <td data-label="{lab["place"]}">{esc(v.place)}</td>\n'
            f'      <td data-label="{lab["method"]}" class="nowrap">{self.method(v)}</td>\n'
            f'      <td data-label="{lab["counts"]}" class="nowrap">{v.households} / {v.people}</td>\n'
            f'      <td data-label="{lab["opinions"]}" class="small"><div>{self.opinions(v)}{self.photos(v)}</div></td>\n'
            f'      <td class="text-end nowrap"><a class="btn btn-sm btn-outline-secondary" '
            f'href="{self.detail_url(v.pk)}">{lab["view"]}</a></td>\n'
            f'    </tr>')
