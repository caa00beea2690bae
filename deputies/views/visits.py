"""Visits to constituents: the phone-first form, the list, one visit, photos, converting opinions."""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from deputies import access as deputies_access
from deputies import selectors, services
from deputies.choices import DeputyStatus, VisitMethod
from deputies.conversions import conversions_for, converted_label, converted_url, get_conversion, review_url
from deputies.filters import VisitFilter
from deputies.forms import OpinionFormSet, VisitForm, opinion_inputs
from deputies.models import Deputy, Visit, VisitOpinion, VisitPhoto
from deputies.views.common import DeputiesListView
from deputies.visit_rows import ROW_VALUES, VisitRows, listed_visits
from presidium.access import has_perm, townships_where
from presidium.choice_labels import labels_of
from presidium.documents.excel import Column
from presidium.documents.storage import private_file_response
from presidium.idempotency import (
    AlreadySubmitted,
    OneTimeSubmit,
    cut_off_message,
    issue_token,
    repeat_response,
)
from presidium.models import HandlingUnit
from presidium.views.forms import apply_validation_error

# The ledger's columns read from the database as plain values (one tuple a visit, not a visit with its township,
# deputy and group as model instances: building those was half of a 100,000-row export's time).
EXPORT_VALUES = ("township__name", "deputy__name", "deputy__group__name", "visited_on", "place", "method",
                 "households", "people", "summary", "follow_up", "pk")
_OPINIONS = len(EXPORT_VALUES)  # the row's last item: its opinions' text


def _exported(name: str):
    return itemgetter(EXPORT_VALUES.index(name))


@lru_cache(maxsize=64)
def _method_label(method: str, language: str | None) -> str:
    return str(labels_of(Visit._meta.get_field("method")).get(method, method))


def _method_display(row) -> str:
    """The visit's 走访方式 label (the ledger is written in Chinese), translated once per method and language."""
    return _method_label(row[EXPORT_VALUES.index("method")], get_language())


def visits_with_opinions(visits):
    """Yield the visits (ordered newest first) as tuples of ``EXPORT_VALUES`` and their opinions' text, in two queries
    however many rows: the visits and their opinions are read as two streams in the same order and merged, instead of
    a prefetch per chunk of rows (which grew the export's queries with its size)."""
    from presidium.documents.excel import ITERATOR_CHUNK_SIZE

    opinions = iter(VisitOpinion.objects.filter(visit__in=visits.order_by().values("pk"))
                    .annotate(visit_date=F("visit__visited_on"))
                    .order_by("-visit_date", "-visit_id", "position", "pk")
                    .values_list("visit_date", "visit_id", "content")
                    .iterator(chunk_size=ITERATOR_CHUNK_SIZE))
    pending = next(opinions, None)
    on, pk = EXPORT_VALUES.index("visited_on"), EXPORT_VALUES.index("pk")
    for visit in visits.values_list(*EXPORT_VALUES).iterator(chunk_size=ITERATOR_CHUNK_SIZE):
        key = (visit[on], visit[pk])
        contents = []
        # Opinions sort after the visit they belong to is passed; one whose visit the stream no longer holds
        # (changed between the two reads) is skipped rather than given to the wrong visit.
        while pending is not None and pending[:2] >= key:
            if pending[1] == key[1]:
                contents.append(pending[2])
            pending = next(opinions, None)
        yield (*visit, "\n".join(f"{i}. {content}" for i, content in enumerate(contents, start=1)))


# The filters whose total the yearly rows the visit services keep can give (selectors.visits_counted).
COUNTED_FILTERS = frozenset({"township", "has_opinions"})


