"""The evaluation of units at scale (``seed_demo --scale``): five years of 工作评议 per built township, in bulk.

Per township and year one quarterly campaign (站所综合评议) over eight of its stations, with the demo's indicator
tree (``demo.SCHEME``); last year's last-ranked unit comes back ``evaluated_again``. Rounds whose window has
closed are published five days after closing (closed until then), the quarter of today is open for voting
in its last month with about half the roll voted, rounds still ahead are not started. So past years are all published, this year is mixed.

Voting keeps the app's secrecy design: the roll (:class:`BallotCast`) is written in roll order (deputy, unit)
with the day each deputy voted; the ballots (:class:`Ballot`, :class:`BallotScore`) have random UUID keys, no
time, and are inserted shuffled across the whole round, so nothing joins a ballot to a deputy.

Deductions come from the township's own records through the app's ``computed_deductions`` (only when the
township has suggestions or petitions; none otherwise). Results are the app's own ``round_scores`` on the built
ballots, stored as ``round_publish`` stores them. Units that fell in the 差 tier get a rectification item
(due 20 working days after publication, from the working-day calendar); old items are mostly checked (回头看),
this year's are open (some overdue) or done. Done items carry one evidence row pointing at one small shared
text file (there is no way to delete a rectification evidence, so sharing the file is safe). Open items get
their reminders scheduled as ``rectification_open`` would.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connections, router
from django.db.models import Prefetch

from evaluations.models import (
    Ballot,
    BallotCast,
    BallotScore,
    Campaign,
    CampaignUnit,
    Deduction,
    Indicator,
    RectificationEvidence,
    RectificationItem,
    Round,
    UnitResult,
)
from evaluations.units.choices import (
    PeriodKind,
    RectificationStage,
    RectificationStatus,
    RoundState,
    SchemeKind,
    Tier,
)
from evaluations.units.demo import SCHEME
from evaluations.units.rectification import AUTO_DUE_WORKING_DAYS, DUE_SOON, OVERDUE, _at_nine
from evaluations.units.scoring import leaves, load_scheme, round_scores
from evaluations.units.services import default_rounds, roll_deputies
from presidium.scale import ScalePlan, ScaleTownship

STEP = "unit_evaluations"
UNITS_PER_CAMPAIGN = 8
EVIDENCE_NAME = "evaluations/scale/rectification-evidence.txt"
EVIDENCE_TEXT = "整改情况说明（批量演示数据）：已对照代表意见逐项整改，整改台账、照片等材料存档备查。\n"
PUBLISH_AFTER_DAYS = 5
OPEN_DAYS_BEFORE_END = 31


def build(plan: ScalePlan) -> None:
    _DUE.clear()  # the calendar may have changed since the last run
    evidence_file = _shared_evidence_file()
    for built in plan.each_township(STEP, lambda township: Campaign.objects.filter(township=township).exists()):
        _township(plan, built, evidence_file)


def _shared_evidence_file() -> str:
    from presidium.documents.storage import private_storage

    storage = private_storage()
    if not storage.exists(EVIDENCE_NAME):
        return storage.save(EVIDENCE_NAME, ContentFile(EVIDENCE_TEXT.encode()))
    return EVIDENCE_NAME


_DUE: dict[tuple[dt.date, int], dt.date] = {}


def _due_after(day: dt.date, county_id: int) -> dt.date:
    """The rectification due date ``rectification.open_for_unsatisfied`` computes: 20 working days on
    (once per distinct publication day)."""
    from presidium.calendar.services import add_working_days

    if (day, county_id) not in _DUE:
        _DUE[(day, county_id)] = add_working_days(day, AUTO_DUE_WORKING_DAYS, county=county_id).date
    return _DUE[(day, county_id)]


def _candidates(built: ScaleTownship) -> list:
    """The units a campaign evaluates: the township's stations and offices (not the villages)."""
    units = [u for u in built.units if u.is_active and u.kind in ("station", "government_office")]
    stations = [u for u in units if u.kind == "station"]
    return stations if len(stations) >= UNITS_PER_CAMPAIGN else units


