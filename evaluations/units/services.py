"""Every state change of the evaluation of units: one keyword-only function each, in one transaction.

Rounds move only through :data:`ROUND_TRANSITIONS`. Voting keeps who voted (the roll, :class:`BallotCast`)
apart from what was voted (:class:`Ballot`): the roll is written when the round opens, in roll order; a vote
fills the day on the roll with a conditional update (so a deputy votes once per unit) and inserts the
ballots in one statement, in random order, with random keys and no time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import (
    Ballot,
    BallotCast,
    BallotScore,
    Campaign,
    CampaignUnit,
    Deduction,
    Indicator,
    Round,
    UnitResult,
)
from evaluations.units.access import MANAGE
from evaluations.units.choices import (
    COMPUTED_SOURCES,
    DeductionSource,
    Grade,
    PeriodKind,
    RoundState,
    SchemeKind,
)
from evaluations.units.scoring import leaves, load_scheme, round_scores
from presidium.access import has_perm

S = RoundState
ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.OPEN}),
    S.OPEN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset(),
}
REFUSALS = {
    S.OPEN: "只有未开始的轮次可以开始投票。",
    S.CLOSED: "只有投票中的轮次可以截止。",
    S.PUBLISHED: "投票截止后才能公布结果。",
}


def _require_manager(by, township) -> None:
    if not has_perm(by, MANAGE, township):
        raise PermissionDenied


def _quarter_bounds(year: int, number: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    end = dt.date(year + (number == 4), (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def default_rounds(year: int, period_kind: str) -> list[tuple[int, dt.date, dt.date]]:
    """(number, period start, period end): the four quarters, or the year."""
    if period_kind == PeriodKind.ANNUAL:
        return [(1, dt.date(year, 1, 1), dt.date(year, 12, 31))]
    return [(n, *_quarter_bounds(year, n)) for n in range(1, 5)]


@transaction.atomic
def campaign_create(*, township, year: int, title: str, by, period_kind: str = PeriodKind.QUARTERLY,
                    scheme_kind: str = SchemeKind.INDICATORS, methods: Iterable[str] = (),
                    units: Iterable = (), evaluated_again: Iterable = (), **rules) -> Campaign:
    """A campaign with its rounds (four quarters or the year; voting in the last 15 days of each, editable)
    and its units. ``rules`` are the outcome and deduction settings of :class:`Campaign`."""
    _require_manager(by, township)
    campaign = Campaign(township=township, year=year, title=title, period_kind=period_kind,
                        scheme_kind=scheme_kind, methods=sorted(set(methods)), created_by=by, **rules)
    campaign.full_clean()
    campaign.save()
    again = {u.pk for u in evaluated_again}
    chosen = {u.pk: u for u in [*units, *evaluated_again]}
    if not chosen:
        raise ValidationError({"units": _("请至少选择一个被评议单位。")})
    for unit in chosen.values():
        if unit.township_id != township.pk:
            raise ValidationError({"units": _("只能评议本乡镇的单位。")})
    CampaignUnit.objects.bulk_create([CampaignUnit(campaign=campaign, unit=unit, evaluated_again=unit.pk in again)
                                      for unit in chosen.values()])
    Round.objects.bulk_create([
        Round(campaign=campaign, number=n, period_start=start, period_end=end,
              opens_on=end - dt.timedelta(days=14), closes_on=end)
        for n, start, end in default_rounds(year, period_kind)])
    return campaign


def _check_scheme_editable(campaign: Campaign) -> None:
    if campaign.rounds.exclude(state=S.DRAFT).exists():
        raise ValidationError(_("已有轮次开始投票，评分指标不能再修改。"))


@transaction.atomic
def indicator_add(*, campaign: Campaign, by, title: str, max_points, parent: Indicator | None = None,
                  weight=Decimal("1"), method: str = "direct", per_occurrence=Decimal("0"), floor=Decimal("0"),
                  rank_points: str = "", target=None, position: int | None = None) -> Indicator:
    """Add a node to the campaign's indicator tree (before any round opens)."""
    _require_manager(by, campaign.township)
    if campaign.scheme_kind != SchemeKind.INDICATORS:
        raise ValidationError(_("满意度测评不设评分指标。"))
    _check_scheme_editable(campaign)
    if parent is not None and parent.campaign_id != campaign.pk:
        raise ValidationError({"parent": _("上级指标不属于本次评议。")})
    indicator = Indicator(campaign=campaign, parent=parent, title=title, max_points=max_points, weight=weight,
                          method=method, per_occurrence=per_occurrence, floor=floor, rank_points=rank_points,
                          target=target, position=position if position is not None else campaign.indicators.count())
    indicator.full_clean()
    if method == "rank":
        try:
            if not indicator.rank_point_list():
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError({"rank_points": _("请按名次填写得分，用逗号分隔，例如 60,57,54。")}) from None
    if method == "target" and target is None:
        raise ValidationError({"target": _("达标计分的指标请填写达标值。")})
    indicator.save()
    return indicator


