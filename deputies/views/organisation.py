"""Constituencies, deputy groups and liaison stations; the composition statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from deputies import access as deputies_access
from deputies import selectors, services
from deputies.choices import TOWNSHIP_SEAT_LEVELS, DeputyLevel, DeputyStatus, GroupKind
from deputies.filters import (
    CURRENT_TERM,
    ConstituencyFilter,
    GroupFilter,
    StationFilter,
    term_choices,
)
from deputies.forms import ConstituencyForm, GroupForm, MembersForm, StationForm, StationStaffForm
from deputies.models import Deputy, StationStaff
from deputies.statistics import chart_option, composition, summary_sentence
from deputies.views.common import DeputiesListView
from presidium.access import has_perm, townships_visible_to, townships_where
from presidium.documents.excel import Column, xlsx_response
from presidium.views.forms import ServiceFormView

_SERVING_SEATS = Q(deputies__status=DeputyStatus.SERVING, deputies__level__in=TOWNSHIP_SEAT_LEVELS)


class ManageMixin:
    """Create views: 403 unless the user administers deputies somewhere; the townships they may pick."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, deputies_access.MANAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def managed_townships(self):
        return townships_where(self.request.user, deputies_access.MANAGE)


class ManageObjectMixin:
    """Edit views: load the object among visible ones (404), then require deputies.manage there (403)."""

    def load(self, queryset, pk):
        obj = get_object_or_404(queryset, pk=pk)
        if not has_perm(self.request.user, deputies_access.MANAGE, obj.township):
            raise PermissionDenied
        return obj


