"""The visits list's table rows, written in Python: the same markup as the row template they replace (kept as the
reference in tests/deputies/test_visit_rows.py), without its ~40 template nodes, a loop over the opinions and up
to three URL reversals per row (docs/performance.md, seventh round)."""

from __future__ import annotations

from functools import cache

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.encoding import force_str
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


class _Named:
    """A township, deputy or group as a row shows it: its name (the deputy's also their group)."""

    __slots__ = ("name", "group")

    def __init__(self, name, group=None):
        self.name, self.group = name, group


class _Opinion:
    __slots__ = ("content", "converted_kind")

    def __init__(self, content, converted_kind):
        self.content, self.converted_kind = content, converted_kind


class ListedVisit:
    """One visit of a list page, read as the plain values its row shows (``ROW_VALUES``), not as a visit with its
    township, deputy and group as model instances (4 instances a row, the deputy's with its encrypted personal
    fields): the same attributes the row (and its reference template) reads."""

    __slots__ = ("pk", "township_id", "township", "deputy", "visited_on", "place", "method", "households", "people",
                 "photo_count", "first_photo_id", "opinion_list", "row_html")

    def __init__(self, row):
        (self.pk, self.township_id, township_name, deputy_name, group_name, self.visited_on, self.place, self.method,
         self.households, self.people, self.photo_count, self.first_photo_id) = row
        self.township = _Named(township_name)
        self.deputy = _Named(deputy_name, None if group_name is None else _Named(group_name))
        self.opinion_list = []

    @property
    def id(self):
        return self.pk

    def __eq__(self, other):
        """Equal to the visit it lists (as a model instance equals another of the same row)."""
        from deputies.models import Visit

        if isinstance(other, ListedVisit | Visit):
            return self.pk is not None and self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def __repr__(self):
        return f"<ListedVisit {self.pk}>"

    def get_method_display(self):
        """As ``Visit.get_method_display``: the choice's label in the active language."""
        return force_str(_method_labels().get(self.method, self.method), strings_only=True)

    def get_absolute_url(self):
        return reverse("deputies:visit_detail", args=[self.pk])


@cache
def _method_labels() -> dict:
    from deputies.models import Visit

    return dict(Visit._meta.get_field("method").flatchoices)


# The columns a row shows, in ListedVisit's order (photo_count and first_photo_id are the list's annotations).
ROW_VALUES = ("pk", "township_id", "township__name", "deputy__name", "deputy__group__name", "visited_on", "place",
              "method", "households", "people", "photo_count", "first_photo_id")


def listed_visits(rows) -> list[ListedVisit]:
    """The page's visits from their ``ROW_VALUES`` tuples, each with its opinions in order (one query, the two
    columns a row quotes)."""
    from deputies.models import VisitOpinion

    visits = [ListedVisit(row) for row in rows]
    by_pk = {visit.pk: visit for visit in visits}
    if by_pk:
        for visit_id, content, converted_kind in (VisitOpinion.objects.filter(visit_id__in=list(by_pk))
                                                  .order_by("position", "pk")
                                                  .values_list("visit_id", "content", "converted_kind")):
            by_pk[visit_id].opinion_list.append(_Opinion(content, converted_kind))
    return visits
