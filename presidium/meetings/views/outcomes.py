"""Outcome and document screens of a meeting: add and edit outcomes, send and answer deliberation opinions,
handle findings, upload and download documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presidium.documents.storage import private_file_response
from presidium.meetings import services
from presidium.meetings.choices import FINDING_KINDS, OutcomeKind
from presidium.meetings.forms import (
    AnswerForm,
    DocumentForm,
    OutcomeEditForm,
    OutcomeForm,
    RectificationForm,
    RectifiedForm,
    SendForm,
)
from presidium.meetings.models import MeetingDocument, Outcome
from presidium.meetings.views.common import MeetingActionMixin, visible_meeting
from presidium.views.forms import ServiceFormView


class OutcomeAddView(MeetingActionMixin, ServiceFormView):
    form_class = OutcomeForm
    page_title = gettext_lazy("登记会议成果")
    success_message = gettext_lazy("已登记。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kinds = [k for k in OutcomeKind if k != OutcomeKind.FINDING or self.meeting.kind in FINDING_KINDS]
        kwargs["kinds"] = kinds
        return kwargs

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in OutcomeKind.values else {}

    def perform(self, form):
        data = form.cleaned_data
        services.outcome_add(meeting=self.meeting, kind=data["kind"], title=data["title"], text=data["text"],
                             by=self.request.user)
        return self.meeting.get_absolute_url() + "#outcomes"


class OutcomeMixin(MeetingActionMixin):
    """One outcome of a visible meeting the user manages."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.outcome = Outcome.objects.select_related("meeting").filter(pk=kwargs["outcome"]).first()
            kwargs["pk"] = self.outcome.meeting_id if self.outcome else 0
        return super().dispatch(request, *args, **kwargs)

    def done(self):
        return self.meeting.get_absolute_url() + "#outcomes"


class OutcomeEditView(OutcomeMixin, ServiceFormView):
    form_class = OutcomeEditForm
    page_title = gettext_lazy("修改会议成果")
    success_message = gettext_lazy("已保存。")

    def get_initial(self):
        return {"title": self.outcome.title, "text": self.outcome.text}

    def perform(self, form):
        services.outcome_update(outcome=self.outcome, by=self.request.user, **form.cleaned_data)
        return self.done()


class _UnitFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["township"] = self.meeting.township
        return kwargs


class OutcomeSendView(OutcomeMixin, _UnitFormMixin, ServiceFormView):
    form_class = SendForm
    page_title = gettext_lazy("送交审议意见")
    success_message = gettext_lazy("已登记送交；到答复期限未答复的，会提醒人大办。")

    def get_initial(self):
        return {"unit": self.outcome.unit_id, "sent_on": self.outcome.sent_on, "due_on": self.outcome.due_on}

    def perform(self, form):
        services.outcome_send(outcome=self.outcome, by=self.request.user, **form.cleaned_data)
        return self.done()


class OutcomeAnswerView(OutcomeMixin, ServiceFormView):
    form_class = AnswerForm
    page_title = gettext_lazy("登记审议意见的答复")
    success_message = gettext_lazy("答复已登记，提醒已停止。")

    def perform(self, form):
        services.outcome_record_answer(outcome=self.outcome, by=self.request.user, **form.cleaned_data)
        return self.done()


class OutcomeRectificationView(OutcomeMixin, _UnitFormMixin, ServiceFormView):
    form_class = RectificationForm
    page_title = gettext_lazy("列为整改事项")
    success_message = gettext_lazy("已列为整改事项；到期未整改完成的，会提醒人大办。")

    def perform(self, form):
        services.outcome_mark_rectification(outcome=self.outcome, by=self.request.user, **form.cleaned_data)
        return self.done()


class OutcomeRectifiedView(OutcomeMixin, ServiceFormView):
    form_class = RectifiedForm
    page_title = gettext_lazy("登记整改完成")
    success_message = gettext_lazy("已登记整改完成。")

    def perform(self, form):
        services.outcome_mark_rectified(outcome=self.outcome, by=self.request.user, **form.cleaned_data)
        return self.done()


@login_required
@require_POST
def outcome_convert(request, outcome: int):
    found = Outcome.objects.filter(pk=outcome).first()
    meeting = visible_meeting(request.user, found.meeting_id if found else 0, manage=True)
    try:
        services.outcome_convert(outcome=found, key=request.POST.get("key", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已转为代表建议草稿，请到代表建议中补充后提交。"))
    return redirect(meeting.get_absolute_url() + "#outcomes")


class DocumentUploadView(MeetingActionMixin, ServiceFormView):
    form_class = DocumentForm
    page_title = gettext_lazy("上传会议材料")
    submit_label = gettext_lazy("上传")
    one_time_token = True

    def perform(self, form):
        checked = services.check_meeting_uploads(form.cleaned_data["files"])
        self.added = services.meeting_documents_add(meeting=self.meeting, checked=checked, by=self.request.user,
                                                    title=form.cleaned_data["title"])
        return self.meeting.get_absolute_url() + "#documents"

    def get_success_message(self):
        return _("已上传 %(n)s 份材料。") % {"n": len(self.added)}


@login_required
def document_download(request, pk: int):
    document = get_object_or_404(MeetingDocument, pk=pk)
    visible_meeting(request.user, document.meeting_id)
    return private_file_response(document.file, document.original_name, inline=True,
                                 content_type=document.content_type)


@login_required
@require_POST
def document_remove(request, pk: int):
    document = MeetingDocument.objects.filter(pk=pk).first()
    meeting = visible_meeting(request.user, document.meeting_id if document else 0, manage=True)
    services.meeting_document_remove(document=document, by=request.user)
    messages.success(request, _("已删除。"))
    return redirect(meeting.get_absolute_url() + "#documents")