# --- constituencies ------------------------------------------------------------------------------
class ConstituencyListView(DeputiesListView):
    required_action = deputies_access.VIEW_REGISTRY
    filterset_class = ConstituencyFilter
    template_name = "deputies/constituency_list.html"
    page_title = pgettext_lazy("list", "选区")
    export_filename = "选区"
    export_columns = [
        Column("乡镇", "township.name", 10), Column("选区名称", "name", 16), Column("包含的村（组）", "villages", 36),
        Column("应选名额", "seats", 10), Column("在任代表", "serving", 10),
        Column("超出名额", lambda c: "是" if c.serving > c.seats else "", 10), Column("备注", "note", 20),
    ]

    def visible_queryset(self):
        return (selectors.constituencies_visible_to(self.request.user)
                .annotate(serving=Count("deputies", filter=_SERVING_SEATS))
                .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.filter(
                    status=DeputyStatus.SERVING, level__in=TOWNSHIP_SEAT_LEVELS).order_by("name_pinyin"),
                    to_attr="serving_deputies"))
                .order_by("township__name", "name_sort_key", "name"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_perm(self.request.user, deputies_access.MANAGE)
        return context


class ConstituencyCreateView(ManageMixin, ServiceFormView):
    form_class = ConstituencyForm
    page_title = gettext_lazy("登记选区")
    success_message = gettext_lazy("选区已登记。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "townships": self.managed_townships()}

    def perform(self, form):
        constituency = services.constituency_create(by=self.request.user, **form.cleaned_data)
        return constituency.get_absolute_url()


class ConstituencyUpdateView(ManageObjectMixin, ServiceFormView):
    form_class = ConstituencyForm
    success_message = gettext_lazy("选区已保存。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.constituency = self.load(selectors.constituencies_visible_to(request.user), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = townships_visible_to(self.request.user).filter(pk=self.constituency.township_id)
        return kwargs

    def get_initial(self):
        c = self.constituency
        return {"township": c.township, "name": c.name, "villages": c.villages, "seats": c.seats, "note": c.note}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("修改选区 · %(n)s") % {"n": self.constituency.name}, **kwargs)

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "township"}
        services.constituency_update(constituency=self.constituency, by=self.request.user, **data)
        return self.constituency.get_absolute_url()


# --- groups --------------------------------------------------------------------------------------
class GroupListView(DeputiesListView):
    required_action = deputies_access.VIEW_REGISTRY
    filterset_class = GroupFilter
    template_name = "deputies/group_list.html"
    page_title = pgettext_lazy("list", "代表小组")
    export_filename = "代表小组"
    export_columns = [
        Column("乡镇", "township.name", 10), Column("名称", "name", 16), Column("类型", "get_kind_display", 10),
        Column("所属大组", "parent.name", 14), Column("组长", "leader.name", 10), Column("副组长", "deputy_leader.name", 10),
        Column("在任成员", "member_count", 10), Column("备注", "note", 20),
    ]

    def visible_queryset(self):
        serving_members = Count("members", filter=Q(members__status=DeputyStatus.SERVING), distinct=True)
        serving_in_subgroups = Count("subgroups__members", filter=Q(subgroups__members__status=DeputyStatus.SERVING),
                                     distinct=True)
        return (selectors.groups_visible_to(self.request.user).select_related("leader", "deputy_leader")
                .annotate(direct=serving_members, nested=serving_in_subgroups)
                .order_by("township__name", "sort_order", "name_sort_key", "name"))

    def export_rows(self, queryset):
        rows = list(queryset)
        for group in rows:
            group.member_count = group.direct if group.kind == GroupKind.SMALL else group.nested
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.export_rows(context["object_list"])
        context["can_manage"] = has_perm(self.request.user, deputies_access.MANAGE)
        return context


@login_required
def group_detail(request, pk: int):
    group = get_object_or_404(selectors.groups_visible_to(request.user).select_related("leader", "deputy_leader"),
                              pk=pk)
    members = Deputy.objects.filter(Q(group=group) | Q(group__parent=group)).select_related("group").order_by(
        "status", "name_pinyin")
    return render(request, "deputies/group_detail.html", {
        "group": group, "members": members, "subgroups": group.subgroups.order_by("sort_order", "name_sort_key", "name"),
        "can_manage": has_perm(request.user, deputies_access.MANAGE, group.township),
    })


class GroupCreateView(ManageMixin, ServiceFormView):
    form_class = GroupForm
    page_title = gettext_lazy("新建代表小组")
    success_message = gettext_lazy("代表小组已建立。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "townships": self.managed_townships()}

    def perform(self, form):
        group = services.deputy_group_create(by=self.request.user, **form.cleaned_data)
        return reverse("deputies:group_detail", args=[group.pk])


class GroupUpdateView(ManageObjectMixin, ServiceFormView):
    form_class = GroupForm
    success_message = gettext_lazy("代表小组已保存。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = self.load(selectors.groups_visible_to(request.user), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(townships=townships_visible_to(self.request.user).filter(pk=self.group.township_id),
                      group=self.group)
        return kwargs

    def get_initial(self):
        g = self.group
        return {"township": g.township, "name": g.name, "kind": g.kind, "parent": g.parent, "leader": g.leader,
                "deputy_leader": g.deputy_leader, "sort_order": g.sort_order, "note": g.note}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("修改 · %(n)s") % {"n": self.group.name}, **kwargs)

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "township"}
        services.deputy_group_update(group=self.group, by=self.request.user, **data)
        return reverse("deputies:group_detail", args=[self.group.pk])


class GroupMembersView(ManageObjectMixin, ServiceFormView):
    form_class = MembersForm
    success_message = gettext_lazy("成员已更新。")
    submit_label = gettext_lazy("保存成员")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = self.load(selectors.groups_visible_to(request.user), kwargs["pk"])
        if self.group.kind != GroupKind.SMALL:
            messages.info(request, _("代表大组由代表小组组成，请在各小组中编入代表。"))
            return redirect("deputies:group_detail", pk=self.group.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        candidates = (Deputy.objects.filter(selectors.in_term_q(self.group.term), township_id=self.group.township_id,
                                     status=DeputyStatus.SERVING)
                      .select_related("group").order_by("name_pinyin"))
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_initial(self):
        return {"deputies": list(self.group.members.filter(status=DeputyStatus.SERVING))}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("编入成员 · %(n)s") % {"n": self.group.name},
            form_intro=_("勾选本小组的代表。一名代表只属于一个小组：勾选其他小组的代表会把他调入本组。"), **kwargs)

    def perform(self, form):
        services.deputy_group_set_members(group=self.group, by=self.request.user,
                                          deputies=form.cleaned_data["deputies"])
        return reverse("deputies:group_detail", args=[self.group.pk])


