"""State changes of one item: each a form (or a bare POST) that calls one service, then back to the item."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from presidium.views.forms import ServiceFormView
from proposals import forms, permissions, services
from proposals.access import relations
from proposals.choices import ExtensionStatus, ResultClass, Satisfaction
from proposals.lifecycle import STAFF
from proposals.models import Cosignature, Extension, Rating, Reply
from proposals.services import deadlines
from proposals.views.items import co_unit_for, get_visible


class NotYet(Exception):  # noqa: N818 — a control-flow signal, not an error
    """The state does not allow the step yet: back to the item, which says why and what comes first."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def refuse(request, key: str, suggestion) -> None:
    """Let the step through, or say why not: a role that may never take it gets a 403; a state that does
    not allow it yet sends the user back to the item with the lifecycle's reason (raised as :class:`NotYet`)."""
    if permissions.can(request.user, key, suggestion):
        return
    reason = permissions.why_not(request.user, key, suggestion)
    if reason is None:
        raise PermissionDenied
    if key in dict(permissions.upcoming(request.user, suggestion)):
        # The item page shows this step disabled with the same reason beside it: say it once, there.
        reason = _("现在还不能“%(step)s”，原因和先要做的事见下方灰色按钮旁的说明。") % {
            "step": permissions.TRANSITION_KEYS[key].label}
    messages.warning(request, reason)
    raise NotYet(redirect(suggestion.get_absolute_url()))


class ItemActionView(ServiceFormView):
    """Load the visible item (404), check the step (403), show the form, call the service."""

    key = ""
    template_name = "proposals/action_form.html"
    intro = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.suggestion = get_visible(request.user, kwargs["pk"])
        try:
            self.check(request)
        except NotYet as not_yet:
            return not_yet.response
        return super().dispatch(request, *args, **kwargs)

    def check(self, request):
        refuse(request, self.key, self.suggestion)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form_intro", self.intro)
        context.update(s=self.suggestion, cancel_url=self.suggestion.get_absolute_url())
        return context

    def done(self) -> str:
        return self.suggestion.get_absolute_url()


def _post_action(key: str, call, message: str):
    """A bare POST step (no form): check, call the service, message, back to the item."""

    @login_required
    @require_POST
    def view(request, pk: int):
        suggestion = get_visible(request.user, pk)
        try:
            refuse(request, key, suggestion)
        except NotYet as not_yet:
            return not_yet.response
        try:
            call(suggestion=suggestion, by=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, message)
        return redirect(suggestion.get_absolute_url())

    view.__name__ = f"{key}_view"
    return view


submit_view = _post_action("submit", services.suggestion_submit, _("已提交，等待人大办登记。"))
accept_view = _post_action("accept", services.suggestion_accept, _("已签收，请尽快与代表面商。"))


@login_required
@require_GET
def deadline_preview(request, pk: int):
    """The deadline 交办 / 改办 would set today and how it is counted, for the form (an htmx partial)."""
    suggestion = get_visible(request.user, pk)
    if not relations(request.user, suggestion) & STAFF:
        raise PermissionDenied
    form = forms.DeadlinePreviewForm(request.GET)
    context = {"s": suggestion}
    if form.is_valid():
        context["preview"] = deadlines.preview(suggestion.township, choice=form.cleaned_data["deadline_choice"],
                                               working_days=form.cleaned_data["working_days"])
    else:
        context["problem"] = next(iter(form.errors.values()))[0] if form.errors else ""
    return render(request, "proposals/_deadline_preview.html", context)


@login_required
@require_POST
def publish_view(request, pk: int):
    suggestion = get_visible(request.user, pk)
    if not permissions.can(request.user, "publish", suggestion):
        raise PermissionDenied
    make_public = request.POST.get("public") == "1"
    try:
        services.suggestion_set_public(suggestion=suggestion, by=request.user, is_public=make_public)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已在五公开页面公开。") if make_public else _("已取消公开。"))
    return redirect(suggestion.get_absolute_url())


