"""Reception-day screens: the published rota, one day, the rota rule, the duty steps, the monthly summary."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from petitions.access import mask_name
from petitions.models import ReceptionDay, ReceptionDuty
from petitions.reception import selectors, services
from petitions.reception.access import MANAGE, SUMMARY, VIEW, may_manage, reception_q
from petitions.reception.choices import DayStatus, DutyAction, DutyStatus
from petitions.reception.forms import (
    AddDutyForm,
    CancelForm,
    DayForm,
    LeaveForm,
    MonthForm,
    NoteForm,
    RotaForm,
)
from petitions.reception.rows import DayCards, set_summary_rows
from presidium.access import has_perm, townships_where
from presidium.documents.excel import XLSX_CONTENT_TYPE, Column, attachment_response, write_xlsx
from presidium.filters import ModelChoiceFilter, PortalFilterSet
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


def petition_url(petition) -> str:
    return petition.get_absolute_url()


def _require(user, action: str) -> None:
    if not has_perm(user, action):
        raise PermissionDenied


def _days(user):
    return selectors.reception_days_visible_to(user)


def _duties(user):
    return ReceptionDuty.objects.filter(reception_q(user, field="day__township")).select_related(
        "day__township", "deputy", "group")


# --- the published rota -----------------------------------------------------------------------------

PERIODS = [("upcoming", gettext_lazy("今天及以后")), ("past", gettext_lazy("已过去的")), ("all", gettext_lazy("全部"))]


def _townships(request):
    return townships_where(request.user if request else None, VIEW)


class DayFilter(PortalFilterSet):
    period = django_filters.ChoiceFilter(label=gettext_lazy("时间"), choices=PERIODS, method="filter_period",
                                         empty_label=None)
    township = ModelChoiceFilter(label=gettext_lazy("乡镇"), queryset=_townships)
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=DayStatus.choices)
    start = django_filters.DateFilter(label=gettext_lazy("从"), field_name="date", lookup_expr="gte",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    end = django_filters.DateFilter(label=gettext_lazy("到"), field_name="date", lookup_expr="lte",
                                    widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = ReceptionDay
        fields = ["period", "township", "status", "start", "end"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("period", "upcoming")
        super().__init__(data, *args, **kwargs)
        if self.request is not None and _townships(self.request).count() <= 1:
            self.filters.pop("township", None)

    def filter_period(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(date__gte=today).order_by("date", "township__name", "pk")
        if value == "past":
            return queryset.filter(date__lt=today).order_by("-date", "township__name", "pk")
        return queryset


def _duty_names(day) -> str:
    return "、".join(f"{d.deputy.name}（{d.get_status_display()}）" for d in day.duty_list)


class DayListView(PortalListView):
    """接待日安排: the published rota, phones first (a card per day)."""

    filterset_class = DayFilter
    template_name = "petitions/reception/receptionday_list.html"
    page_title = gettext_lazy("接待日安排")
    export_filename = "接待日安排"
    paginate_by = 30
    export_columns = [
        Column("乡镇", "township.name", 10), Column("日期", "date", 12), Column("地点", "place", 20),
        Column("状态", "get_status_display", 8), Column("值班代表", _duty_names, 40),
        Column("节假日", "holiday", 10), Column("接待件数", "cases", 8), Column("接待人次", "visits", 8),
        Column("备注", "note", 20), Column("取消原因", "cancel_reason", 20),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        return (selectors.with_taken(_days(self.request.user)).select_related("township__county")
                .prefetch_related(selectors.duties_prefetch(names_only=True)).order_by("-date", "pk"))

    def export_rows(self, queryset):
        return selectors.flag_holidays(list(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        days = selectors.label_groups(selectors.flag_holidays(list(context["object_list"])))
        user = self.request.user
        context.update(days=days, today=timezone.localdate(), can_manage=has_perm(user, MANAGE),
                       can_summary=has_perm(user, SUMMARY),
                       show_township=len({d.township_id for d in days}) > 1)
        card = DayCards(today=context["today"], show_township=context["show_township"])
        for day in days:
            day.card_html = card(day)
        return context


# --- one day ----------------------------------------------------------------------------------------


def _duty_actions(duty, user, today):
    """The buttons a duty row shows: each step with its URL and, when not possible now, the reason."""
    steps = [(DutyAction.SIGN_IN, "reception:duty_sign_in"), (DutyAction.REQUEST_LEAVE, "reception:duty_leave"),
             (DutyAction.MARK_ABSENT, "reception:duty_absent"), (DutyAction.CONFIRM, "reception:duty_confirm")]
    staff = may_manage(user, duty.day.township_id)
    own = services.is_own_duty(user, duty)
    actions = []
    for action, url_name in steps:
        step = services.DUTY_TRANSITIONS.get((DutyStatus(duty.status), action))
        if step is None:
            continue
        if (step.who == "staff" and not staff) or (step.who == "own" and not own) or (
                step.who == "deputy" and not (own or staff)):
            continue  # not this user's step at all: no button
        actions.append({"action": action, "label": action.label, "url": reverse(url_name, args=[duty.pk]),
                        "refusal": services.duty_refusal(duty, action, user, on=today),
                        "form": action == DutyAction.REQUEST_LEAVE})
    return actions


@login_required
def day_detail(request, pk: int):
    _require(request.user, VIEW)
    day = get_object_or_404(_days(request.user).select_related("township__county", "cancelled_by", "created_by")
                            .prefetch_related(selectors.duties_prefetch()), pk=pk)
    today = timezone.localdate()
    user = request.user
    for duty in day.duty_list:
        duty.day = day
        duty.actions = _duty_actions(duty, user, today)
    taken = selectors.with_taken(ReceptionDay.objects.filter(pk=day.pk)).values("cases", "visits").first()
    petitions = list(selectors.petitions_taken(day, user)[:100])
    for petition in petitions:
        petition.masked_name = _("匿名") if petition.anonymous else (mask_name(petition.name) or "—")
        petition.url = petition_url(petition)
    staff = may_manage(user, day.township_id)
    add_form = None
    if staff and day.status != DayStatus.CANCELLED:
        add_form = AddDutyForm(township=day.township, exclude=[d.deputy_id for d in day.duty_list])
    return render(request, "petitions/reception/receptionday_detail.html", {
        "add_form": add_form,
        "day": day, "today": today, "holiday": selectors.holiday_of(day), "taken": taken,
        "petitions": petitions, "can_manage": staff, "cancel_refusal": services.day_cancel_refusal(day),
        "on_duty_left": staff and day.date < today and any(d.status == DutyStatus.ON_DUTY for d in day.duty_list),
        "page_title": _("%(date)s 接待日") % {"date": f"{day.date:%Y-%m-%d}"},
    })


# --- arranging the rota ------------------------------------------------------------------------------


class RotaView(ServiceFormView):
    form_class = RotaForm
    template_name = "petitions/reception/receptionday_generate.html"
    page_title = gettext_lazy("安排接待日（排班）")
    submit_label = gettext_lazy("生成接待日")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, MANAGE)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = list(townships_where(self.request.user, MANAGE).order_by("name"))
        return kwargs

    def perform(self, form):
        data = form.cleaned_data
        rule = services.RotaRule(start=data["start"], end=data["end"], weekdays=data["weekdays"] or [],
                                 dates=data["dates"] or [], groups=list(data["groups"] or []),
                                 deputies=list(data["deputies"] or []), per_day=data.get("per_day") or 1)
        self.result = services.reception_days_generate(township=data["township"], rule=rule, place=data["place"],
                                                       note=data["note"], by=self.request.user)
        return reverse("reception:day_list") + "?period=all&start=" + f"{data['start']:%Y-%m-%d}"

    def get_success_message(self):
        message = _("已生成 %(n)s 个接待日，值班代表可在首页“我的接待日”看到。") % {"n": len(self.result.created)}
        on_holidays = [d for d in selectors.flag_holidays(
            list(ReceptionDay.objects.filter(pk__in=[d.pk for d in self.result.created])
                 .select_related("township"))) if d.holiday]
        if on_holidays:
            message += _("其中 %(dates)s 是法定节假日，请确认是否照常接待。") % {
                "dates": "、".join(f"{d.date:%m-%d}（{d.holiday}）" for d in on_holidays[:10])}
        if self.result.skipped:
            message += _("另有 %(n)s 天已安排过，未重复生成：%(dates)s。") % {
                "n": len(self.result.skipped), "dates": "、".join(f"{d:%m-%d}" for d in self.result.skipped[:10])}
        return message


class DayActionMixin:
    """Load a visible day (404 otherwise); only the township's staff go on (403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        self.day = get_object_or_404(_days(request.user), pk=kwargs["pk"])
        if not may_manage(request.user, self.day.township_id):
            raise PermissionDenied
        self.cancel_url = self.day.get_absolute_url()
        return super().dispatch(request, *args, **kwargs)


