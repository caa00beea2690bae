"""Deputies vote on their phones: the open rounds, the three-grade ballot for all units at once, or one page
per unit with every indicator. Refusals say why (outside the window, already voted, not a deputy here)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from deputies.selectors import deputy_of
from evaluations.models import BallotCast, Round
from evaluations.units import forms, selectors, services
from evaluations.units.access import VOTE
from evaluations.units.scoring import leaves, load_scheme
from presidium.access import has_perm, township_q
from presidium.views.forms import apply_validation_error


def _round_for_voter(user, pk: int) -> Round:
    """A round of a township where ``user`` holds a role (else 404); voting needs the deputy role (else 403)."""
    round_ = get_object_or_404(Round.objects.select_related("campaign__township").filter(
        township_q(user, field="campaign__township")), pk=pk)
    if not has_perm(user, VOTE, round_.campaign.township):
        raise PermissionDenied
    return round_


def _refused(request, round_, reason: str):
    return render(request, "evaluations/units/vote_refused.html", {"round": round_, "reason": reason}, status=403)


@login_required
def vote_home(request):
    if not has_perm(request.user, VOTE):
        raise PermissionDenied
    deputy = deputy_of(request.user)
    return render(request, "evaluations/units/vote_home.html", {
        "deputy": deputy, "rounds": list(selectors.open_rounds_for_deputy(deputy))})


def _remaining(round_, deputy) -> list:
    from presidium.models import HandlingUnit

    return list(HandlingUnit.objects.filter(pk__in=BallotCast.objects.filter(
        round=round_, deputy=deputy, cast_on__isnull=True).values("unit_id")).order_by("name"))


@login_required
def vote_round(request, pk: int):
    """The three-grade ballot for every unit at once; for indicator scoring, the units to score one by one."""
    round_ = _round_for_voter(request.user, pk)
    deputy = deputy_of(request.user)
    if reason := services.vote_refusal(round_, deputy):
        return _refused(request, round_, reason)
    remaining = _remaining(round_, deputy)
    if not round_.campaign.uses_grades:
        done = list(BallotCast.objects.filter(round=round_, deputy=deputy, cast_on__isnull=False)
                    .select_related("unit").order_by("unit__name"))
        return render(request, "evaluations/units/vote_units.html", {
            "round": round_, "campaign": round_.campaign, "remaining": remaining, "done": [c.unit for c in done]})
    if not remaining:
        return _refused(request, round_, _("您已完成本轮全部单位的测评，感谢参与。"))
    form = forms.GradeBallotForm(request.POST or None, units=remaining)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(round_=round_, deputy=deputy, votes=form.votes(), by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("投票已提交。选票不记名，任何人都看不到您投了什么。"))
            return redirect("evaluations:units:vote_home")
    return render(request, "evaluations/units/vote_grades.html", {
        "round": round_, "campaign": round_.campaign, "form": form})


@login_required
def vote_unit(request, pk: int, unit_pk: int):
    """One unit's page with every indicator (indicator scoring)."""
    round_ = _round_for_voter(request.user, pk)
    deputy = deputy_of(request.user)
    if reason := services.vote_refusal(round_, deputy):
        return _refused(request, round_, reason)
    if round_.campaign.uses_grades:
        return redirect("evaluations:units:vote_round", round_.pk)
    unit = get_object_or_404(round_.campaign.units.select_related("unit"), unit_id=unit_pk).unit
    if not BallotCast.objects.filter(round=round_, deputy=deputy, unit=unit, cast_on__isnull=True).exists():
        return _refused(request, round_, _("您已对“%(unit)s”投过票，每轮对每个单位只能投一次。") % {"unit": unit.name})
    scheme = leaves(load_scheme(round_.campaign))
    form = forms.IndicatorBallotForm(request.POST or None, indicators=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cast(round_=round_, deputy=deputy, votes={unit: form.votes()}, by=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("对“%(unit)s”的评分已提交。") % {"unit": unit.name})
            return redirect("evaluations:units:vote_round", round_.pk)
    return render(request, "evaluations/units/vote_unit.html", {
        "round": round_, "campaign": round_.campaign, "unit": unit, "form": form})