@login_required
@require_POST
def cosign_view(request, pk: int):
    """The invited deputy (or staff recording it) confirms or declines a co-signature."""
    cosignature = get_object_or_404(Cosignature.objects.select_related("deputy"), pk=pk)
    suggestion = get_visible(request.user, cosignature.suggestion_id)
    confirm = request.POST.get("decision") != "decline"
    try:
        if confirm:
            services.cosignature_confirm(cosignature=cosignature, by=request.user)
        else:
            services.cosignature_decline(cosignature=cosignature, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已确认联名。") if confirm else _("已谢绝联名。"))
    return redirect(suggestion.get_absolute_url())


class WithdrawView(ItemActionView):
    key = "withdraw"
    form_class = forms.OptionalNoteForm
    page_title = _("撤回")
    submit_label = _("确认撤回")
    intro = _("撤回后不再办理，也不能恢复。")
    success_message = _("已撤回，这件不再办理。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_message=_("撤回后不再办理，也不能恢复。确定撤回？"), **kwargs)

    def perform(self, form):
        services.suggestion_withdraw(suggestion=self.suggestion, by=self.request.user, reason=form.cleaned_data["note"])
        return self.done()


class ReturnView(ItemActionView):
    key = "return"
    form_class = forms.ReasonForm
    page_title = _("退回修改")
    submit_label = _("退回")
    intro = _("退回后成为草稿，代表修改后可以再次提交。退回理由代表能看到。")
    success_message = _("已退回给代表修改，代表会收到退回理由；修改后可以再次提交。")

    def perform(self, form):
        services.suggestion_return(suggestion=self.suggestion, by=self.request.user, reason=form.cleaned_data["reason"])
        return self.done()


class ConvertView(ItemActionView):
    key = "convert"
    form_class = forms.ReasonForm
    page_title = _("转换类别")
    submit_label = _("确认转换")
    success_message = _("已转换类别，领衔代表会收到通知。")

    def get_context_data(self, **kwargs):
        target = _("建议") if self.suggestion.is_motion else _("议案")
        return super().get_context_data(form_intro=_("将这件%(old)s转为%(new)s处理，理由会告知领衔代表。") % {
            "old": self.suggestion.get_kind_display(), "new": target}, **kwargs)

    def perform(self, form):
        services.suggestion_convert(suggestion=self.suggestion, by=self.request.user, reason=form.cleaned_data["reason"])
        return self.done()


class RegisterView(ItemActionView):
    key = "register"
    form_class = forms.RegisterForm
    page_title = _("登记编号")
    submit_label = _("登记")
    intro = _("登记时按乡镇、年度和类型分配编号。")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.suggestion.township}

    def get_initial(self):
        return {"category": self.suggestion.category}

    def perform(self, form):
        self.suggestion = services.suggestion_register(suggestion=self.suggestion, by=self.request.user,
                                                       category=form.cleaned_data["category"])
        return self.done()

    def get_success_message(self):
        if self.suggestion.is_motion:
            return _("已登记，编号 %(serial)s。下一步：主席团决定是否列入大会议程。") % {"serial": self.suggestion.serial}
        return _("已登记，编号 %(serial)s。下一步：交办承办单位。") % {"serial": self.suggestion.serial}


class AgendaView(ItemActionView):
    key = "agenda"
    form_class = forms.AgendaForm
    page_title = _("议案是否列入大会议程")
    submit_label = _("记录主席团决定")

    def perform(self, form):
        self.suggestion = services.suggestion_decide_agenda(suggestion=self.suggestion, by=self.request.user,
                                                            **form.cleaned_data)
        return self.done()

    def get_success_message(self):
        return _("已记录主席团决定：%(status)s。") % {"status": self.suggestion.get_status_display()}


class AssignView(ItemActionView):
    key = "assign"
    form_class = forms.AssignForm
    page_title = _("交办")
    submit_label = _("交办")
    template_name = "proposals/assign_form.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.suggestion.township}

    def perform(self, form):
        data = form.cleaned_data
        self.suggestion = services.suggestion_assign(
            suggestion=self.suggestion, by=self.request.user, lead_unit=data["lead_unit"], co_units=data["co_units"],
            responsible_leader=data["responsible_leader"], responsible_leader_user=data["responsible_leader_user"],
            supervision_mode=data["supervision_mode"], deadline_choice=data["deadline_choice"],
            working_days=data["working_days"], is_key=data["is_key"], leading_leader=data["leading_leader"],
            note=data["note"],
        )
        return self.done()

    def get_success_message(self):
        s = self.suggestion
        return _("已交办 %(unit)s 办理，期限 %(deadline)s。主办单位、领衔代表已收到通知；下一步由主办单位签收，"
                 "并在答复前与代表面商。") % {"unit": s.lead_unit.name, "deadline": f"{s.deadline:%Y-%m-%d}"}


class ConsultView(ItemActionView):
    key = "consult"
    form_class = forms.ConsultationRecordForm
    page_title = _("登记面商（三见面）")
    submit_label = _("登记面商")
    intro = _("交办后、办理中、答复前与领衔代表见面商量；答复前至少要有一次面商。")
    success_message = _("面商已登记。办好后可以答复代表。")

    def perform(self, form):
        services.consultation_record(suggestion=self.suggestion, by=self.request.user, **form.cleaned_data)
        return self.done()


class CoOpinionView(ItemActionView):
    key = "co_opinion"
    form_class = forms.CoOpinionForm
    page_title = _("提交协办意见")
    submit_label = _("送主办单位")
    intro = _("协办意见送主办单位，由主办单位统一答复代表。")
    success_message = _("协办意见已送主办单位，由主办单位统一答复代表。")

    def get_initial(self):
        link = co_unit_for(self.request.user, self.suggestion)
        return {"opinion": link.opinion if link else ""}

    def perform(self, form):
        link = co_unit_for(self.request.user, self.suggestion)
        if link is None:
            raise PermissionDenied
        services.co_unit_opinion_submit(suggestion=self.suggestion, by=self.request.user, unit=link.unit,
                                        opinion=form.cleaned_data["opinion"])
        return self.done()


class ReplyView(ItemActionView):
    key = "reply"
    form_class = forms.ReplyForm
    page_title = _("答复代表")
    submit_label = _("提交答复")
    template_name = "proposals/reply_form.html"
    one_time_token = True  # signed reply letters are uploaded with it
    success_message = _("答复已提交，领衔代表已收到通知。下一步：等待代表评价。")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["co_units"] = list(self.suggestion.co_unit_links.filter(released_at__isnull=True).select_related("unit"))
        context["co_units_waiting"] = [link for link in context["co_units"] if not link.opinion]
        confirm = _("答复提交后不能修改，领衔代表会收到通知。确定提交答复？")
        if context["co_units_waiting"]:
            confirm = _("还有 %(n)d 个协办单位没有送来意见（%(units)s）。") % {
                "n": len(context["co_units_waiting"]),
                "units": "、".join(link.unit.name for link in context["co_units_waiting"])} + confirm
        context["confirm_message"] = confirm
        return context

    def perform(self, form):
        data = form.cleaned_data
        services.reply_submit(suggestion=self.suggestion, by=self.request.user, text=data["text"],
                              result_class=ResultClass(data["result_class"]), promised_date=data["promised_date"],
                              reason=data["reason"], signed_by=data["signed_by"], files=data["files"])
        return self.done()


class ExtensionRequestView(ItemActionView):
    key = "extension"
    form_class = forms.ExtensionRequestForm
    page_title = _("申请延期（延办反馈书）")
    submit_label = _("提交申请")
    intro = _("一时办不到的，写明延期理由、最迟办理时间和办理措施，由人大办审批。")
    success_message = _("延期申请已提交，等待人大办审批；审批前办理期限不变。")

    def perform(self, form):
        services.extension_request(suggestion=self.suggestion, by=self.request.user, **form.cleaned_data)
        return self.done()


class RateView(ItemActionView):
    key = "rate"
    form_class = forms.RatingForm
    page_title = _("评价答复")
    submit_label = _("提交评价")
    template_name = "proposals/rate_form.html"

    def get_context_data(self, **kwargs):
        on_behalf = not (relations(self.request.user, self.suggestion) - STAFF)
        intro = _("人大办代为登记代表的书面评价，系统记录登记人。") if on_behalf else _(
            "请对承办单位的办理工作和办理结果分别评价。")
        reply = (self.suggestion.replies.filter(round=self.suggestion.round).select_related("unit")
                 .order_by("-submitted_at").first())
        return super().get_context_data(form_intro=intro, reply=reply, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        self.rating = services.suggestion_rate(suggestion=self.suggestion, by=self.request.user,
                                 work_grade=Satisfaction(data["work_grade"]),
                                 result_grade=Satisfaction(data["result_grade"]), comment=data["comment"])
        return self.done()

    def get_success_message(self):
        if self.rating.overall == Satisfaction.UNSATISFIED:
            return _("评价已提交：不满意。承办单位将重新办理，并再次答复代表。")
        return _("评价已提交：%(grade)s。人大办确认后办结。") % {"grade": self.rating.get_overall_display()}


class CloseView(ItemActionView):
    key = "close"
    form_class = forms.OptionalNoteForm
    page_title = _("办结")
    submit_label = _("办结")
    success_message = _("已办结。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_message=_("办结后不再办理，也不能恢复。确定办结？"), **kwargs)

    def perform(self, form):
        services.suggestion_close(suggestion=self.suggestion, by=self.request.user, note=form.cleaned_data["note"])
        return self.done()


class CloseWithReasonView(ItemActionView):
    key = "close_with_reason"
    form_class = forms.ReasonForm
    page_title = _("主席团决定办结")
    submit_label = _("办结")
    intro = _("代表仍不满意或未评价、主席团研究决定办结的，写明理由；理由会告知代表和承办单位。")
    success_message = _("已办结，理由已告知代表和承办单位。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_message=_("办结后不再办理，也不能恢复。确定办结？"), **kwargs)

    def perform(self, form):
        services.suggestion_close_with_reason(suggestion=self.suggestion, by=self.request.user,
                                              reason=form.cleaned_data["reason"])
        return self.done()


class SuperviseView(ItemActionView):
    key = "supervise"
    form_class = forms.SupervisionForm
    page_title = _("登记督办")
    submit_label = pgettext_lazy("record", "登记")
    success_message = _("督办已登记。")

    def perform(self, form):
        services.supervision_record(suggestion=self.suggestion, by=self.request.user, **form.cleaned_data)
        return self.done()


class _SubObjectView(ItemActionView):
    """A step on an object of the item (a reply, an extension, a rating): the URL carries the item and it."""

    model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.suggestion = get_visible(request.user, kwargs["pk"])
        self.obj = get_object_or_404(self.model, pk=kwargs["obj_pk"], suggestion=self.suggestion)
        try:
            self.check(request)
        except NotYet as not_yet:
            return not_yet.response
        return super(ItemActionView, self).dispatch(request, *args, **kwargs)


class PromiseKeptView(_SubObjectView):
    model = Reply
    form_class = forms.PromiseKeptForm
    page_title = _("登记承诺兑现")
    submit_label = pgettext_lazy("record", "登记")
    success_message = _("承诺兑现已登记。")

    def check(self, request):
        held = relations(request.user, self.suggestion)
        if not (held & STAFF or ("unit_liaison" in held and self.obj.unit_id == self.suggestion.lead_unit_id)):
            raise PermissionDenied
        if not self.obj.promise_open:
            raise PermissionDenied

    def perform(self, form):
        services.reply_promise_kept(reply=self.obj, by=self.request.user, **form.cleaned_data)
        return self.done()


class ExtensionDecideView(_SubObjectView):
    model = Extension
    form_class = forms.ExtensionDecisionForm
    page_title = _("审批延期申请")
    submit_label = _("提交审批")
    template_name = "proposals/extension_decide.html"

    def check(self, request):
        if not relations(request.user, self.suggestion) & STAFF:
            raise PermissionDenied
        if self.obj.status != ExtensionStatus.PENDING:
            messages.warning(request, _("这份延期申请已经审批过了（%(status)s），不能再审批。") % {
                "status": self.obj.get_status_display()})
            raise NotYet(redirect(self.suggestion.get_absolute_url()))

    def get_context_data(self, **kwargs):
        return super().get_context_data(extension=self.obj, **kwargs)

    def perform(self, form):
        self.obj = services.extension_decide(extension=self.obj, by=self.request.user, **form.cleaned_data)
        return self.done()

    def get_success_message(self):
        if self.obj.status == ExtensionStatus.APPROVED:
            return _("已同意延期，新的办理期限为 %(d)s，承办单位已收到通知。") % {"d": f"{self.obj.requested_deadline:%Y-%m-%d}"}
        return _("已不同意延期，承办单位已收到审批意见，办理期限不变。")


class AcceptReasonView(_SubObjectView):
    model = Rating
    form_class = forms.ReasonForm
    page_title = _("认定不满意有正当理由")
    submit_label = _("认定")
    intro = _("认定后，这次不满意不计入承办单位当年的不满意件数（超过 2 件取消评先资格）。")
    success_message = _("已认定有正当理由，这次不满意不计入承办单位的不满意件数。")

    def check(self, request):
        if not relations(request.user, self.suggestion) & STAFF or self.obj.overall != Satisfaction.UNSATISFIED:
            raise PermissionDenied

    def perform(self, form):
        services.rating_accept_reason(rating=self.obj, by=self.request.user, note=form.cleaned_data["reason"])
        return self.done()