def _township(plan: ScalePlan, built: ScaleTownship, evidence_file: str) -> None:
    township, staff = built.township, built.staff or plan.admin
    deputy_ids = list(roll_deputies(township).values_list("pk", flat=True))
    candidates = _candidates(built)
    if not deputy_ids or len(candidates) < 2:
        return
    units_by_id = {u.pk: u for u in candidates}
    has_records = _has_records(township)

    # 1. campaigns, their units, indicators and rounds (a handful of statements for all the years)
    campaigns, chosen = [], {}
    again = None
    for year in plan.year_list:
        rng = plan.rng(STEP, township.name, year)
        picked = rng.sample(candidates, min(UNITS_PER_CAMPAIGN, len(candidates)))
        chosen[year] = picked
        campaigns.append(Campaign(
            township=township, year=year, title=f"{year}年度站所综合评议", period_kind=PeriodKind.QUARTERLY,
            scheme_kind=SchemeKind.INDICATORS, methods=["inspection", "phone", "questionnaire", "unannounced"],
            min_ballots=5, title_top_n=3, praise_top_n=2, criticism_bottom_n=1, created_by=staff,
            created_at=plan.at(dt.date(year, 1, 10 + rng.randint(0, 10)))))
    campaigns = plan.bulk(Campaign, campaigns)
    by_year = {c.year: c for c in campaigns}

    parents = plan.bulk(Indicator, [
        Indicator(campaign=c, title=title, max_points=Decimal(points), position=position * 10)
        for c in campaigns for position, (title, points, _children) in enumerate(SCHEME)])
    parent_of = {(p.campaign_id, p.title): p for p in parents}
    plan.bulk(Indicator, [
        Indicator(campaign=c, parent=parent_of[(c.pk, title)], title=child, max_points=Decimal(child_points),
                  method=method, position=position * 10 + offset, **{**extra, **_places(method, child_points)})
        for c in campaigns for position, (title, _points, children) in enumerate(SCHEME)
        for offset, (child, child_points, method, extra) in enumerate(children, start=1)])

    rounds = []
    for campaign in campaigns:
        for number, start, end in default_rounds(campaign.year, campaign.period_kind):
            rounds.append(_round(plan, campaign, number, start, end, staff))
    rounds = plan.bulk(Round, rounds)
    campaign_of = {c.pk: c for c in campaigns}
    for round_ in rounds:
        round_.campaign = campaign_of[round_.campaign_id]
    schemes = _schemes(campaigns)

    # 2. year by year: units (last year's last comes back), the roll, ballots, deductions, results, rectification
    for year in plan.year_list:
        campaign = by_year[year]
        rng = plan.rng(STEP, township.name, year, "votes")
        units = list(chosen[year])
        if again is not None and again.pk not in {u.pk for u in units}:
            units[-1] = again
        plan.bulk(CampaignUnit, [CampaignUnit(campaign=campaign, unit=u, evaluated_again=again is not None
                                              and u.pk == again.pk) for u in units])
        strength = {u.pk: rng.uniform(0.66, 0.97) for u in units}
        year_rounds = [r for r in rounds if r.campaign_id == campaign.pk and r.state != RoundState.DRAFT]
        for round_ in year_rounds:
            _votes(plan, round_, deputy_ids, units, schemes[campaign.pk], strength, rng)
        if has_records:
            deductions = []
            for round_ in year_rounds:
                for row in _computed_deductions(round_):
                    row.created_at = plan.at(round_.closes_on, 17)
                    deductions.append(row)
            plan.bulk(Deduction, deductions)
        results, items = [], []
        last_scores = None
        for round_ in year_rounds:
            if round_.state != RoundState.PUBLISHED:
                continue
            scores = round_scores(round_)
            last_scores = scores
            results.extend(UnitResult(
                round=round_, unit=s.unit, ballots=s.ballots, shown=s.shown, score=s.score, deducted=s.deducted,
                total=s.total, satisfied=s.satisfied, basic=s.basic, unsatisfied=s.unsatisfied, grade=s.grade,
                rank=s.rank, tied=s.tied, tier=s.tier) for s in scores)
            items.extend(_rectification(plan, built, round_, [s for s in scores if s.tier == Tier.POOR], staff, rng))
        plan.bulk(UnitResult, results)
        items = plan.bulk(RectificationItem, items)
        _evidence_and_reminders(plan, built, items, evidence_file)
        ranked = [s for s in (last_scores or []) if s.rank is not None]
        again = units_by_id.get(max(ranked, key=lambda s: s.rank).unit.pk) if ranked else None