# --- liaison stations ----------------------------------------------------------------------------
class StationListView(DeputiesListView):
    required_action = deputies_access.VIEW_REGISTRY
    filterset_class = StationFilter
    template_name = "deputies/station_list.html"
    page_title = pgettext_lazy("list", "代表联络站")
    export_filename = "代表联络站"
    export_columns = [
        Column("乡镇", "township.name", 10), Column("名称", "name", 20), Column("类型", "get_kind_display", 12),
        Column("层级", "get_level_display", 12), Column("所在村（社区）", "village", 14), Column("地址", "address", 28),
        Column("联系电话", "phone", 14), Column("接待安排", "reception_schedule", 30),
        Column("五有达标项", "five_has_done", 10), Column("星级", "star_rating", 8),
        Column("进站代表", "deputy_count", 10), Column("在用", "is_active", 8),
    ]

    def visible_queryset(self):
        return (selectors.stations_visible_to(self.request.user)
                .annotate(deputy_count=Count("deputies", filter=Q(deputies__status=DeputyStatus.SERVING)))
                .prefetch_related(Prefetch("staff", queryset=StationStaff.objects.order_by("role", "name")))
                .order_by("township__name", "level", "name"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_perm(self.request.user, deputies_access.MANAGE)
        return context


@login_required
def station_detail(request, pk: int):
    station = get_object_or_404(selectors.stations_visible_to(request.user), pk=pk)
    return render(request, "deputies/station_detail.html", {
        "station": station,
        "staff": station.staff.select_related("deputy").order_by("role", "name"),
        "deputies": station.deputies.filter(status=DeputyStatus.SERVING).select_related("group").order_by(
            "name_pinyin"),
        "can_manage": has_perm(request.user, deputies_access.MANAGE, station.township),
    })


class StationCreateView(ManageMixin, ServiceFormView):
    form_class = StationForm
    page_title = gettext_lazy("新建代表联络站")
    success_message = gettext_lazy("联络站已建立。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "townships": self.managed_townships()}

    def perform(self, form):
        station = services.liaison_station_create(by=self.request.user, **form.cleaned_data)
        return reverse("deputies:station_detail", args=[station.pk])


class StationUpdateView(ManageObjectMixin, ServiceFormView):
    form_class = StationForm
    success_message = gettext_lazy("联络站已保存。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.station = self.load(selectors.stations_visible_to(request.user), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(townships=townships_visible_to(self.request.user).filter(pk=self.station.township_id),
                      station=self.station)
        return kwargs

    def get_initial(self):
        initial = {name: getattr(self.station, name) for name in services.registry.STATION_FIELDS}
        initial["township"] = self.station.township
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("修改 · %(n)s") % {"n": self.station.name}, **kwargs)

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "township"}
        services.liaison_station_update(station=self.station, by=self.request.user, **data)
        return reverse("deputies:station_detail", args=[self.station.pk])


class StationStaffCreateView(ManageObjectMixin, ServiceFormView):
    form_class = StationStaffForm
    success_message = gettext_lazy("工作人员已添加。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.station = self.load(selectors.stations_visible_to(request.user), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        deputies = Deputy.objects.filter(selectors.in_term_q(self.station.term), township_id=self.station.township_id,
                                         status=DeputyStatus.SERVING).order_by("name_pinyin")
        return {**super().get_form_kwargs(), "deputies": deputies}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("添加工作人员 · %(n)s") % {"n": self.station.name}, **kwargs)

    def perform(self, form):
        services.station_staff_add(station=self.station, by=self.request.user, **form.cleaned_data)
        return reverse("deputies:station_detail", args=[self.station.pk])


