"""承办单位台账: a township's handling units as an Excel ledger, generated as a document job.

The first real job kind, so the whole path (start → queue → worker → progress → download) runs.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presidium import access
from presidium.choices import HandlingUnitKind
from presidium.db import reporting
from presidium.documents.excel import Column, write_xlsx
from presidium.documents.forms import TownshipJobForm
from presidium.documents.jobs import job_start, register_job
from presidium.models import HandlingUnit, Township
from presidium.views.forms import ServiceFormView

KIND = "handling_unit_ledger"

LEDGER_COLUMNS = [
    Column("序号", "row_number", 6),
    Column("单位名称", "name", 26),
    Column("单位类型", "get_kind_display", 16),
    Column("分管领导", "responsible_leader", 12),
    Column("联系人", "contact_person", 12),
    Column("联系电话", "contact_phone", 16),
    Column("状态", lambda unit: "在用" if unit.is_active else "停用", 8),
]


@register_job(KIND, title=_("承办单位台账"))
@reporting()
def handling_unit_ledger(job, params, progress) -> tuple[str, bytes]:
    township = Township.objects.get(pk=params["township_id"])
    kind_order = Case(*[When(kind=value, then=Value(index)) for index, value in enumerate(HandlingUnitKind.values)],
                      default=Value(len(HandlingUnitKind.values)))
    units = HandlingUnit.objects.filter(township=township).order_by(kind_order, "name")
    total = units.count()
    progress(0, total, str(_("正在生成…")))

    def numbered():
        for number, unit in enumerate(units.iterator(chunk_size=500), start=1):
            unit.row_number = number
            yield unit

    stamp = timezone.localdate()
    content = write_xlsx(
        numbered(), LEDGER_COLUMNS, title=f"{township.name}承办单位台账（{stamp:%Y年%m月%d日}）",
        sheet_name="承办单位", progress=lambda done: progress(done, total),
    )
    progress(total, total)
    return f"{township.name}承办单位台账-{stamp:%Y%m%d}.xlsx", content


class UnitLedgerStartView(ServiceFormView):
    """Choose the township (if more than one) and start the ledger; then watch the job page."""

    form_class = TownshipJobForm
    page_title = _("生成承办单位台账")
    submit_label = _("开始生成")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.townships().exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def townships(self):
        return access.townships_where(self.request.user, access.VIEW_TOWNSHIP)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"townships": self.townships()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form_intro=_("台账包含所选乡镇的全部承办单位（含已停用的），生成后可在“文档下载”中找到。"), **kwargs)

    def perform(self, form):
        township = form.cleaned_data["township"]
        job = job_start(kind=KIND, params={"township_id": township.pk}, by=self.request.user, township=township)
        return reverse("documents:job_detail", args=[job.pk])
