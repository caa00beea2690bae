"""督办意见 screens: the county sends one about an item or a unit, the township answers, the county acknowledges.

Lists are county-wide for the county's roles and the township's own for its chair and staff.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium.access import handling_units_visible_to, has_perm
from presidium.documents.excel import Column
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView
from proposals import services
from proposals.access import OPINION_ANSWER, OPINION_SEND, OPINION_VIEW
from proposals.choices import OpinionStatus
from proposals.filters import OpinionFilter
from proposals.forms import OpinionAnswerForm, OpinionCloseForm, OpinionForm
from proposals.list_rows import OPINION_ROW_FIELDS, OpinionRows
from proposals.selectors import opinions_visible_to
from proposals.views.items import get_visible


class OpinionListView(PortalListView):
    filterset_class = OpinionFilter
    template_name = "proposals/supervisionopinion_list.html"
    page_title = _("督办意见")
    export_filename = "督办意见"
    export_columns = [
        Column("乡镇", "township.name", 10), Column("标题", "title", 30), Column("事项", "subject", 30),
        Column("状态", "get_status_display", 10), Column("发出人", lambda o: o.sent_by.get_full_name() or o.sent_by, 10),
        Column("发出时间", "sent_at", 16), Column("答复期限", "answer_by", 12), Column("督办意见", "content", 40),
        Column("乡镇答复", "answer", 40), Column("答复时间", "answered_at", 16), Column("确认时间", "closed_at", 16),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, OPINION_VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        return opinions_visible_to(self.request.user).order_by("-sent_at", "-pk")

    # The rows read the township, the item or unit they are about, and nothing of the people (the Excel export keeps
    # every join): PostgreSQL planned the six-table join for 16 ms.
    row_joins = ("township", "suggestion", "unit")
    row_fields = OPINION_ROW_FIELDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_township"] = len({o.township_id for o in context["object_list"]}) > 1 or has_perm(
            self.request.user, OPINION_SEND)
        context["today"] = timezone.localdate()
        self.write_rows(context)
        return context

    def write_rows(self, context) -> None:
        row_html = OpinionRows(today=context["today"], show_township=context["show_township"])
        for opinion in context["object_list"]:
            opinion.row_html = row_html(opinion)


@login_required
def opinion_detail(request, pk: int):
    opinion = get_object_or_404(opinions_visible_to(request.user).select_related("closed_by"), pk=pk)
    return render(request, "proposals/supervisionopinion_detail.html", {
        "opinion": opinion,
        "can_answer": opinion.status == OpinionStatus.SENT and has_perm(request.user, OPINION_ANSWER,
                                                                         opinion.township),
        "can_close": opinion.status == OpinionStatus.ANSWERED and has_perm(request.user, OPINION_SEND,
                                                                            opinion.township),
        "today": timezone.localdate(),
    })


class _SendView(ServiceFormView):
    """Write a 督办意见 to the township of ``self.target`` (an item or a unit the reviewer can see)."""

    form_class = OpinionForm
    page_title = _("发出督办意见")
    submit_label = _("发出")
    success_message = _("督办意见已发出，乡镇人大主席团会收到通知。")

    def load(self, request, pk):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = self.load(request, kwargs["pk"])
        if not has_perm(request.user, OPINION_SEND, self.target.township):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form_intro=_("发给 %(township)s 人大主席团，关于：%(subject)s") % {
                "township": self.target.township.name, "subject": self.subject()},
            cancel_url=self.target.get_absolute_url() if hasattr(self.target, "get_absolute_url") else "", **kwargs)


class OpinionSendItemView(_SendView):
    def load(self, request, pk):
        return get_visible(request.user, pk)

    def subject(self) -> str:
        return f"{self.target.serial} {self.target.title}".strip()

    def get_initial(self):
        return {"title": _("关于“%(t)s”办理情况的督办意见") % {"t": self.target.title[:60]}}

    def perform(self, form):
        return services.supervision_opinion_send(by=self.request.user, suggestion=self.target, **form.cleaned_data)


class OpinionSendUnitView(_SendView):
    def load(self, request, pk):
        return get_object_or_404(handling_units_visible_to(request.user), pk=pk)

    def subject(self) -> str:
        return self.target.name

    def get_initial(self):
        return {"title": _("关于%(u)s办理代表建议情况的督办意见") % {"u": self.target.name}}

    def perform(self, form):
        return services.supervision_opinion_send(by=self.request.user, unit=self.target, **form.cleaned_data)


class _OpinionStepView(ServiceFormView):
    action = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.opinion = get_object_or_404(opinions_visible_to(request.user), pk=kwargs["pk"])
        if not has_perm(request.user, self.action, self.opinion.township):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form_intro=f"{self.opinion.title}：{self.opinion.content}",
                                        cancel_url=self.opinion.get_absolute_url(), **kwargs)


class OpinionAnswerView(_OpinionStepView):
    action = OPINION_ANSWER
    form_class = OpinionAnswerForm
    page_title = _("答复督办意见")
    submit_label = _("提交答复")
    success_message = _("答复已提交，县人大常委会会收到通知。")

    def perform(self, form):
        return services.supervision_opinion_answer(opinion=self.opinion, by=self.request.user,
                                                   answer=form.cleaned_data["answer"])


class OpinionCloseView(_OpinionStepView):
    action = OPINION_SEND
    form_class = OpinionCloseForm
    page_title = _("确认督办意见的答复")
    submit_label = _("确认并办结")
    success_message = _("已确认答复，督办意见办结。")

    def perform(self, form):
        return services.supervision_opinion_close(opinion=self.opinion, by=self.request.user,
                                                  note=form.cleaned_data["note"])
