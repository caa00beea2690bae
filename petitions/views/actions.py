"""The steps of one case: each a form that calls one service, then back to the case with what comes next.

Every view loads the visible case (another township's: 404), asks :mod:`petitions.views.steps` whether
the user may take the step (a role that never may: 403; a state that does not allow it yet: back to the
case with the reason), validates the form and calls one service. Irreversible steps ask for confirmation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from petitions import forms
from petitions.access import relations
from petitions.choices import ClockKind, ClockState, FeedbackResult, ReviewLevel
from petitions.views.items import get_visible
from petitions.views.steps import BY_KEY, RE_REVIEW_STATUSES, open_transfer, shown, step_state
from presidium.access import STAFF_ROLES
from presidium.choices import Role
from presidium.views.forms import ServiceFormView


def services():
    from petitions import services as module

    return module


class StepView(ServiceFormView):
    """Load the visible case (404), check the step (403 or back with the reason), show the form, call the service."""

    key = ""
    template_name = "petitions/petition_action.html"
    intro = ""
    confirm = ""
    one_time_token = True  # a second tap on a slow link is sent to the first result, never a second step

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.petition = get_visible(request.user, kwargs["pk"])
        state = step_state(request.user, self.key, self.petition)
        if not state.allowed:
            if not state.reason:  # a step this user may never take
                raise PermissionDenied
            messages.warning(request, state.reason)
            return redirect(self.petition.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        staff = bool(relations(self.request.user, self.petition) & STAFF_ROLES)
        return shown(BY_KEY[self.key], self.petition, staff=staff).label

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        held = relations(self.request.user, self.petition)
        context.update(p=self.petition, page_title=self.get_page_title(), form_intro=self.intro,
                       confirm_message=self.confirm, cancel_url=self.petition.get_absolute_url(),
                       unit_view=Role.UNIT_LIAISON in held and not held & STAFF_ROLES)
        return context

    def done(self) -> str:
        return self.petition.get_absolute_url()

    def reload(self):
        self.petition = get_visible(self.request.user, self.petition.pk)
        return self.petition

    def next_due(self, *kinds) -> str:
        clock = (self.petition.clocks.filter(kind__in=list(kinds), state=ClockState.RUNNING)
                 .order_by("-round", "-pk").first())
        return f"{clock.due_on:%Y-%m-%d}" if clock else ""


class AnswerOnSpotView(StepView):
    key = "answer_on_spot"
    form_class = forms.AnswerOnSpotForm
    submit_label = gettext_lazy("记录当场答复")
    intro = gettext_lazy("当场能够答复的，记录答复内容；不再需要出具受理告知书，15 日受理告知期限随之停止。")

    def perform(self, form):
        services().petition_answer_on_spot(petition=self.petition, by=self.request.user,
                                           answer=form.cleaned_data["answer"])
        return self.done()

    def get_success_message(self):
        return _("已记录当场答复。下一步：信访人无异议的，可以息访办结。")


class AcceptView(StepView):
    key = "accept"
    form_class = forms.AcceptForm
    submit_label = gettext_lazy("受理并出具受理告知书")
    intro = gettext_lazy("受理后出具受理告知书，15 日受理告知期限停止，60 日办理期限从受理之日起算。")

    def perform(self, form):
        data = form.cleaned_data
        services().petition_accept(petition=self.petition, by=self.request.user, on=data["on"],
                                   category=data["category"])
        return self.done()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.petition.township}

    def get_initial(self):
        return {"category": self.petition.category}

    def get_success_message(self):
        due = self.next_due(ClockKind.COMPLETION)
        return _("已受理，受理告知书已生成。下一步：转办承办单位，或由人大办直接办理；%(due)s 前须书面答复。") % {
            "due": due or "—"}


class RejectView(StepView):
    key = "reject"
    form_class = forms.RejectForm
    submit_label = gettext_lazy("不予受理")
    intro = gettext_lazy("不予受理的，出具不予受理告知书，写明理由和可以选择的其他途径。")
    confirm = gettext_lazy("不予受理后不能改为受理。确定不予受理？")

    def perform(self, form):
        data = form.cleaned_data
        services().petition_reject(petition=self.petition, by=self.request.user, reason=data["reason"],
                                   on=data["on"])
        return self.done()

    def get_success_message(self):
        return _("已不予受理，不予受理告知书已生成，请送达信访人。下一步：可以息访办结。")


class TransferView(StepView):
    key = "transfer"
    form_class = forms.TransferForm
    submit_label = gettext_lazy("转办")
    intro = gettext_lazy("交承办单位办理，写明责任人和办结期限；办结期限不能晚于本件的办理期限。承办单位联络员会收到通知。")

    def completion_due(self):
        clock = (self.petition.clocks.filter(kind__in=[ClockKind.COMPLETION, ClockKind.EXTENSION],
                                             state=ClockState.RUNNING).order_by("-due_on").first())
        return clock.due_on if clock else None

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.petition.township, "latest_due": self.completion_due()}

    def get_initial(self):
        due = self.completion_due()
        return {"due_on": max(due, timezone.localdate()) if due else None}

    def perform(self, form):
        data = form.cleaned_data
        self.transfer = services().petition_transfer(
            petition=self.petition, by=self.request.user, unit=data["unit"], owner_name=data["owner_name"],
            owner_user=data["owner_user"], due_on=data["due_on"], note=data["note"])
        return self.done()

    def get_success_message(self):
        return _("已转 %(unit)s 办理，办结期限 %(due)s。承办单位联络员已收到通知；下一步：等承办单位回复办理情况。") % {
            "unit": self.transfer.unit.name, "due": f"{self.transfer.due_on:%Y-%m-%d}"}


class UnitReplyView(StepView):
    key = "unit_reply"
    form_class = forms.UnitReplyForm
    submit_label = gettext_lazy("回复人大办")
    intro = gettext_lazy("写明调查核实的情况和处理结果。回复后由人大办向信访人出具书面答复意见书。")
    confirm = gettext_lazy("回复后不能修改。确定回复？")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["transfer"] = open_transfer(self.petition)
        return context

    def perform(self, form):
        services().petition_unit_reply(petition=self.petition, by=self.request.user, reply=form.cleaned_data["reply"],
                                       reply_public=form.cleaned_data["reply_public"])
        return self.done()

    def get_success_message(self):
        return _("办理情况已回复人大办。下一步：人大办向信访人出具书面答复意见书。")


class ExtendView(StepView):
    key = "extend"
    form_class = forms.ExtendForm
    submit_label = gettext_lazy("延期并出具延期告知书")
    intro = gettext_lazy("情况复杂的，经批准可以延长办理期限一次，最多 30 日，并告知信访人延期理由。")
    confirm = gettext_lazy("办理期限只能延长一次。确定延期？")

    def completion_due(self):
        clock = self.petition.clocks.filter(kind=ClockKind.COMPLETION, state=ClockState.RUNNING).first()
        return clock.due_on if clock else None

    def get_form_kwargs(self):
        from petitions.clocks import clock_days

        return super().get_form_kwargs() | {"max_days": clock_days(ClockKind.EXTENSION),
                                            "latest_on": self.completion_due()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        due = self.completion_due()
        if due and due < timezone.localdate():
            # Past the limit: only an extension told in time (on paper) can still be recorded, with its date.
            context["form_intro"] = _(
                "办理期限已于 %(due)s 届满。延期须在届满前告知信访人：只有届满前已经书面告知的延期，才能在这里补登，"
                "“告知日期”填写当时的日期；没有按时延期的，本件按超期办理，请尽快答复。") % {"due": f"{due:%Y-%m-%d}"}
        return context

    def perform(self, form):
        data = form.cleaned_data
        services().petition_extend(petition=self.petition, by=self.request.user, days=data["days"],
                                   reason=data["reason"], approved_by=data["approved_by"], on=data["on"])
        return self.done()

    def get_success_message(self):
        return _("已延期，延期告知书已生成，请送达信访人。新的办理期限 %(due)s。") % {"due": self.next_due(ClockKind.EXTENSION)}


class ReplyView(StepView):
    key = "reply"
    form_class = forms.ReplyForm
    submit_label = gettext_lazy("出具答复意见书")
    intro = gettext_lazy("记录调查认定、诉求是否合理和化解方式，出具答复意见书；办理期限随之停止，信访人可在 30 日内申请复查。")
    confirm = gettext_lazy("答复意见书出具后不能修改。确定出具？")

    def get_initial(self):
        transfer = next((t for t in self.petition.transfers.order_by("-replied_at") if t.replied_at), None)
        if transfer is None:
            return {}
        return {"text": transfer.reply, "public_text": transfer.reply_public}

    def perform(self, form):
        data = form.cleaned_data
        services().petition_reply(petition=self.petition, by=self.request.user, findings=data["findings"],
                                  request_reasonable=data["request_reasonable"], resolution=data["resolution"],
                                  text=data["text"], public_text=data["public_text"],
                                  outcome_note=data["outcome_note"], on=data["on"])
        return self.done()

    def get_success_message(self):
        return _("答复意见书已出具，请送达信访人。下一步：回访信访人，再息访办结；信访人可在 %(due)s 前申请复查。") % {
            "due": self.next_due(ClockKind.REVIEW_REQUEST) or "—"}


class ReturnVisitView(StepView):
    key = "return_visit"
    form_class = forms.ReturnVisitForm
    submit_label = gettext_lazy("记录回访")

    def get_form_kwargs(self):
        from petitions import lifecycle

        can_reopen = bool(self.petition.accepted_on) and lifecycle.is_allowed(self.petition.status, "reopen")
        return super().get_form_kwargs() | {"township": self.petition.township, "can_reopen": can_reopen}

    def perform(self, form):
        data = form.cleaned_data
        self.visit = services().petition_return_visit(
            petition=self.petition, by=self.request.user, visited_on=data["visited_on"], method=data["method"],
            result=data["result"], note=data["note"], reopen=data.get("reopen", False), unit=data.get("unit"),
            owner_name=data.get("owner_name", ""), due_on=data.get("due_on"))
        return self.done()

    def get_success_message(self):
        if getattr(self.visit, "reopened", False):
            return _("回访已记录：信访人不满意，本件已重新转办，办理期限重新计算。")
        if self.visit.result == FeedbackResult.UNSATISFIED:
            return _("回访已记录：信访人不满意。可以重新转办，或说明情况后息访办结。")
        return _("回访已记录。下一步：息访办结。")


class CloseView(StepView):
    key = "close"
    form_class = forms.CloseForm
    submit_label = gettext_lazy("息访办结")
    intro = gettext_lazy("息访是办理环节的结束，不等于问题已经化解：办理结果和信访人评价另行记录。")
    confirm = gettext_lazy("确定息访办结？")

    def perform(self, form):
        services().petition_close(petition=self.petition, by=self.request.user, note=form.cleaned_data["note"])
        return self.done()

    def get_success_message(self):
        return _("已息访办结。信访人仍可在申请期内申请复查。")


class ReviewRequestView(StepView):
    """复查 or 复核 request: the level follows the case (a reviewed case asks for a re-review)."""

    key = "review_request"
    form_class = forms.ReviewRequestForm
    submit_label = gettext_lazy("登记申请")

    @property
    def level(self):
        return ReviewLevel.RE_REVIEW if self.petition.status in RE_REVIEW_STATUSES else ReviewLevel.REVIEW

    def get_context_data(self, **kwargs):
        intro = (_("信访人对复查意见不服，在收到复查意见书 30 日内请求复核的，在这里登记。")
                 if self.level == ReviewLevel.RE_REVIEW else
                 _("信访人对答复意见不服，在收到答复意见书 30 日内请求复查的，在这里登记。"))
        return super().get_context_data(**kwargs) | {"form_intro": intro}

    def perform(self, form):
        data = form.cleaned_data
        services().petition_review_request(petition=self.petition, by=self.request.user,
                                           requested_on=data["requested_on"], channel=data["channel"],
                                           reason=data["reason"])
        return self.done()

    def get_success_message(self):
        self.reload()
        level = ReviewLevel.RE_REVIEW if self.petition.status == "re_review_requested" else ReviewLevel.REVIEW
        kind = ClockKind.REVIEW if level == ReviewLevel.REVIEW else ClockKind.RE_REVIEW
        return _("已登记%(level)s申请，%(due)s 前须提出意见。") % {"level": level.label,
                                                                 "due": self.next_due(kind) or "—"}


class ReviewDecideView(StepView):
    """复查 or 复核 opinion: the level follows the request."""

    key = "review_decide"
    form_class = forms.ReviewDecideForm
    submit_label = gettext_lazy("出具意见书")
    confirm = gettext_lazy("意见书出具后不能修改。确定出具？")


    def perform(self, form):
        data = form.cleaned_data
        services().petition_review_decide(petition=self.petition, by=self.request.user, decision=data["decision"],
                                          text=data["text"], public_text=data["public_text"], on=data["on"])
        return self.done()

    def get_success_message(self):
        self.reload()
        if self.petition.status == "reviewed":
            return _("复查意见书已出具。信访人不服的，可在 30 日内申请复核；否则可以息访办结。")
        return _("复核意见书已出具，为最终意见。下一步：息访办结。")


class KeySupervisionView(StepView):
    key = "key_supervision"
    form_class = forms.KeySupervisionForm
    submit_label = gettext_lazy("保存")
    intro = gettext_lazy("重大、复杂的信访件列为重点督办，写明督办领导。")

    def get_initial(self):
        return {"on": True, "leader": self.petition.supervising_leader}

    def perform(self, form):
        data = form.cleaned_data
        services().petition_key_supervision_set(petition=self.petition, by=self.request.user, on=data["on"],
                                                leader=data["leader"], note=data["note"])
        return self.done()

    def get_success_message(self):
        return _("重点督办已保存。")


class LeadLeaderView(StepView):
    key = "lead_leader"
    form_class = forms.LeadLeaderForm
    submit_label = gettext_lazy("保存")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"township": self.petition.township}

    def get_initial(self):
        return {"leader": self.petition.lead_leader}

    def perform(self, form):
        services().petition_lead_leader_set(petition=self.petition, by=self.request.user,
                                            leader=form.cleaned_data["leader"])
        return self.done()

    def get_success_message(self):
        return _("领导包案已保存：包案领导会收到本件每一步办理的通知。")


class ReferralResultView(StepView):
    key = "referral_result"
    form_class = forms.ReferralResultForm
    submit_label = gettext_lazy("记录上报")
    intro = gettext_lazy("上级转办的信访件，把办理结果报送转办机关后在这里记录。")

    def perform(self, form):
        data = form.cleaned_data
        services().petition_referral_result_report(petition=self.petition, by=self.request.user,
                                                   reported_on=data["reported_on"], report=data["report"])
        return self.done()

    def get_success_message(self):
        return _("已记录向转办机关上报的办理结果。")


class LinkRepeatView(StepView):
    key = "link_repeat"
    form_class = forms.LinkRepeatForm
    submit_label = gettext_lazy("关联")
    intro = gettext_lazy("同一信访人就同一事项再次信访的，关联原信访件，统计时计为重复信访。")

    def perform(self, form):
        from petitions.selectors import petitions_visible_to

        year, number = form.cleaned_data["registration"]
        other = petitions_visible_to(self.request.user).filter(township=self.petition.township, year=year,
                                                              number=number).first()
        if other is None:
            raise ValidationError({"registration": _("本乡镇没有登记号为〔%(y)s〕第%(n)s号的信访件。") % {
                "y": year, "n": number}})
        services().petition_link_repeat(petition=self.petition, other=other, by=self.request.user)
        self.other = other
        return self.done()

    def get_success_message(self):
        return _("已登记为 %(n)s 的重复信访。") % {"n": self.other.registration_number}


class EditView(StepView):
    """修改登记内容 while the case is still registered (the notices quote the registration once it is accepted)."""

    key = "edit"
    form_class = forms.PetitionEditForm
    submit_label = gettext_lazy("保存修改")
    intro = gettext_lazy("受理前可以修改登记内容；改了收到日期的，15 日受理告知期限随之重新计算。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("township", None)
        return kwargs | {"petition": self.petition}

    def get_initial(self):
        p = self.petition
        if self.request.method == "GET":
            from petitions.views.items import log_unmasked_view

            shown_fields = [name for name in ("mobile", "id_number", "address") if getattr(p, name)]
            if shown_fields and not p.anonymous:
                log_unmasked_view(self.request, p, shown_fields)
        return {name: getattr(p, name) for name in forms.PetitionEditForm.base_fields if hasattr(p, name)}

    def perform(self, form):
        from petitions.services.registration import UPDATABLE

        changes = {name: form.cleaned_data[name] for name in form.fields if name in UPDATABLE}
        services().petition_update(petition=self.petition, by=self.request.user, **changes)
        return self.done()

    def get_success_message(self):
        return _("登记内容已修改。")