def _places(method: str, points: int) -> dict:
    """Points by rank for every evaluated unit (the demo's five places would leave the last three with 0)."""
    if method != "rank":
        return {}
    return {"rank_points": ",".join(str(points - 2 * n) for n in range(UNITS_PER_CAMPAIGN))}


def _has_records(township) -> bool:
    try:
        from petitions.models import Petition
        from proposals.models import Suggestion
    except ImportError:  # pragma: no cover - both apps are installed in the portal
        return False
    return Suggestion.objects.filter(township=township).exists() or Petition.objects.filter(township=township).exists()


def _computed_deductions(round_: Round) -> list[Deduction]:
    from evaluations.units.services import computed_deductions

    return computed_deductions(round_)


def _round(plan: ScalePlan, campaign: Campaign, number: int, start: dt.date, end: dt.date, staff) -> Round:
    today = plan.today
    opens_on, closes_on = end - dt.timedelta(days=9), end
    published_at = published_by = None
    if closes_on < today:
        publish_day = closes_on + dt.timedelta(days=PUBLISH_AFTER_DAYS)
        if publish_day <= today:
            state, published_at, published_by = RoundState.PUBLISHED, plan.at(publish_day, 10), staff
        else:
            state = RoundState.CLOSED
    elif today >= end - dt.timedelta(days=OPEN_DAYS_BEFORE_END):
        # The round of today, in the quarter's last month: voting open since a few days ago, until the quarter ends.
        state, opens_on = RoundState.OPEN, max(start, min(opens_on, today - dt.timedelta(days=3)))
    else:
        state = RoundState.DRAFT
    return Round(campaign=campaign, number=number, period_start=start, period_end=end, opens_on=opens_on,
                 closes_on=closes_on, state=state, published_at=published_at, published_by=published_by)


def _schemes(campaigns: list[Campaign]) -> dict[int, list[Indicator]]:
    """Each campaign's leaf indicators (with ``path_weight``), loaded in one query."""
    loaded = Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk")))
    return {c.pk: leaves(load_scheme(c)) for c in loaded}


def _votes(plan: ScalePlan, round_: Round, deputy_ids: list[int], units: list, scheme: list[Indicator],
           strength: dict, rng: random.Random) -> None:
    """The roll in roll order, the voters' days on it, and their ballots shuffled across the round.

    The three tables are the bulk of the step (a county: about a million ballot scores), so their rows are
    written as plain tuples (:func:`_insert_rows`) rather than model instances: the ORM's per-object work was
    four fifths of the step's time. The values are those the models would store; the tests validate a sample.
    """
    share = rng.uniform(0.45, 0.6) if round_.state == RoundState.OPEN else rng.uniform(0.75, 0.92)
    voters = set(rng.sample(deputy_ids, max(min(len(deputy_ids), 6), int(len(deputy_ids) * share))))
    last_day = min(round_.closes_on, plan.today - dt.timedelta(days=1)) if round_.state == RoundState.OPEN \
        else round_.closes_on
    first_day = min(round_.opens_on, last_day)
    casts, ballots, scores = [], [], []
    for deputy_id in deputy_ids:
        day = plan.random_day(rng, first_day, last_day) if deputy_id in voters else None
        casts.extend((round_.pk, deputy_id, unit.pk, day) for unit in units)
        if day is None:
            continue
        for unit in units:
            ballot_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            ballots.append((ballot_id, round_.pk, unit.pk, ""))
            scores.extend((uuid.UUID(int=rng.getrandbits(128), version=4), ballot_id, indicator.pk,
                           _value(indicator, strength[unit.pk], rng)) for indicator in scheme)
    rng.shuffle(ballots)
    rng.shuffle(scores)
    _insert_rows(BallotCast, ("round", "deputy", "unit", "cast_on"), casts)
    _insert_rows(Ballot, ("id", "round", "unit", "grade"), ballots)
    _insert_rows(BallotScore, ("id", "ballot", "indicator", "value"), scores)


