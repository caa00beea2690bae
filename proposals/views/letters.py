"""交办函: one letter as PDF or Word, and all the letters of a session or an assignment day as one file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium.access import townships_where
from presidium.documents.jobs import job_start
from presidium.documents.pdf import pdf_response
from presidium.documents.word import docx_response
from presidium.views.forms import ServiceFormView
from proposals import permissions
from proposals.access import MANAGE
from proposals.documents import (
    LETTER_BATCH_INLINE,
    LETTER_BATCH_JOB,
    assignment_letter_docx,
    assignment_letter_pdf,
    batch_label,
    letter_batch,
    letter_batch_file,
)
from proposals.models import Suggestion
from proposals.views.items import get_visible


def _letter_item(request, pk: int):
    suggestion = get_visible(request.user, pk)
    if not permissions.can(request.user, "letter", suggestion):
        raise PermissionDenied
    return suggestion


@login_required
def assignment_letter(request, pk: int):
    suggestion = _letter_item(request, pk)
    content = assignment_letter_pdf(suggestion, by=request.user)
    return pdf_response(content, f"交办函-{suggestion.serial or suggestion.pk}.pdf")


@login_required
def assignment_letter_word(request, pk: int):
    """The same letter as an editable Word file, for the office to adjust before stamping."""
    suggestion = _letter_item(request, pk)
    return docx_response(assignment_letter_docx(suggestion, by=request.user),
                         f"交办函-{suggestion.serial or suggestion.pk}.docx")


class LetterBatchView(ServiceFormView):
    """批量打印交办函 (staff): up to LETTER_BATCH_INLINE letters come back at once, more run as a document job."""

    page_title = gettext_lazy("批量打印交办函")
    submit_label = gettext_lazy("生成")

    def get_form_class(self):
        from proposals.forms import LetterBatchForm

        return LetterBatchForm

    def townships(self):
        return townships_where(self.request.user, MANAGE)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.townships().exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        townships = self.townships()
        names = (Suggestion.objects.filter(township__in=townships, assigned_at__isnull=False)
                 .exclude(session_name="").order_by("session_name").values_list("session_name", flat=True).distinct())
        return super().get_form_kwargs() | {"townships": townships, "session_names": list(names)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(form_intro=_(
            "把一次会议或同一天交办的全部交办函合成一个文件，按编号排列，每封从新的一页开始、页码各自从 1 起；"
            "尚未编发文字号的依次编号。超过 %(n)s 封时在后台生成，完成后在“文档下载”中取。")
            % {"n": LETTER_BATCH_INLINE}, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        township, session_name, assigned_on = data["township"], data["session_name"], data["assigned_on"]
        items = letter_batch(Suggestion.objects.filter(township=township), session_name=session_name,
                             assigned_on=assigned_on)
        count = items.count()
        if not count:
            form.add_error(None, _("没有符合条件的已交办议案建议，请换一个会议或日期。"))
            return self.form_invalid(form)
        if count > LETTER_BATCH_INLINE:
            job = job_start(kind=LETTER_BATCH_JOB, by=self.request.user, township=township, params={
                "township_id": township.pk, "session_name": session_name,
                "assigned_on": assigned_on.isoformat() if assigned_on else "", "fmt": data["fmt"]})
            return redirect(reverse("documents:job_detail", args=[job.pk]))
        letters = letter_batch_file(items, label=batch_label(session_name=session_name, assigned_on=assigned_on),
                                    fmt=data["fmt"], by=self.request.user)
        if data["fmt"] == "docx":
            return docx_response(letters.content, letters.filename)
        return pdf_response(letters.content, letters.filename, inline=False)