@transaction.atomic
def round_update_window(*, round_: Round, by, opens_on: dt.date, closes_on: dt.date) -> Round:
    _require_manager(by, round_.campaign.township)
    if round_.state not in (S.DRAFT, S.OPEN):
        raise ValidationError(_("投票已截止，不能再修改投票时间。"))
    round_.opens_on, round_.closes_on = opens_on, closes_on
    round_.full_clean()
    round_.save(update_fields=["opens_on", "closes_on"])
    return round_


def _move(round_: Round, new: str) -> None:
    if new not in ROUND_TRANSITIONS[round_.state]:
        raise ValidationError(_(REFUSALS[new]))
    round_.state = new


def roll_deputies(township):
    """The deputies entitled to vote: the township's serving deputies."""
    from deputies.models import Deputy
    from deputies.selectors import serving

    return serving(Deputy.objects.filter(township=township)).order_by("pk")


@transaction.atomic
def round_open(*, round_: Round, by) -> Round:
    """Open the vote and write the roll: one row per serving deputy and unit, in roll order (not vote order)."""
    campaign = round_.campaign
    _require_manager(by, campaign.township)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _move(round_, S.OPEN)
    unit_ids = list(CampaignUnit.objects.filter(campaign=campaign).order_by("unit_id").values_list("unit_id",
                                                                                                 flat=True))
    if campaign.scheme_kind == SchemeKind.INDICATORS and not leaves(load_scheme(campaign)):
        raise ValidationError(_("请先设置评分指标，再开始投票。"))
    deputy_ids = list(roll_deputies(campaign.township).values_list("pk", flat=True))
    if not deputy_ids:
        raise ValidationError(_("本乡镇没有在任代表，无法开始投票。"))
    BallotCast.objects.bulk_create([BallotCast(round=round_, deputy_id=d, unit_id=u)
                                    for d in deputy_ids for u in unit_ids], ignore_conflicts=True)
    round_.save(update_fields=["state"])
    return round_


@transaction.atomic
def round_close(*, round_: Round, by) -> Round:
    """Close the vote, and write the round's ballots again in a random order under new keys: the order rows
    were stored in (SQLite's rowid, PostgreSQL's physical order) then no longer follows the order of voting."""
    _require_manager(by, round_.campaign.township)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _move(round_, S.CLOSED)
    round_.save(update_fields=["state"])
    _reshuffle_ballots(round_)
    return round_


def _reshuffle_ballots(round_: Round) -> None:
    ballots = list(Ballot.objects.filter(round=round_).values("id", "unit_id", "grade"))
    if not ballots:
        return
    scores: dict = {}
    for row in BallotScore.objects.filter(ballot__round=round_).values("ballot_id", "indicator_id", "value"):
        scores.setdefault(row["ballot_id"], []).append(row)
    Ballot.objects.filter(round=round_).delete()  # their scores go with them (CASCADE)
    random.shuffle(ballots)
    fresh, fresh_scores = [], []
    for row in ballots:
        ballot = Ballot(round=round_, unit_id=row["unit_id"], grade=row["grade"])
        fresh.append(ballot)
        fresh_scores.extend(BallotScore(ballot=ballot, indicator_id=s["indicator_id"], value=s["value"])
                            for s in scores.get(row["id"], []))
    random.shuffle(fresh_scores)
    Ballot.objects.bulk_create(fresh, batch_size=500)
    BallotScore.objects.bulk_create(fresh_scores, batch_size=500)


@transaction.atomic
def round_publish(*, round_: Round, by) -> Round:
    """Publish: store each unit's result, and open rectification items where 不满意 passes the threshold."""
    from evaluations.units.rectification import open_for_unsatisfied

    campaign = round_.campaign
    _require_manager(by, campaign.township)
    round_ = Round.objects.select_for_update(of=("self",)).select_related("campaign__township").get(pk=round_.pk)
    _move(round_, S.PUBLISHED)
    scores = round_scores(round_)
    UnitResult.objects.bulk_create([UnitResult(
        round=round_, unit=s.unit, ballots=s.ballots, shown=s.shown, score=s.score, deducted=s.deducted,
        total=s.total, satisfied=s.satisfied, basic=s.basic, unsatisfied=s.unsatisfied, grade=s.grade,
        rank=s.rank, tied=s.tied, tier=s.tier) for s in scores])
    round_.published_at, round_.published_by = timezone.now(), by
    round_.save(update_fields=["state", "published_at", "published_by"])
    if campaign.scheme_kind == SchemeKind.GRADES:
        over = [s for s in scores if s.shown and s.unsatisfied_share > campaign.unsatisfied_threshold]
        open_for_unsatisfied(round_=round_, scores=over, by=by)
    return round_


