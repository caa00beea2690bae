"""The list of items (with the Excel ledger of exactly what is filtered) and the progress-hearing list."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.access import has_perm, scope_of
from presidium.choices import Role
from presidium.documents.excel import Column
from presidium.views.lists import PortalListView
from proposals.access import FIGURES, MANAGE, SUBMIT
from proposals.filters import SuggestionFilter
from proposals.list_rows import HEARING_ROW_FIELDS, LIST_ROW_FIELDS, HearingRows, SuggestionRows
from proposals.models import Consultation, CoUnit, SupervisionAction
from proposals.selectors import (
    open_items,
    suggestions_visible_to,
    with_pending_cosignature,
    with_pending_hand_back,
)


def _co_units(s) -> str:
    """The current co-units (协办单位), from the prefetch ``SuggestionListView.export_rows`` makes."""
    links = getattr(s, "current_co_units", None)
    if links is None:
        links = s.co_unit_links.filter(released_at__isnull=True).select_related("unit").order_by("pk")
    return "、".join(link.unit.name for link in links)


LEDGER_COLUMNS = [
    Column("编号", "serial", 12),
    Column("乡镇", "township.name", 10),
    Column("类型", "get_kind_display", 12),
    Column("标题（案由）", "title", 40),
    Column("类别", "category.name", 10),
    Column("领衔代表", lambda s: s.lead_deputy.name if s.lead_deputy_id else "主席团", 10),
    Column("提出时间", "get_raised_during_display", 10),
    Column("提交日期", lambda s: timezone.localdate(s.submitted_at) if s.submitted_at else None, 12),
    Column("状态", "get_status_display", 10),
    Column("主办单位", lambda s: s.lead_unit.name if s.lead_unit_id else "", 16),
    Column("协办单位", _co_units, 24),
    Column("分管领导", "responsible_leader", 10),
    Column("督办方式", "get_supervision_mode_display", 10),
    Column("重点建议", "is_key", 8),
    Column("交办日期", lambda s: timezone.localdate(s.assigned_at) if s.assigned_at else None, 12),
    Column("办理期限", "deadline", 12),
    # Its own column, so the deadline stays a real date that sorts and filters.
    Column("期限暂定", lambda s: s.deadline_provisional if s.deadline else None, 9),
    Column("办理轮次", "round", 8),
    Column("首次面商", lambda s: timezone.localdate(s.first_consulted_at) if s.first_consulted_at else None, 12),
    Column("首次答复", lambda s: timezone.localdate(s.first_replied_at) if s.first_replied_at else None, 12),
    Column("按期答复", lambda s: s.first_reply_on_time if s.first_replied_at else None, 8),
    Column("办理结果", "get_result_class_display", 22),
    Column("代表满意度", "get_satisfaction_display", 10),
    Column("办结日期", lambda s: timezone.localdate(s.closed_at) if s.closed_at else None, 12),
    Column("五公开", "is_public", 8),
]


class SuggestionListView(PortalListView):
    filterset_class = SuggestionFilter
    template_name = "proposals/suggestion_list.html"
    page_title = _("议案建议")
    export_filename = "议案建议办理台账"
    export_columns = LEDGER_COLUMNS
    paginate_by = 30
    # What a page's rows read (the Excel export reads the whole filtered queryset, with its own joins).
    row_joins = ("township", "category", "lead_deputy", "lead_unit")
    row_fields = LIST_ROW_FIELDS

    def export_rows(self, queryset):
        return queryset.select_related("township", "category", "lead_deputy", "lead_unit").prefetch_related(
            Prefetch("co_unit_links", queryset=CoUnit.objects.filter(released_at__isnull=True).select_related("unit")
                     .order_by("pk"), to_attr="current_co_units"))

    def visible_queryset(self):
        queryset = with_pending_hand_back(suggestions_visible_to(self.request.user))
        if scope_of(self.request.user).has_role(Role.DEPUTY):
            queryset = with_pending_cosignature(queryset, self.request.user)
        # The rows name their lead deputy only: the deputy's encrypted ID number is not read (a Fernet decryption
        # a row, 2 ms a page).
        return queryset.defer("lead_deputy__id_number").order_by("-serial_year", "-serial_number", "-created_at", "-pk")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and not has_perm(request.user, FIGURES):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_submit"] = has_perm(user, SUBMIT)
        context["can_export"] = has_perm(user, FIGURES)
        context["is_staff"] = has_perm(user, MANAGE)
        context["today"] = timezone.localdate()
        # Only a deputy's rows carry ``awaiting_my_signature``: asking the others' rows for it costs the
        # template a failed lookup (a dir() of the instance) per row.
        context["asks_signatures"] = scope_of(user).has_role(Role.DEPUTY)
        # The county's rows come from several townships: say whose (as the petitions and visits lists do).
        context["show_township"] = len({s.township_id for s in context["object_list"]}) > 1
        self.write_rows(context)
        return context

    def write_rows(self, context) -> None:
        row_html = SuggestionRows(today=context["today"], show_township=context["show_township"],
                                  asks_signatures=context["asks_signatures"])
        for s in context["object_list"]:
            s.row_html = row_html(s)


HEARING_COLUMNS = [
    Column("主办单位", lambda s: s.lead_unit.name if s.lead_unit_id else "（未交办）", 16),
    *[c for c in LEDGER_COLUMNS if c.header in ("编号", "标题（案由）", "领衔代表", "状态", "办理期限", "期限暂定",
                                                   "办理轮次")],
    Column("面商次数", "consultation_count", 8),
    Column("督办次数", "supervision_count", 8),
    Column("最近督办", "last_supervised", 12),
    Column("逾期", lambda s: bool(s.deadline and s.is_open_handling and s.deadline < timezone.localdate()), 6),
]


class HearingListView(SuggestionListView):
    """The presidium's bi-monthly progress hearing: everything still open, grouped by lead unit.

    50 items a page (a unit's group continues on the next page under its name again); the Excel export holds the
    whole list for the hearing's papers. The meeting and supervision figures are subqueries, so the database
    works them out for the page's rows only instead of grouping every open item's joins before the LIMIT."""

    template_name = "proposals/hearing_list.html"
    page_title = _("办理进展听取（未办结事项）")
    export_filename = "未办结议案建议"
    export_columns = HEARING_COLUMNS
    paginate_by = 50
    row_joins = ("lead_unit", "lead_deputy")
    row_fields = HEARING_ROW_FIELDS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, FIGURES):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        def per_item(model):
            return model.objects.filter(suggestion=OuterRef("pk")).order_by().values("suggestion")

        return (
            open_items(suggestions_visible_to(self.request.user))
            .select_related("lead_unit", "lead_deputy")
            .annotate(consultation_count=Coalesce(Subquery(per_item(Consultation).annotate(n=Count("pk"))
                                                           .values("n")), 0),
                      supervision_count=Coalesce(Subquery(per_item(SupervisionAction).annotate(n=Count("pk"))
                                                          .values("n")), 0),
                      last_supervised=Subquery(per_item(SupervisionAction).annotate(last=Max("held_on"))
                                               .values("last")))
            .order_by("lead_unit__name", "deadline", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's rows by lead unit, each with the unit's open items in the whole (filtered) list: a unit's group
        # may start on the page before, and the badge should not count only this page's share.
        rows = context["object_list"]
        unit_ids = {s.lead_unit_id for s in rows}
        of_page = Q(lead_unit_id__in=[pk for pk in unit_ids if pk])
        if None in unit_ids:
            of_page |= Q(lead_unit__isnull=True)
        totals = dict(self.object_list.filter(of_page).order_by().values("lead_unit_id").annotate(n=Count("pk"))
                      .values_list("lead_unit_id", "n"))
        groups: list[dict] = []
        for s in rows:
            if not groups or groups[-1]["unit_id"] != s.lead_unit_id:
                groups.append({"unit_id": s.lead_unit_id, "unit": s.lead_unit, "items": [],
                               "total": totals.get(s.lead_unit_id, 0)})
            groups[-1]["items"].append(s)
        context["groups"] = groups
        return context

    def write_rows(self, context) -> None:
        row_html = HearingRows(today=context["today"])
        for s in context["object_list"]:
            s.row_html = row_html(s)