class VisitListView(DeputiesListView):
    required_action = deputies_access.VIEW_VISITS
    filterset_class = VisitFilter
    template_name = "deputies/visit_list.html"
    capped_search = "q"  # "村" matches nearly every visit: count at most SearchPaginator.CAP
    page_title = gettext_lazy("走访选民")
    export_filename = "走访选民记录"
    export_columns = [
        Column("乡镇", _exported("township__name"), 10), Column("代表", _exported("deputy__name"), 10),
        Column("代表小组", _exported("deputy__group__name"), 14), Column("走访日期", _exported("visited_on"), 12),
        Column("村（社区）/地点", _exported("place"), 18), Column("走访方式", _method_display, 10),
        Column("户数", _exported("households"), 8), Column("人数", _exported("people"), 8),
        Column("走访情况", _exported("summary"), 30), Column("选民意见", itemgetter(_OPINIONS), 50),
        Column("跟进与反馈", _exported("follow_up"), 30),
    ]

    ordering = ("-visited_on", "-pk")

    def visible_queryset(self):
        visits = selectors.visits_visible_to(self.request.user).select_related("deputy__group")
        # For the Excel export, only the columns the ledger prints are read, as values (EXPORT_VALUES, read by
        # export_rows): a deputy row carries encrypted personal fields, never decrypted here. The opinions are
        # merged in by export_rows; no photos. A page reads its rows' own values (paginate_queryset).
        return visits.order_by(*self.ordering)

    def paginate_queryset(self, queryset, page_size):
        """The page's visits as the values their rows show (``visit_rows.ROW_VALUES``) and their opinions: no model
        instances, and a two-join query instead of the visit, township, deputy and group rows (the deputy's with its
        encrypted personal fields): 8 ms of fetching and decoding for 50 rows, against 2."""
        photos = VisitPhoto.objects.filter(visit=OuterRef("pk")).order_by()
        visits = (queryset.select_related(None)
                  # Correlated subqueries, not Count("photos"): a join and GROUP BY would group every visit of the
                  # county before the page's LIMIT; these run for the page's rows only (and the paginator's count
                  # leaves them out, as it leaves out the joins of the values read below).
                  .annotate(photo_count=Coalesce(Subquery(photos.values("visit").annotate(n=Count("pk")).values("n")),
                                                 0),
                            first_photo_id=Subquery(photos.order_by("pk").values("pk")[:1])))
        paginator, page, _rows, is_paginated = super().paginate_queryset(visits, page_size)
        page.object_list = listed_visits(page.object_list.values_list(*ROW_VALUES))  # the page's slice
        return paginator, page, page.object_list, is_paginated

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        paginator = super().get_paginator(queryset, per_page, orphans=orphans,
                                          allow_empty_first_page=allow_empty_first_page, **kwargs)
        filterset = getattr(self, "filterset", None)
        if type(paginator) is not Paginator or filterset is None or (filterset.is_bound and not filterset.is_valid()):
            return paginator
        chosen = filterset.form.cleaned_data if filterset.is_bound else {}
        # Any filter but these two (those of today and any added later) is counted from the visits.
        if any(value not in (None, "") for name, value in chosen.items() if name not in COUNTED_FILTERS) \
                or chosen.get("has_opinions") is False:
            return paginator
        total = selectors.visits_counted(self.request.user, township=chosen.get("township"),
                                         with_opinions=bool(chosen.get("has_opinions")))
        if total is not None:
            paginator.__dict__["count"] = total  # Paginator.count is a cached_property: the kept total, not COUNT(*)
        return paginator

    def export_rows(self, queryset):
        return visits_with_opinions(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        deputy_only = deputies_access.is_deputy_only(user)
        own = selectors.deputy_of(user) if deputy_only else None
        visits = context["object_list"]
        show_township = len({v.township_id for v in visits}) > 1
        row_html = VisitRows(show_township=show_township, show_deputy=not deputy_only)
        for visit in visits:
            visit.row_html = row_html(visit)
        context.update(
            show_township=show_township,
            own_deputy=own,
            can_record=has_perm(user, deputies_access.RECORD_VISIT),
            is_deputy_only=deputy_only,
        )
        if own is not None:
            year = timezone.localdate().year
            context.update(progress=selectors.progress_for([own], year)[own.pk], year=year)
        return context


def _place_suggestions(township_id: int) -> list[str]:
    """Villages of the township (handling units of kind village and constituency villages) for the datalist."""
    names = list(HandlingUnit.objects.filter(township_id=township_id, kind="village", is_active=True)
                 .order_by("name").values_list("name", flat=True))
    return names[:60]


class VisitFormView(LoginRequiredMixin, View):
    """Create (no pk) or edit (pk) a visit. One POST carries the visit, its opinions and its photos.

    Saved once and whole: a repeated submit of the same page (a second tap, a retry on a slow link) goes to
    the first result, and a cut-off upload saves nothing (:mod:`presidium.idempotency`).
    """

    template_name = "deputies/visit_form.html"
    once: OneTimeSubmit | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        self.visit = None
        if "pk" in kwargs:
            self.visit = get_object_or_404(selectors.visits_visible_to(user), pk=kwargs["pk"])
            services.ensure_may_record_for(user, self.visit.deputy)  # 403 for someone else's visit
        elif not has_perm(user, deputies_access.RECORD_VISIT):
            raise PermissionDenied
        self.deputy_only = deputies_access.is_deputy_only(user)
        self.own = selectors.deputy_of(user) if self.deputy_only else None
        if self.visit is None and self.deputy_only and (self.own is None or not self.own.is_serving):
            return render(request, "deputies/not_linked.html", {"not_serving": self.own is not None}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def deputies(self):
        if self.deputy_only:
            return Deputy.objects.filter(pk=(self.visit.deputy_id if self.visit else self.own.pk))
        qs = selectors.deputies_visible_to(self.request.user).filter(
            township__in=_record_townships(self.request.user))
        if self.visit is not None:
            return qs.filter(pk=self.visit.deputy_id)
        return qs.filter(status=DeputyStatus.SERVING).order_by("name_pinyin")

    def fixed_deputy(self):
        if self.visit is not None:
            return self.visit.deputy
        if self.own is not None:
            return self.own
        wanted = self.request.GET.get("deputy", "")
        if wanted.isdigit():
            return self.deputies().filter(pk=int(wanted)).first()
        return None

    def forms(self, data=None, files=None):
        initial, opinions = {}, []
        if self.visit is not None:
            v = self.visit
            initial = {"deputy": v.deputy, "visited_on": v.visited_on, "place": v.place, "method": v.method,
                       "households": v.households, "people": v.people, "summary": v.summary,
                       "follow_up": v.follow_up}
            opinions = [{"pk": o.pk, "content": o.content, "category": o.category, "raised_by": o.raised_by}
                        for o in v.opinions.order_by("position", "pk")]
        form = VisitForm(data, files, initial=initial, deputies=self.deputies(), fixed_deputy=self.fixed_deputy())
        formset = OpinionFormSet(data, prefix="opinions", initial=opinions or None)
        if self.visit is not None and opinions:
            formset.extra = 0
        return form, formset

    def render_page(self, form, formset, status=200):
        deputy = self.fixed_deputy()
        township_id = deputy.township_id if deputy else getattr(self.own, "township_id", None)
        converted = set()
        if self.visit is not None:
            converted = set(self.visit.opinions.exclude(converted_kind="").values_list("pk", flat=True))
        return render(self.request, self.template_name, {
            "form": form, "formset": formset, "visit": self.visit, "fixed_deputy": deputy,
            "places": _place_suggestions(township_id) if township_id else [],
            "methods": VisitMethod.choices, "converted_ids": converted,
            "max_photos": services.MAX_PHOTOS_PER_VISIT,
            "form_token": self.once.token if self.once else issue_token(),
            "page_title": _("修改走访记录") if self.visit else _("记录走访选民"),
        }, status=status)

    def get(self, request, *args, **kwargs):
        form, formset = self.forms()
        return self.render_page(form, formset)

    def post(self, request, *args, **kwargs):
        self.once = OneTimeSubmit.of(request)
        earlier = self.once.earlier_result()
        if earlier is not None:
            return repeat_response(request, earlier)
        form, formset = self.forms(request.POST, request.FILES)
        if self.once.cut_off:
            form.add_error(None, cut_off_message())
            return self.render_page(form, formset)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_page(form, formset)
        data = dict(form.cleaned_data)
        deputy = data.pop("deputy")
        photos = data.pop("photos") or []
        try:
            with self.once.atomic() as receipt:
                if self.visit is None:
                    visit = services.visit_create(deputy=deputy, by=request.user, opinions=opinion_inputs(formset),
                                                  photos=photos, **data)
                else:
                    visit = services.visit_update(visit=self.visit, by=request.user,
                                                  opinions=opinion_inputs(formset), photos=photos, **data)
                receipt.done(visit)
        except AlreadySubmitted as repeat:
            return repeat_response(request, repeat.url)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_page(form, formset)
        messages.success(request, _("走访记录已保存。") if self.visit is None else _("走访记录已修改。"))
        return redirect(receipt.url)


def _record_townships(user):
    return townships_where(user, deputies_access.RECORD_VISIT)


@login_required
def visit_detail(request, pk: int):
    visit = get_object_or_404(selectors.visits_visible_to(request.user).select_related("deputy__group", "recorded_by"),
                              pk=pk)
    can_edit = True
    try:
        services.ensure_may_record_for(request.user, visit.deputy)
    except PermissionDenied:
        can_edit = False
    opinions = list(visit.opinions.select_related("converted_content_type", "converted_by").order_by("position", "pk"))
    for opinion in opinions:
        opinion.actions = conversions_for(request.user, opinion) if can_edit or has_perm(
            request.user, deputies_access.MANAGE, visit.township) else []
        opinion.converted_label = converted_label(opinion) if opinion.is_converted else ""
        opinion.converted_url = converted_url(opinion) if opinion.is_converted else ""
    return render(request, "deputies/visit_detail.html", {
        "visit": visit, "opinions": opinions, "photos": visit.photos.order_by("pk"), "can_edit": can_edit,
        "has_converted": any(o.is_converted for o in opinions),
    })


@login_required
@require_POST
def visit_delete(request, pk: int):
    visit = get_object_or_404(selectors.visits_visible_to(request.user), pk=pk)
    services.ensure_may_record_for(request.user, visit.deputy)
    try:
        services.visit_delete(visit=visit, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(visit.get_absolute_url())
    messages.success(request, _("走访记录已删除。"))
    return redirect("deputies:visit_list")


def _visible_photo(request, pk: int) -> VisitPhoto:
    photo = get_object_or_404(VisitPhoto.objects.filter(visit__in=selectors.visits_visible_to(request.user)), pk=pk)
    if not photo.image:
        raise Http404
    return photo


@login_required
def visit_photo(request, pk: int):
    photo = _visible_photo(request, pk)
    return private_file_response(photo.image, f"visit-{photo.visit_id}-{photo.pk}.jpg", inline=True,
                                 content_type="image/jpeg")


# A photo's thumbnail never changes under its URL: the browser may keep it a day (privately, never in a
# shared cache), so a list seen again on a slow link costs nothing. Full pictures stay uncached.
THUMBNAIL_CACHE = "private, max-age=86400"


@login_required
def visit_photo_thumbnail(request, pk: int):
    """The small copy, checked like the photo itself; made on first request for photos stored before."""
    photo = _visible_photo(request, pk)
    if not photo.thumbnail:
        try:
            photo = services.visit_photo_thumbnail_ensure(photo=photo)
        except OSError:  # the picture's file is missing or unreadable: nothing to show, not a 500
            raise Http404 from None
    response = private_file_response(photo.thumbnail, f"visit-{photo.visit_id}-{photo.pk}-thumb.jpg", inline=True,
                                     content_type="image/jpeg")
    response["Cache-Control"] = THUMBNAIL_CACHE
    return response


@login_required
@require_POST
def visit_photo_delete(request, pk: int):
    photo = get_object_or_404(VisitPhoto.objects.filter(visit__in=selectors.visits_visible_to(request.user))
                              .select_related("visit__deputy"), pk=pk)
    services.visit_photo_delete(photo=photo, by=request.user)
    messages.success(request, _("照片已删除。"))
    return redirect(photo.visit.get_absolute_url())


@login_required
@require_POST
def opinion_convert(request, pk: int, kind: str):
    if get_conversion(kind) is None:
        raise Http404
    opinion = get_object_or_404(VisitOpinion.objects.filter(visit__in=selectors.visits_visible_to(request.user))
                                .select_related("visit__deputy__township"), pk=pk)
    try:
        opinion = services.visit_opinion_convert(opinion=opinion, by=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(opinion.visit.get_absolute_url())
    messages.success(request, _("已转为%(k)s。") % {"k": converted_label(opinion)})
    return redirect(review_url(opinion) or opinion.visit.get_absolute_url())