class DayEditView(DayActionMixin, ServiceFormView):
    form_class = DayForm
    page_title = gettext_lazy("修改接待日")
    success_message = gettext_lazy("接待日已修改。")

    def get_initial(self):
        return {"place": self.day.place, "note": self.day.note}

    def perform(self, form):
        return services.reception_day_update(day=self.day, by=self.request.user, **form.cleaned_data)


class DayCancelView(DayActionMixin, ServiceFormView):
    form_class = CancelForm
    page_title = gettext_lazy("取消接待日")
    submit_label = gettext_lazy("确认取消")
    success_message = gettext_lazy("接待日已取消，已通知值班代表。")

    def perform(self, form):
        return services.reception_day_cancel(day=self.day, by=self.request.user, reason=form.cleaned_data["reason"])


@login_required
@require_POST
def day_mark_absent_all(request, pk: int):
    day = get_object_or_404(_days(request.user), pk=pk)
    if not may_manage(request.user, day.township_id):
        raise PermissionDenied
    try:
        n = services.duty_mark_absent_all(day=day, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已将 %(n)s 名未签到、未请假的代表登记为缺席。") % {"n": n})
    return redirect(day.get_absolute_url())


@login_required
@require_POST
def duty_add(request, pk: int):
    """添加值班代表 (替班) from the day's page."""
    day = get_object_or_404(_days(request.user), pk=pk)
    if not may_manage(request.user, day.township_id):
        raise PermissionDenied
    form = AddDutyForm(request.POST, township=day.township)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(day.get_absolute_url())
    try:
        duty = services.reception_duty_add(day=day, deputy=form.cleaned_data["deputy"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已安排 %(name)s 值班，已通知本人。") % {"name": duty.deputy.name})
    return redirect(day.get_absolute_url())


# --- the duty steps ---------------------------------------------------------------------------------


def _duty_step(request, pk: int, call, done: str):
    duty = get_object_or_404(_duties(request.user), pk=pk)
    try:
        call(duty)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("home")
                    else duty.day.get_absolute_url())


@login_required
@require_POST
def duty_sign_in(request, pk: int):
    return _duty_step(request, pk, lambda duty: services.reception_duty_sign_in(duty=duty, by=request.user),
                      _("已签到，感谢您参加接待。"))


@login_required
@require_POST
def duty_absent(request, pk: int):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _duty_step(request, pk, lambda duty: services.reception_duty_mark_absent(duty=duty, by=request.user,
                                                                                     note=note),
                      _("已登记缺席。"))


@login_required
@require_POST
def duty_confirm(request, pk: int):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _duty_step(request, pk, lambda duty: services.reception_duty_confirm(duty=duty, by=request.user, note=note),
                      _("已确认出席。"))


class DutyLeaveView(ServiceFormView):
    form_class = LeaveForm
    page_title = gettext_lazy("接待日请假")
    submit_label = gettext_lazy("提交请假")
    success_message = gettext_lazy("请假已登记，人大办已收到。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.duty = get_object_or_404(_duties(request.user), pk=kwargs["pk"])
        refusal = services.duty_refusal(self.duty, DutyAction.REQUEST_LEAVE, request.user)
        if refusal and not (services.is_own_duty(request.user, self.duty)
                            or may_manage(request.user, self.duty.day.township_id)):
            raise PermissionDenied
        self.cancel_url = self.duty.day.get_absolute_url()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = self.duty.day
        context["form_intro"] = _("%(name)s · %(date)s %(place)s。请假须在接待日之前提出。") % {
            "name": self.duty.deputy.name, "date": f"{day.date:%Y-%m-%d}", "place": day.place}
        return context

    def perform(self, form):
        services.reception_duty_request_leave(duty=self.duty, by=self.request.user, reason=form.cleaned_data["reason"])
        return self.duty.day.get_absolute_url()


# --- the monthly summary ----------------------------------------------------------------------------


SUMMARY_DEPUTY_COLUMNS = [
    Column("乡镇", "township", 10), Column("代表", "label", 10), Column("代表小组", "group", 14),
    Column("排班次数", "scheduled", 10), Column("出席", "attended", 8), Column("请假", "leave", 8),
    Column("缺席", "absent", 8), Column("未结（当天或以后）", "pending", 12), Column("出席率", "attendance_rate", 8),
]
SUMMARY_DAY_COLUMNS = [
    Column("乡镇", "township.name", 10), Column("日期", "date", 12), Column("地点", "place", 18),
    Column("状态", "get_status_display", 8), Column("值班代表", _duty_names, 40), Column("节假日", "holiday", 10),
    Column("接待件数", "cases", 8), Column("接待人次", "visits", 8),
]


class SummaryView(LoginRequiredMixin, TemplateView):
    """月度汇总: per deputy and group, duties attended / on leave / absent; per day, 件 and 人次; as Excel too."""

    template_name = "petitions/reception/receptionday_summary.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require(request.user, SUMMARY)
        return super().dispatch(request, *args, **kwargs)

    def summary(self, *, duty_lists: bool = True):
        townships = list(townships_where(self.request.user, SUMMARY).order_by("name"))
        form = MonthForm(self.request.GET or None, townships=townships)
        today = timezone.localdate()
        year, month = today.year, today.month
        days = _days(self.request.user).filter(township__in=[t.pk for t in townships])
        if form.is_valid():
            if form.cleaned_data.get("month"):
                year, month = form.cleaned_data["month"]
            if form.cleaned_data.get("township"):
                days = days.filter(township=form.cleaned_data["township"])
        return form, selectors.month_summary(days, year, month, duty_lists=duty_lists)

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        form, summary = self.summary(duty_lists=export == "days")  # only the days' sheet names who was on duty
        if export in ("xlsx", "days"):
            return self.export(summary, days=export == "days")
        set_summary_rows(summary)
        return self.render_to_response({"form": form, "summary": summary, "page_title": _("接待日月度汇总"),
                                        "month_value": f"{summary.year:04d}-{summary.month:02d}"})

    def export(self, summary, *, days: bool):
        """The deputies' sheet (``?export=xlsx``) or the days' sheet (``?export=days``) of the month shown."""
        title = f"接待日月度汇总（{summary.year}年{summary.month}月）"
        if days:
            content = write_xlsx(summary.days, SUMMARY_DAY_COLUMNS, title=title, sheet_name="接待日")
            name = f"接待日接待情况-{summary.year}{summary.month:02d}.xlsx"
        else:
            content = write_xlsx([*summary.deputies, summary.total], SUMMARY_DEPUTY_COLUMNS, title=title,
                                 sheet_name="代表值班")
            name = f"接待日值班汇总-{summary.year}{summary.month:02d}.xlsx"
        return attachment_response(content, name, XLSX_CONTENT_TYPE)


# --- the deputy's home: 我的接待日 ---------------------------------------------------------------------


def home_block(request) -> str | None:
    """我的接待日: the deputy's next duties, with the sign-in button on the day itself."""
    from deputies.selectors import deputy_of

    deputy = deputy_of(request.user)
    if deputy is None:
        return None
    today = timezone.localdate()
    duties = selectors.next_duties(deputy, on=today)
    if not duties:
        return None
    for duty in duties:
        duty.actions = [a for a in _duty_actions(duty, request.user, today) if a["refusal"] is None]
    return render_to_string("petitions/reception/home_deputy.html", {"duties": duties, "today": today},
                            request=request)