# --- voting ---------------------------------------------------------------------------------------------


def vote_refusal(round_: Round, deputy, *, today: dt.date | None = None) -> str | None:
    """Why ``deputy`` may not vote in ``round_`` now (None: they may)."""
    today = today or timezone.localdate()
    if deputy is None or deputy.township_id != round_.campaign.township_id or not deputy.is_serving:
        return _("您不是本乡镇的在任代表，不能参加本次评议投票。")
    if round_.state != S.OPEN:
        return _("本轮评议不在投票期间（%(state)s）。") % {"state": round_.get_state_display()}
    if today < round_.opens_on:
        return _("投票将于 %(day)s 开始。") % {"day": f"{round_.opens_on:%Y-%m-%d}"}
    if today > round_.closes_on:
        return _("投票已于 %(day)s 截止。") % {"day": f"{round_.closes_on:%Y-%m-%d}"}
    return None


def _clean_value(indicator: Indicator, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({f"i{indicator.pk}": _("请填写数字。")}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({f"i{indicator.pk}": _("请填写不小于 0 的数字。")})
    if indicator.method == "direct" and value > indicator.max_points:
        raise ValidationError({f"i{indicator.pk}": _("不能超过满分 %(max)s 分。") % {"max": indicator.max_points}})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def ballot_cast(*, round_: Round, deputy, votes: Mapping, by, today: dt.date | None = None) -> int:
    """Record one deputy's ballots: ``votes`` maps a unit to its grade (three-grade ballot) or to
    ``{indicator: value}`` (indicator scheme). Returns how many ballots were stored.

    The roll's rows are marked with the day only if not yet marked (a unit voted once); the ballots go in
    one statement, shuffled, carrying nothing of the deputy.
    """
    if by is None or deputy is None or deputy.user_id != by.pk:
        raise PermissionDenied
    round_ = Round.objects.select_related("campaign").get(pk=round_.pk)  # its state now, not when the page loaded
    if reason := vote_refusal(round_, deputy, today=today):
        raise ValidationError(reason)
    campaign = round_.campaign
    if not votes:
        raise ValidationError(_("请填写后再提交。"))
    scheme = leaves(load_scheme(campaign)) if campaign.scheme_kind == SchemeKind.INDICATORS else []
    ballots, scores = [], []
    for unit, vote in votes.items():
        ballot = Ballot(round=round_, unit=unit)
        if campaign.scheme_kind == SchemeKind.GRADES:
            if vote not in Grade.values:
                raise ValidationError({f"u{unit.pk}": _("请为“%(unit)s”选择满意、基本满意或不满意。") % {"unit": unit.name}})
            ballot.grade = vote
        else:
            missing = [i for i in scheme if i not in vote or vote[i] in (None, "")]
            if missing:
                raise ValidationError({f"i{missing[0].pk}": _("请为每一项指标打分。")})
            scores.extend(BallotScore(ballot=ballot, indicator=i, value=_clean_value(i, vote[i])) for i in scheme)
        ballots.append(ballot)
    return _store_ballots(round_=round_, deputy=deputy, ballots=ballots, scores=scores,
                          day=today or timezone.localdate())


def _store_ballots(*, round_: Round, deputy, ballots: list[Ballot], scores: list[BallotScore], day: dt.date) -> int:
    """Mark the roll with the day (only rows not yet marked: a unit is voted once) and insert the ballots in one
    statement, shuffled. Inside the caller's transaction; raises (rolling it back) when a unit was voted already."""
    unit_ids = [ballot.unit_id for ballot in ballots]
    marked = BallotCast.objects.filter(round=round_, deputy=deputy, unit__in=unit_ids,
                                       cast_on__isnull=True).update(cast_on=day)
    if marked != len(unit_ids):
        # Roll back: a unit not on the roll, or already voted (a second tap, another device).
        transaction.set_rollback(True)
        raise ValidationError(_("您已对其中的单位投过票，每轮对每个单位只能投一次。"))
    random.shuffle(ballots)
    random.shuffle(scores)
    Ballot.objects.bulk_create(ballots)
    if scores:
        BallotScore.objects.bulk_create(scores)
    return len(ballots)


# --- deductions -----------------------------------------------------------------------------------------


def computed_deductions(round_: Round) -> list[Deduction]:
    """The deductions the portal's records call for in the round's period, unsaved, each with its source:
    petitions transferred to a unit whose findings were 属实 or 部分属实 (received in the period), the
    unit's replies to suggestions given late, and its replies rated 不满意 (without a reason accepted)."""
    from petitions.choices import Findings
    from petitions.models import PetitionTransfer
    from proposals.choices import Satisfaction
    from proposals.models import Rating, Reply

    campaign = round_.campaign
    unit_ids = list(CampaignUnit.objects.filter(campaign=campaign).values_list("unit_id", flat=True))
    start, end = round_.period_start, round_.period_end
    rows: list[Deduction] = []
    seen = set()
    for transfer in (PetitionTransfer.objects.filter(
            unit_id__in=unit_ids, petition__township=campaign.township, petition__received_on__range=(start, end),
            petition__findings__in=[Findings.TRUE, Findings.PARTLY], cancelled_at__isnull=True)
            .select_related("petition").order_by("petition_id", "pk")):
        key = ("p", transfer.unit_id, transfer.petition_id)
        if key in seen:
            continue
        seen.add(key)
        petition = transfer.petition
        rows.append(Deduction(round=round_, unit_id=transfer.unit_id, source=DeductionSource.COMPLAINT,
                              points=campaign.complaint_points, petition=petition,
                              reason=f"信访件{petition.registration_number}“{petition.subject}”调查认定"
                                     f"{petition.get_findings_display()}"))
    window = (timezone.make_aware(dt.datetime.combine(start, dt.time.min)),
              timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)))
    for reply in (Reply.objects.filter(unit_id__in=unit_ids, on_time=False, suggestion__township=campaign.township,
                                       submitted_at__gte=window[0], submitted_at__lt=window[1])
                  .select_related("suggestion").order_by("pk")):
        rows.append(Deduction(round=round_, unit_id=reply.unit_id, source=DeductionSource.LATE_REPLY,
                              points=campaign.late_reply_points, suggestion=reply.suggestion,
                              reason=f"建议“{reply.suggestion.title}”第{reply.round}轮答复逾期（期限 "
                                     f"{reply.deadline_at_reply:%Y-%m-%d}）"))
    for rating in (Rating.objects.filter(unit_id__in=unit_ids, overall=Satisfaction.UNSATISFIED,
                                         reason_accepted=False, suggestion__township=campaign.township,
                                         rated_at__gte=window[0], rated_at__lt=window[1])
                   .select_related("suggestion").order_by("pk")):
        rows.append(Deduction(round=round_, unit_id=rating.unit_id, source=DeductionSource.UNSATISFIED_REPLY,
                              points=campaign.unsatisfied_reply_points, suggestion=rating.suggestion,
                              reason=f"建议“{rating.suggestion.title}”第{rating.round}轮答复代表评价不满意"))
    return [row for row in rows if row.points > 0]


