"""Checklist screens: the list, one checklist with its townships, drafting items, publishing, copying,
the reviewer's comparison of townships (table, chart, Excel) and the county summary (PDF / Word)."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.models import Checklist
from evaluations.scorecards import selectors, services
from evaluations.scorecards.access import MANAGE, RESPOND, VIEW, checklists_visible_to, may_manage
from evaluations.scorecards.choices import ChecklistState, PeriodKind, ResponseState
from evaluations.scorecards.comparison_rows import ComparisonRows
from evaluations.scorecards.forms import ChecklistForm, ItemForm
from evaluations.scorecards.views.common import checklist_for, item_for, managed_checklist, require
from presidium.access import counties_visible_to, has_perm, scope_of
from presidium.choices import COUNTY_ROLES
from presidium.db import reporting
from presidium.documents.excel import Column
from presidium.filters import PortalFilterSet
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


class ChecklistFilter(PortalFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=ChecklistState.choices)
    period_kind = django_filters.ChoiceFilter(label=gettext_lazy("周期"), choices=PeriodKind.choices)
    year = django_filters.NumberFilter(label=gettext_lazy("年度"), field_name="period_start", lookup_expr="year")

    class Meta:
        model = Checklist
        fields = ["state", "period_kind", "year"]


def _own_township_ids(user) -> list[int]:
    from presidium.access import STAFF_ROLES

    return sorted(scope_of(user).township_ids(STAFF_ROLES))


class ChecklistListView(PortalListView):
    """考评清单: the county's checklists (a township's staff: the published ones, with their own response)."""

    filterset_class = ChecklistFilter
    template_name = "evaluations/scorecards/checklist_list.html"
    page_title = gettext_lazy("乡镇工作考评")
    export_filename = "考评清单"
    paginate_by = 30
    export_columns = [Column("标题", "title", 36), Column("周期", "get_period_kind_display", 8),
                      Column("开始", "period_start", 12), Column("结束", "period_end", 12),
                      Column("填报截止", "responses_due", 12), Column("状态", "get_state_display", 8),
                      Column("事项数", "item_count", 8), Column("已提交", "submitted_count", 8),
                      Column("已定稿", "finalised_count", 8)]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request.user, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        submitted = [ResponseState.SUBMITTED, ResponseState.FINALISED]
        return checklists_visible_to(self.request.user).annotate(
            item_count=Count("items", distinct=True),
            submitted_count=Count("responses", filter=Q(responses__state__in=submitted), distinct=True),
            finalised_count=Count("responses", filter=Q(responses__state=ResponseState.FINALISED), distinct=True),
        ).order_by("-period_start", "-pk")

    def get_context_data(self, **kwargs):
        from evaluations.models import TownshipResponse

        context = super().get_context_data(**kwargs)
        user = self.request.user
        checklists = list(context["object_list"])
        own = {}
        township_ids = _own_township_ids(user)
        if township_ids:
            for response in TownshipResponse.objects.filter(checklist__in=[c.pk for c in checklists],
                                                            township_id__in=township_ids).select_related("township"):
                own.setdefault(response.checklist_id, []).append(response)
        for checklist in checklists:
            checklist.own_responses = own.get(checklist.pk, [])
        context.update(checklists=checklists, can_manage=has_perm(user, MANAGE))
        return context


class ChecklistCreateView(ServiceFormView):
    form_class = ChecklistForm
    template_name = "components/form_page.html"
    page_title = gettext_lazy("起草考评清单")
    submit_label = gettext_lazy("保存草稿")
    success_message = gettext_lazy("已保存草稿，请添加考评事项，然后发布。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(request.user, MANAGE)
        return super().dispatch(request, *args, **kwargs)

    def _counties(self):
        scope = scope_of(self.request.user)
        counties = counties_visible_to(self.request.user)
        return counties if scope.is_superuser else counties.filter(pk__in=sorted(scope.county_ids(COUNTY_ROLES)))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "counties": self._counties()}

    def perform(self, form):
        return services.checklist_create(by=self.request.user, **form.cleaned_data)


class ChecklistEditView(ServiceFormView):
    form_class = ChecklistForm
    page_title = gettext_lazy("修改考评清单")
    success_message = gettext_lazy("已保存。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.checklist = managed_checklist(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        from presidium.models import County

        return {**super().get_form_kwargs(), "counties": County.objects.filter(pk=self.checklist.county_id)}

    def get_initial(self):
        c = self.checklist
        return {"county": c.county, "title": c.title, "period_kind": c.period_kind, "period_start": c.period_start,
                "period_end": c.period_end, "responses_due": c.responses_due,
                "plan_working_days": c.plan_working_days}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("county")
        return services.checklist_update(checklist=self.checklist, by=self.request.user, **data)


class ItemFormView(ServiceFormView):
    form_class = ItemForm
    success_message = gettext_lazy("已保存事项。")
    item = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if "item" in kwargs:
                self.item = item_for(request.user, kwargs["item"])
                self.checklist = self.item.checklist
            else:
                self.checklist = managed_checklist(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("修改考评事项") if self.item else _("添加考评事项")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=self.get_page_title(), cancel_url=self.checklist.get_absolute_url(),
                                        **kwargs)

    def get_initial(self):
        if self.item is None:
            return {}
        i = self.item
        return {"section": i.section, "position": i.position, "title": i.title, "guidance": i.guidance,
                "points": i.points, "evidence_expected": i.evidence_expected, "indicator_key": i.indicator_key,
                "target": i.target}

    def perform(self, form):
        services.checklist_item_save(checklist=self.checklist, item=self.item, by=self.request.user,
                                     **form.cleaned_data)
        return self.checklist.get_absolute_url()


def _post_step(request, checklist, call, done: str):
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(checklist.get_absolute_url())
    messages.success(request, done)
    return redirect(result.get_absolute_url() if result is not None else checklist.get_absolute_url())


@login_required
@require_POST
def item_delete(request, item: int):
    found = item_for(request.user, item)
    return _post_step(request, found.checklist,
                      lambda: services.checklist_item_delete(item=found, by=request.user), _("已删除事项。"))


@login_required
@require_POST
def checklist_publish(request, pk: int):
    checklist = managed_checklist(request.user, pk)
    return _post_step(request, checklist, lambda: services.checklist_publish(checklist=checklist, by=request.user),
                      _("已发布，各乡镇已收到通知。"))


@login_required
@require_POST
def checklist_close(request, pk: int):
    checklist = managed_checklist(request.user, pk)
    return _post_step(request, checklist, lambda: services.checklist_close(checklist=checklist, by=request.user),
                      _("本期考评已结束。"))


@login_required
@require_POST
def checklist_copy(request, pk: int):
    checklist = managed_checklist(request.user, pk)
    return _post_step(request, checklist, lambda: services.checklist_copy(source=checklist, by=request.user),
                      _("已复制为下一期清单草稿，请检查日期和事项后发布。"))


@login_required
def checklist_detail(request, pk: int):
    checklist = checklist_for(request.user, pk)
    user = request.user
    manage = may_manage(user, checklist.county_id)
    items = list(checklist.items.all())
    ranking = selectors.period_ranking(checklist) if checklist.state != ChecklistState.DRAFT else []
    own_ids = set(_own_township_ids(user))
    own_rows = [r for r in ranking if r.township.pk in own_ids]
    if not manage:
        ranking = []  # a township sees its own response, score and rank, never the others'
    publish_refusal = None
    if checklist.state == ChecklistState.DRAFT and not items:
        publish_refusal = _("清单还没有事项，请先添加事项再发布。")
    elif checklist.state == ChecklistState.DRAFT and checklist.responses_due < timezone.localdate():
        publish_refusal = _("填报截止日期已过，请先修改截止日期。")
    return render(request, "evaluations/scorecards/checklist_detail.html", {
        "checklist": checklist, "items": items, "can_manage": manage, "ranking": ranking, "own_rows": own_rows,
        "township_count": len(selectors.period_ranking(checklist)) if own_rows else 0,
        "can_respond": has_perm(user, RESPOND), "publish_refusal": publish_refusal,
        "total_points": sum(i.points for i in items), "page_title": checklist.title,
    })


@login_required
def comparison(request, pk: int):
    """The reviewer's comparison: townships side by side per item and indicator, a chart, Excel."""
    from evaluations.scorecards.documents import comparison_xlsx
    from presidium.documents.excel import XLSX_CONTENT_TYPE, attachment_response

    checklist = managed_checklist(request.user, pk)
    data = selectors.comparison(checklist)
    if request.GET.get("export") == "xlsx":
        return attachment_response(comparison_xlsx(data), f"{checklist.title}-各乡镇比较.xlsx", XLSX_CONTENT_TYPE)
    year = selectors.year_ranking(checklist)
    table = ComparisonRows()
    return render(request, "evaluations/scorecards/checklist_comparison.html", {
        "checklist": checklist, "data": data, "chart": data.chart(), "year": year,
        "table_head": table.head(data.responses), "table_rows": table(data.rows),
        "page_title": _("%(title)s：各乡镇比较") % {"title": checklist.title},
    })


@login_required
@reporting()
def summary_document(request, pk: int):
    """全县汇总 as PDF (default) or Word (``?format=docx``)."""
    from evaluations.scorecards.documents import summary_document as describe
    from presidium.documents.official import official_pdf
    from presidium.documents.pdf import pdf_response
    from presidium.documents.word import docx_response, official_docx

    checklist = managed_checklist(request.user, pk)
    if checklist.state == ChecklistState.DRAFT:
        raise PermissionDenied(_("清单尚未发布。"))
    document = describe(selectors.comparison(checklist, live=False), selectors.year_ranking(checklist))
    name = f"{checklist.title}-全县汇总"
    if request.GET.get("format") == "docx":
        return docx_response(official_docx([document]), name)
    return pdf_response(official_pdf([document]), name)
