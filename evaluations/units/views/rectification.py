"""Rectification items: staff open them, the unit ticks them off with evidence, staff re-check at year end;
the unit's liaison has one page with its own results and items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import CampaignUnit, RectificationEvidence, RectificationItem
from evaluations.units import forms, selectors
from evaluations.units import rectification as services
from evaluations.units.access import MANAGE, UNIT_VIEW
from evaluations.units.choices import RectificationStatus
from evaluations.units.views import visible_item
from evaluations.units.views.campaigns import CampaignStepView
from presidium.access import has_perm, scope_of
from presidium.documents.storage import private_file_response
from presidium.documents.uploads import DOCUMENT_KINDS, check_upload
from presidium.views.forms import ServiceFormView


class RectificationCreateView(CampaignStepView):
    form_class = forms.RectificationForm
    page_title = gettext_lazy("新建整改事项")
    submit_label = gettext_lazy("建立")

    def get_form_kwargs(self):
        from presidium.models import HandlingUnit

        units = HandlingUnit.objects.filter(pk__in=CampaignUnit.objects.filter(campaign=self.campaign)
                                            .values("unit_id")).order_by("name")
        return {**super().get_form_kwargs(), "units": units}

    def perform(self, form):
        return services.rectification_open(campaign=self.campaign, by=self.request.user, **form.cleaned_data)

    def get_success_message(self):
        return _("整改事项已建立，到期前会提醒单位联络员。")


@login_required
def rectification_detail(request, pk: int):
    item = visible_item(request.user, pk)
    return render(request, "evaluations/units/rectification_detail.html", {
        "item": item, "evidence": list(item.evidence.all()),
        "can_tick": item.status == RectificationStatus.OPEN and services.may_tick_off(request.user, item),
        "can_check": item.status == RectificationStatus.DONE and has_perm(request.user, MANAGE,
                                                                           item.campaign.township_id),
    })


class ItemStepView(ServiceFormView):
    template_name = "evaluations/units/rectification_action.html"
    allowed_status = RectificationStatus.OPEN

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.item = visible_item(request.user, kwargs["pk"])
            if not self.may(request.user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def may(self, user) -> bool:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item=self.item, cancel_url=self.item.get_absolute_url(),
                       wrong_status=self.item.status != self.allowed_status)
        return context


class RectificationDoneView(ItemStepView):
    form_class = forms.RectificationDoneForm
    page_title = gettext_lazy("报送整改情况")
    submit_label = gettext_lazy("报送")
    one_time_token = True
    success_message = gettext_lazy("整改情况已报送，年终“回头看”时由主席团核查。")

    def may(self, user) -> bool:
        return services.may_tick_off(user, self.item)

    def perform(self, form):
        checked = []
        for upload in form.cleaned_data["files"]:
            try:
                checked.append(check_upload(upload, accept=DOCUMENT_KINDS))
            except ValidationError as error:
                raise ValidationError({"files": error.messages}) from None
        return services.rectification_done(item=self.item, by=self.request.user, note=form.cleaned_data["note"],
                                           files=checked)


class RectificationCheckView(ItemStepView):
    form_class = forms.RectificationCheckForm
    page_title = gettext_lazy("回头看")
    submit_label = gettext_lazy("保存")
    allowed_status = RectificationStatus.DONE
    success_message = gettext_lazy("回头看结论已记录。")

    def may(self, user) -> bool:
        return has_perm(user, MANAGE, self.item.campaign.township_id)

    def perform(self, form):
        return services.rectification_check(item=self.item, by=self.request.user, **form.cleaned_data)


@login_required
def evidence_download(request, pk: int):
    evidence = get_object_or_404(RectificationEvidence.objects.select_related("item"), pk=pk)
    visible_item(request.user, evidence.item_id)
    if not evidence.file:
        raise Http404
    return private_file_response(evidence.file, evidence.original_name, content_type=evidence.content_type)


@login_required
def my_unit(request):
    """The liaison's page: their unit's published results and rectification items, nothing of other units."""
    if not has_perm(request.user, UNIT_VIEW):
        raise PermissionDenied
    unit_ids = scope_of(request.user).unit_ids()
    return render(request, "evaluations/units/unit_mine.html", {
        "results": list(selectors.results_for_unit(unit_ids)),
        "items": list(RectificationItem.objects.filter(unit_id__in=sorted(unit_ids))
                      .select_related("unit", "campaign").order_by("status", "due_on", "pk")),
    })