@login_required
@require_POST
def station_staff_remove(request, pk: int):
    staff = get_object_or_404(StationStaff.objects.filter(station__in=selectors.stations_visible_to(request.user))
                              .select_related("station__township"), pk=pk)
    if not has_perm(request.user, deputies_access.MANAGE, staff.station.township):
        raise PermissionDenied
    services.station_staff_remove(staff=staff, by=request.user)
    messages.success(request, _("已移除。"))
    return redirect("deputies:station_detail", pk=staff.station_id)


class StationDeputiesView(ManageObjectMixin, ServiceFormView):
    form_class = MembersForm
    success_message = gettext_lazy("进站代表已更新。")
    submit_label = gettext_lazy("保存")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.station = self.load(selectors.stations_visible_to(request.user), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        candidates = (Deputy.objects.filter(selectors.in_term_q(self.station.term), township_id=self.station.township_id,
                                     status=DeputyStatus.SERVING)
                      .select_related("group").order_by("name_pinyin"))
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_initial(self):
        return {"deputies": list(self.station.deputies.filter(status=DeputyStatus.SERVING))}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("进站代表 · %(n)s") % {"n": self.station.name}, **kwargs)

    def perform(self, form):
        services.station_set_deputies(station=self.station, by=self.request.user,
                                      deputies=form.cleaned_data["deputies"])
        return reverse("deputies:station_detail", args=[self.station.pk])


# --- composition statistics ----------------------------------------------------------------------
SCOPES = {
    "township": (gettext_lazy("乡镇人大代表（含两级代表）"), Q(level__in=TOWNSHIP_SEAT_LEVELS)),
    "county": (gettext_lazy("驻乡镇县人大代表（含两级代表）"), Q(level__in=[DeputyLevel.COUNTY, DeputyLevel.BOTH])),
    "all": (gettext_lazy("全部代表"), Q()),
}


@login_required
def composition_view(request):
    if not has_perm(request.user, deputies_access.VIEW_REGISTRY):
        raise PermissionDenied
    townships = townships_where(request.user, deputies_access.VIEW_REGISTRY)
    township = None
    if request.GET.get("township", "").isdigit():
        township = get_object_or_404(townships, pk=int(request.GET["township"]))
    scope = request.GET.get("scope") if request.GET.get("scope") in SCOPES else "township"
    choices = term_choices(request.user)
    term = request.GET.get("term") if request.GET.get("term") in {key for key, _label in choices} else CURRENT_TERM
    queryset = selectors.seated(selectors.deputies_visible_to(request.user), term).filter(SCOPES[scope][1])
    if township is not None:
        queryset = queryset.filter(township=township)
    queryset = queryset.order_by()
    total, tables = composition(queryset)
    if request.GET.get("export") == "xlsx":
        rows = [{"table": t.title, "label": r.label, "count": r.count, "percent": f"{r.percent}%"}
                for t in tables for r in t.rows]
        stamp = timezone.localdate().strftime("%Y%m%d")
        title = f"{township or _('全部乡镇')} {SCOPES[scope][0]} 构成统计（{total} 名）"
        return xlsx_response(rows, [Column("统计项", "table", 14), Column("类别", "label", 24),
                                    Column("人数", "count", 8), Column("占比", "percent", 8)],
                             f"代表构成统计-{stamp}.xlsx", title=title)
    township_list = list(townships)
    return render(request, "deputies/composition.html", {
        "total": total, "tables": tables, "summary": summary_sentence(total, tables),
        "charts": [(t, chart_option(t)) for t in tables],
        "townships": township_list, "township": township, "show_township_choice": len(township_list) > 1,
        "scopes": [(key, label) for key, (label, _q) in SCOPES.items()], "scope": scope,
        "term_choices": choices, "term": term,
    })