def _insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (values in the order of the fields ``names``) in bulk: ``COPY`` on PostgreSQL,
    ``executemany`` elsewhere, each value prepared by its field for the database as the ORM would."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        prepared = [[f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
                    for row in rows]
        placeholders = ", ".join(["%s"] * len(fields))
        for start in range(0, len(prepared), 2000):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                               prepared[start:start + 2000])


def _value(indicator: Indicator, strength: float, rng: random.Random) -> Decimal:
    """One deputy's value for a leaf, as the demo's paper ballots: occurrences for a deduction indicator,
    else the maximum times the unit's strength give or take a little, in half points."""
    if indicator.method == "deduction":
        return Decimal(rng.choice([0, 0, 0, 1, 1, 2]))
    level = min(1.0, max(0.3, strength + rng.uniform(-0.12, 0.12)))
    return (Decimal(indicator.max_points) * Decimal(str(round(level, 2)))).quantize(Decimal("0.5"))


def _rectification(plan: ScalePlan, built: ScaleTownship, round_: Round, poor: list, staff,
                   rng: random.Random) -> list[RectificationItem]:
    campaign, today = round_.campaign, plan.today
    published = round_.published_at.date()
    due = _due_after(published, built.township.county_id)
    items = []
    for s in poor:
        unit = s.unit
        draw = rng.random()
        age = (today - due).days
        if age > 180:
            status = RectificationStatus.CHECKED if draw < 0.85 else (
                RectificationStatus.DONE if draw < 0.97 else RectificationStatus.OPEN)
        elif age > 0:
            status = RectificationStatus.OPEN if draw < 0.4 else (
                RectificationStatus.DONE if draw < 0.8 else RectificationStatus.CHECKED)
        else:
            status = RectificationStatus.OPEN if draw < 0.7 else RectificationStatus.DONE
        done_on = checked_on = None
        if status != RectificationStatus.OPEN:
            done_on = min(today, plan.random_day(rng, published + dt.timedelta(days=5), due + dt.timedelta(days=10)))
        if status == RectificationStatus.CHECKED:
            checked_on = min(today, plan.random_day(rng, done_on + dt.timedelta(days=10), done_on + dt.timedelta(days=60)))
        items.append(RectificationItem(
            campaign=campaign, unit=unit, round=round_, stage=RectificationStage.NEAR,
            title=f"{round_.label}评议总分 {s.total} 分，低于 {campaign.poor_tier_below} 分，限期整改",
            measures="对照代表评议意见逐项查找问题，制定整改措施，按期报送整改情况。",
            owner=unit.responsible_leader or unit.contact_person or unit.name, due_on=due, status=status,
            done_on=done_on, done_note="已按整改措施完成整改，整改台账已报人大办。" if done_on else "",
            checked_on=checked_on, check_note="回头看：整改到位，群众反映良好。" if checked_on else "",
            created_by=staff, created_at=round_.published_at))
    return items


def _evidence_and_reminders(plan: ScalePlan, built: ScaleTownship, items: list[RectificationItem],
                            evidence_file: str) -> None:
    from presidium.notifications.models import Reminder

    evidence, reminders = [], []
    content_type = ContentType.objects.get_for_model(RectificationItem)
    now = plan.at(plan.today, 0)
    for item in items:
        if item.done_on is not None:
            evidence.append(RectificationEvidence(
                item=item, file=evidence_file, original_name="整改情况说明.txt", content_type="text/plain",
                size_bytes=len(EVIDENCE_TEXT.encode()), uploaded_by=built.liaisons.get(item.unit_id) or built.staff,
                uploaded_at=plan.at(item.done_on, 15)))
        if item.status == RectificationStatus.OPEN:
            soon = _at_nine(item.due_on - dt.timedelta(days=3))
            if soon >= now:
                reminders.append(Reminder(content_type=content_type, object_id=item.pk, kind=DUE_SOON, due_at=soon,
                                          created_at=item.created_at, updated_at=item.created_at))
            reminders.append(Reminder(content_type=content_type, object_id=item.pk, kind=OVERDUE,
                                      due_at=_at_nine(item.due_on + dt.timedelta(days=1)),
                                      created_at=item.created_at, updated_at=item.created_at))
    plan.bulk(RectificationEvidence, evidence)
    plan.bulk(Reminder, reminders)
