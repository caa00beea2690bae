"""Demo data of the evaluation of units, for 青石镇 (the demo staff's township):

* a quarterly campaign of this year (综合评议) over five units with an indicator tree (作风、效率、成效 with
  their sub-indicators, one scored by rank, one by deduction per occurrence): the first two quarters voted,
  deductions computed from the petitions and suggestions, published; the third open for voting now (the demo
  deputy has not voted yet: the phone page offers the units); the fourth not started;
* an annual three-grade ballot (满意度测评) of four units, published, in which 财政所 (the demo liaison's unit)
  passed the 不满意 threshold and got its rectification item opened automatically, and one item staff opened
  by hand, already ticked off.

The ballots of the closed rounds stand for deputies who voted on paper at the evaluation meeting: they go
through the same checks and the same storing step as a phone vote (``services._store_ballots``), entered for
deputies without accounts. Idempotent (a township with a campaign is left alone), deterministic, a few
seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluations.models import Ballot, BallotScore, Campaign
from evaluations.units import rectification, services
from evaluations.units.scoring import leaves, load_scheme
from presidium.models import HandlingUnit, Township, User

SCHEME = [
    ("工作作风", 30, [("服务态度", 15, "direct", {}), ("工作纪律", 15, "deduction",
                                                       {"per_occurrence": Decimal("3"), "floor": Decimal("5")})]),
    ("工作效率", 30, [("办事时限", 30, "direct", {})]),
    ("工作成效", 40, [("群众满意度排名", 40, "rank", {"rank_points": "40,38,36,34,32"})]),
]


def seed_unit_evaluations(*, scale: int = 1, stdout=None) -> None:
    staff = User.objects.filter(username="staff").first()
    township = Township.objects.filter(name="青石镇").order_by("pk").first()
    if staff is None or township is None or Campaign.objects.filter(township=township).exists():
        return
    units = list(HandlingUnit.objects.filter(township=township, is_active=True).order_by("pk"))
    finance = next((u for u in units if u.name == "财政所"), None)
    if len(units) < 4:
        return
    if finance is not None:
        units = [finance, *[u for u in units if u != finance]]
    rng = random.Random(township.pk)
    with transaction.atomic():
        _quarterly(township, staff, units[:5], rng)
        _ballot(township, staff, units[:4], rng)
    if stdout:
        stdout.write("  工作评议：季度综合评议（两轮已公布、一轮投票中）、年度满意度测评")


def _paper_votes(round_, deputies, make_ballot, day):
    """Ballots of deputies who voted on paper: the roll marked with the day, the ballots stored apart."""
    for deputy in deputies:
        ballots, scores = make_ballot()
        services._store_ballots(round_=round_, deputy=deputy, ballots=ballots, scores=scores, day=day)


def _quarterly(township, staff, units, rng) -> None:
    today = timezone.localdate()
    campaign = services.campaign_create(
        township=township, year=today.year, title=f"{today.year}年度站所综合评议", by=staff,
        methods=["inspection", "unannounced", "questionnaire", "phone"], units=units, min_ballots=5,
        title_top_n=1, praise_top_n=2, criticism_bottom_n=1)
    for position, (title, points, children) in enumerate(SCHEME):
        parent = services.indicator_add(campaign=campaign, by=staff, title=title, max_points=points,
                                        position=position * 10)
        for offset, (child, child_points, method, extra) in enumerate(children, start=1):
            services.indicator_add(campaign=campaign, by=staff, title=child, max_points=child_points, method=method,
                                   parent=parent, position=position * 10 + offset, **extra)
    scheme = leaves(load_scheme(campaign))
    strength = {unit.pk: rng.uniform(0.65, 0.95) for unit in units}
    rounds = list(campaign.rounds.order_by("number"))
    for round_ in rounds[:2]:
        services.round_update_window(round_=round_, by=staff, opens_on=round_.period_end - dt.timedelta(days=9),
                                     closes_on=round_.period_end)
        round_ = services.round_open(round_=round_, by=staff)
        _indicator_votes(round_, units, scheme, strength, rng, share=0.8, day=round_.closes_on)
        services.deductions_refresh(round_=round_, by=staff)
        services.round_close(round_=round_, by=staff)
        services.round_publish(round_=round_, by=staff)
    current = rounds[2]
    services.round_update_window(round_=current, by=staff, opens_on=today - dt.timedelta(days=3),
                                 closes_on=today + dt.timedelta(days=7))
    current = services.round_open(round_=current, by=staff)
    # Voting in progress: about half the deputies have voted (on paper, yesterday); the demo deputy has not.
    _indicator_votes(current, units, scheme, strength, rng, share=0.5, day=today - dt.timedelta(days=1))
    services.deductions_refresh(round_=current, by=staff)


def _indicator_votes(round_, units, scheme, strength, rng, *, share: float, day) -> None:
    from deputies.models import Deputy

    roll = list(Deputy.objects.filter(pk__in=round_.casts.values("deputy")).exclude(user__username="deputy")
                .order_by("pk"))
    for deputy in roll[: max(6, int(len(roll) * share))]:
        def ballot():
            ballots, scores = [], []
            for unit in units:
                b = Ballot(round=round_, unit=unit)
                ballots.append(b)
                for indicator in scheme:
                    if indicator.method == "deduction":
                        value = Decimal(rng.choice([0, 0, 0, 1, 1, 2]))
                    else:
                        level = min(1.0, max(0.3, strength[unit.pk] + rng.uniform(-0.12, 0.12)))
                        value = (Decimal(indicator.max_points) * Decimal(str(round(level, 2)))).quantize(
                            Decimal("0.5"))
                    scores.append(BallotScore(ballot=b, indicator=indicator, value=value))
            return ballots, scores

        _paper_votes(round_, [deputy], ballot, day)


def _ballot(township, staff, units, rng) -> None:
    today = timezone.localdate()
    campaign = services.campaign_create(
        township=township, year=today.year, title=f"{today.year}年度站所满意度测评", by=staff, period_kind="annual",
        scheme_kind="grades", methods=["questionnaire"], units=units, min_ballots=5,
        unsatisfied_threshold=Decimal("25"))
    round_ = campaign.rounds.get()
    services.round_update_window(round_=round_, by=staff, opens_on=today - dt.timedelta(days=20),
                                 closes_on=today - dt.timedelta(days=10))
    round_ = services.round_open(round_=round_, by=staff)
    from deputies.models import Deputy

    shares = {units[0].pk: (0.35, 0.45), **{u.pk: (0.7, 0.05) for u in units[1:]}}  # 财政所 first: 不满意 high
    voters = Deputy.objects.filter(pk__in=round_.casts.values("deputy")).exclude(user__username="deputy")
    for deputy in voters:
        def ballot(round_=round_):
            ballots = []
            for unit in units:
                satisfied, unsatisfied = shares[unit.pk]
                draw = rng.random()
                grade = "satisfied" if draw < satisfied else ("unsatisfied" if draw > 1 - unsatisfied else "basic")
                ballots.append(Ballot(round=round_, unit=unit, grade=grade))
            return ballots, []

        _paper_votes(round_, [deputy], ballot, round_.closes_on)
    services.round_close(round_=round_, by=staff)
    services.round_publish(round_=round_, by=staff)
    item = rectification.rectification_open(
        campaign=campaign, unit=units[1], by=staff, stage="immediate", title="办事窗口午间无人值守",
        owner=units[1].responsible_leader or "站长", due_on=today - dt.timedelta(days=2),
        measures="实行午间轮流值班，公示值班电话。")
    rectification.rectification_done(item=item, by=staff, note="已安排午间轮班，值班表和电话已在窗口公示。")