def _check_deductions_open(round_: Round) -> None:
    if round_.state == S.PUBLISHED:
        raise ValidationError(_("结果已公布，扣分不能再改变。"))


@transaction.atomic
def deductions_refresh(*, round_: Round, by) -> int:
    """Recompute the round's deductions from the records (staff's own deductions stay). Returns the count."""
    _require_manager(by, round_.campaign.township)
    round_ = Round.objects.select_for_update(of=("self",)).select_related("campaign__township").get(pk=round_.pk)
    _check_deductions_open(round_)
    Deduction.objects.filter(round=round_, source__in=COMPUTED_SOURCES).delete()
    rows = computed_deductions(round_)
    Deduction.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def deduction_add(*, round_: Round, unit, points, reason: str, by) -> Deduction:
    """Staff's own deduction, with its reason and who made it."""
    _require_manager(by, round_.campaign.township)
    round_ = Round.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=round_.pk)
    _check_deductions_open(round_)
    if not CampaignUnit.objects.filter(campaign=round_.campaign, unit=unit).exists():
        raise ValidationError({"unit": _("该单位不在本次评议之列。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明扣分理由。")})
    deduction = Deduction(round=round_, unit=unit, points=points, reason=reason.strip(),
                          source=DeductionSource.MANUAL, created_by=by)
    deduction.full_clean()
    deduction.save()
    return deduction


@transaction.atomic
def deduction_withdraw(*, deduction: Deduction, by) -> None:
    """Withdraw a deduction staff made (computed ones follow the records)."""
    _require_manager(by, deduction.round.campaign.township)
    _check_deductions_open(Round.objects.select_for_update().get(pk=deduction.round_id))
    if deduction.source != DeductionSource.MANUAL:
        raise ValidationError(_("系统计算的扣分随信访、建议记录变化，不能单独撤销。"))
    if deduction.withdrawn_at is not None:
        raise ValidationError(_("这项扣分已经撤销。"))
    deduction.withdrawn_at, deduction.withdrawn_by = timezone.now(), by
    deduction.save(update_fields=["withdrawn_at", "withdrawn_by"])
