"""Staff's screens: the campaign list, a new campaign, its page, indicators and the rounds' steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from evaluations.models import CampaignUnit, RectificationItem
from evaluations.units import forms, selectors, services
from evaluations.units.access import MANAGE, campaigns_visible_to
from evaluations.units.filters import CampaignFilter
from evaluations.units.scoring import load_scheme
from evaluations.units.views import (
    managed_campaign,
    managed_round,
    require_view,
    visible_campaign,
    visible_round,
)
from presidium.access import has_perm, townships_where
from presidium.documents.excel import Column
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


class CampaignListView(PortalListView):
    template_name = "evaluations/units/campaign_list.html"
    filterset_class = CampaignFilter
    page_title = gettext_lazy("工作评议")
    export_filename = "工作评议活动"
    export_columns = [Column("乡镇", "township.name", 10), Column("年度", "year", 8), Column("名称", "title", 30),
                      Column("评议周期", "get_period_kind_display", 24), Column("评分方式", "get_scheme_kind_display", 24),
                      Column("被评议单位数", "unit_count", 12)]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_view(request.user)
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        return (campaigns_visible_to(self.request.user)
                .annotate(unit_count=Count("units", distinct=True),
                          open_rounds=Count("rounds", filter=Q(rounds__state="open"), distinct=True))
                .order_by("-year", "-pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_perm(self.request.user, MANAGE)
        return context


class CampaignCreateView(ServiceFormView):
    form_class = forms.CampaignForm
    page_title = gettext_lazy("新建工作评议")
    submit_label = gettext_lazy("建立评议活动")
    one_time_token = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.township = townships_where(request.user, MANAGE).order_by("pk").first()
            if self.township is None:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        from presidium.models import HandlingUnit

        kwargs = super().get_form_kwargs()
        kwargs["units"] = HandlingUnit.objects.filter(township=self.township, is_active=True).order_by("name")
        return kwargs

    def get_initial(self):
        from django.utils import timezone

        year = timezone.localdate().year
        self.again = selectors.units_to_evaluate_again(self.township, year)
        return {"units": self.again, "title": _("%(year)s年度站所工作评议") % {"year": year}}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self, "again", None):
            context["form_intro"] = _("上年排名末位或测评不满意的单位已默认选上：%(units)s。") % {
                "units": "、".join(u.name for u in self.again)}
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        units = list(data.pop("units"))
        again_ids = {u.pk for u in selectors.units_to_evaluate_again(self.township, data["year"])}
        campaign = services.campaign_create(
            township=self.township, by=self.request.user, units=[u for u in units if u.pk not in again_ids],
            evaluated_again=[u for u in units if u.pk in again_ids], **data)
        return campaign

    def get_success_message(self):
        return _("评议活动已建立：请设置评分指标，再到各轮次开始投票。")


@login_required
def campaign_detail(request, pk: int):
    campaign = visible_campaign(request.user, pk)
    rounds = list(campaign.rounds.annotate(
        roll=Count("casts__deputy", distinct=True),
        units_cast=Count("casts", filter=Q(casts__cast_on__isnull=False)),
        units_total=Count("casts")).order_by("number"))
    units = list(CampaignUnit.objects.filter(campaign=campaign).select_related("unit"))
    items = list(RectificationItem.objects.filter(campaign=campaign).select_related("unit"))
    return render(request, "evaluations/units/campaign_detail.html", {
        "campaign": campaign, "rounds": rounds, "units": units, "indicators": _tree(load_scheme(campaign)),
        "items": items, "can_manage": has_perm(request.user, MANAGE, campaign.township),
    })


def _tree(indicators) -> list:
    """The indicators in tree order with their depth (for an indented table)."""
    children: dict = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)
    ordered = []

    def walk(parent_id, depth):
        for node in children.get(parent_id, []):
            node.depth = depth
            ordered.append(node)
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


class CampaignStepView(ServiceFormView):
    """A form on a campaign (or one of its rounds) that staff of its township fill in."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.load(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def load(self, user, pk):
        self.campaign = managed_campaign(user, pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.campaign.get_absolute_url()
        return context


class IndicatorCreateView(CampaignStepView):
    form_class = forms.IndicatorForm
    page_title = gettext_lazy("添加评分指标")
    submit_label = gettext_lazy("添加")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "campaign": self.campaign}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        services.indicator_add(campaign=self.campaign, by=self.request.user, **data)
        return reverse("evaluations:units:indicator_create", args=[self.campaign.pk])

    def get_success_message(self):
        return _("指标已添加，可以继续添加。")


class RoundWindowView(CampaignStepView):
    form_class = forms.WindowForm
    page_title = gettext_lazy("投票时间")

    def load(self, user, pk):
        self.round = managed_round(user, pk)
        self.campaign = self.round.campaign

    def get_initial(self):
        return {"opens_on": self.round.opens_on, "closes_on": self.round.closes_on}

    def perform(self, form):
        services.round_update_window(round_=self.round, by=self.request.user, **form.cleaned_data)
        return self.campaign.get_absolute_url()


STEPS = {
    "open": (services.round_open, gettext_lazy("已开始投票：代表可在手机上评议，投票名单已生成。")),
    "close": (services.round_close, gettext_lazy("投票已截止，可以核对扣分后公布结果。")),
    "publish": (services.round_publish, gettext_lazy("结果已公布；不满意率超线的单位已建立整改事项。")),
}


@login_required
@require_POST
def round_step(request, pk: int, step: str):
    round_ = managed_round(request.user, pk)
    service, done = STEPS[step]
    try:
        service(round_=round_, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(round_.campaign.get_absolute_url())


@login_required
def round_turnout(request, pk: int):
    """Who has voted (not what): staff chase the missing voters."""
    round_ = visible_round(request.user, pk)
    people = selectors.turnout(round_)
    done = sum(1 for p in people if p.done)
    return render(request, "evaluations/units/round_turnout.html", {
        "round": round_, "campaign": round_.campaign, "people": people, "done": done,
        "share": round(done * 100 / len(people)) if people else 0,
    })

