"""Results: a round's table (with deductions and outcomes), mid-year and year-end totals, exports, deductions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.models import CampaignUnit, Deduction
from evaluations.units import documents, forms, services
from evaluations.units.access import MANAGE
from evaluations.units.choices import PeriodKind, RoundState
from evaluations.units.scoring import apply_outcomes, cumulative_scores, leaves, load_scheme, round_scores
from evaluations.units.views import managed_round, visible_campaign, visible_round
from evaluations.units.views.campaigns import CampaignStepView
from presidium.access import has_perm
from presidium.documents.excel import XLSX_CONTENT_TYPE, attachment_response
from presidium.documents.pdf import pdf_response
from presidium.documents.word import docx_response

SHOWN_STATES = (RoundState.CLOSED, RoundState.PUBLISHED)


def results_shown(user, round_) -> bool:
    """Staff see a closed round's results before publishing them; the county sees published ones. Never while
    the vote is open (a count moving as one deputy votes would tell on them)."""
    if round_.state == RoundState.PUBLISHED:
        return True
    return round_.state == RoundState.CLOSED and has_perm(user, MANAGE, round_.campaign.township)


@login_required
def round_results(request, pk: int):
    round_ = visible_round(request.user, pk)
    campaign = round_.campaign
    shown = results_shown(request.user, round_)
    scores = apply_outcomes(round_scores(round_), campaign) if shown else []
    fmt = request.GET.get("format")
    if fmt and not shown:
        raise Http404
    if fmt == "xlsx":
        return attachment_response(documents.results_xlsx(round_, scores), f"评议结果-{round_.label}.xlsx",
                                   XLSX_CONTENT_TYPE)
    if fmt in ("pdf", "docx"):
        if round_.state != RoundState.PUBLISHED:
            raise Http404
        document = documents.result_notice(round_, scores)
        if fmt == "docx":
            return docx_response(documents.notice_docx(document), f"评议结果通报-{round_.label}.docx")
        return pdf_response(documents.notice_pdf(document), f"评议结果通报-{round_.label}.pdf")
    indicators = leaves(load_scheme(campaign)) if shown and not campaign.uses_grades else []
    for score in scores:
        score.indicator_values = [score.indicator_scores.get(i.pk) for i in indicators]
    return render(request, "evaluations/units/round_results.html", {
        "round": round_, "campaign": campaign, "scores": scores, "shown": shown, "indicators": indicators,
        "can_manage": has_perm(request.user, MANAGE, campaign.township),
    })


@login_required
def cumulative_results(request, pk: int):
    """Mid-year (rounds 1–2) or year-end (all) totals of a quarterly campaign, from published rounds."""
    campaign = visible_campaign(request.user, pk)
    if campaign.period_kind != PeriodKind.QUARTERLY:
        raise Http404
    upto = 2 if request.GET.get("upto") == "2" else 4
    rounds = list(campaign.rounds.filter(number__lte=upto, state=RoundState.PUBLISHED))
    scores = cumulative_scores(campaign, rounds)
    if request.GET.get("format") == "xlsx":
        label = _("半年") if upto == 2 else _("年终")
        return attachment_response(documents.cumulative_xlsx(campaign, scores, label),
                                   f"评议累计结果-{campaign.year}-{label}.xlsx", XLSX_CONTENT_TYPE)
    return render(request, "evaluations/units/campaign_cumulative.html", {
        "campaign": campaign, "scores": scores, "upto": upto, "rounds": rounds,
    })


@login_required
def round_deductions(request, pk: int):
    """The round's deductions, each with its source record; staff add their own or recompute."""
    round_ = visible_round(request.user, pk)
    rows = list(Deduction.objects.filter(round=round_)
                .select_related("unit", "petition", "suggestion", "created_by", "withdrawn_by").order_by("unit__name", "source", "pk"))
    return render(request, "evaluations/units/round_deductions.html", {
        "round": round_, "campaign": round_.campaign, "rows": rows,
        "can_manage": has_perm(request.user, MANAGE, round_.campaign.township) and round_.state != "published",
    })


@login_required
@require_POST
def deductions_refresh(request, pk: int):
    round_ = managed_round(request.user, pk)
    try:
        count = services.deductions_refresh(round_=round_, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("已根据信访、建议记录重新计算扣分：共 %(n)s 项。") % {"n": count})
    return redirect("evaluations:units:round_deductions", round_.pk)


@login_required
@require_POST
def deduction_withdraw(request, pk: int):
    deduction = get_object_or_404(Deduction.objects.select_related("round__campaign__township"), pk=pk)
    round_ = managed_round(request.user, deduction.round_id)
    try:
        services.deduction_withdraw(deduction=deduction, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("扣分已撤销。"))
    return redirect("evaluations:units:round_deductions", round_.pk)


class DeductionCreateView(CampaignStepView):
    form_class = forms.DeductionForm
    page_title = gettext_lazy("人工扣分")
    submit_label = gettext_lazy("扣分")

    def load(self, user, pk):
        self.round = managed_round(user, pk)
        self.campaign = self.round.campaign

    def get_form_kwargs(self):
        from presidium.models import HandlingUnit

        units = HandlingUnit.objects.filter(pk__in=CampaignUnit.objects.filter(campaign=self.campaign)
                                            .values("unit_id")).order_by("name")
        return {**super().get_form_kwargs(), "units": units}

    def perform(self, form):
        services.deduction_add(round_=self.round, by=self.request.user, **form.cleaned_data)
        return reverse("evaluations:units:round_deductions", args=[self.round.pk])

    def get_success_message(self):
        return _("已扣分，理由和扣分人已记录。")
