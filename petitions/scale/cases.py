"""Five years of petitions of one scale township, walked through the lifecycle and written in bulk.

Each case is registered on a day of its year and then takes the services' steps in order, each on a date
after the one before; a step dated after today has not happened yet, so the case stops there. Every move
is checked against the one lifecycle table (:func:`petitions.lifecycle.transition`). The clocks are the
ones the notices start and stop (``petitions.services.notices``), their due dates and "how counted"
texts from :func:`presidium.calendar.services.explain_deadline` and :func:`petitions.clocks.counted_text`,
computed once per (unit, start date, days) and cached for the whole run.

About one case in twenty is neglected (every step slow): in older years those are the missed limits of
the figures, this year the overdue cases of the lists and reminders (one in two of the cases received three
to six weeks before the build, so that some are past their limit on any day).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _l

from deputies.pii import id_check_digit
from petitions import lifecycle
from petitions.access import id_number_digest, mobile_digest, normalize_mobile, query_code_digest
from petitions.choices import (
    LEGAL_BASIS,
    Action,
    Channel,
    ClockKind,
    ClockState,
    EventKind,
    FeedbackResult,
    Findings,
    NoticeKind,
    PetitionStatus,
    Resolution,
    ReturnVisitMethod,
    ReviewDecision,
    ReviewLevel,
    Urgency,
)
from petitions.clocks import DUTY_KINDS, clock_days, clock_unit, counted_text, named_days_off
from petitions.demo import ANSWERS_ON_SPOT, GIVEN, MATTERS, REFERRAL_BODIES, SURNAMES, VILLAGES
from petitions.models import (
    Petition,
    PetitionClock,
    PetitionEvent,
    PetitionNotice,
    PetitionRepresentative,
    PetitionReview,
    PetitionSequence,
    PetitionTransfer,
    ReturnVisit,
)
from petitions.reminders import BEFORE_DAYS, BEFORE_PREFIX, DUE_TODAY, OVERDUE, at_reminder_time
from petitions.scale.reception import township_deputies
from petitions.services.notices import _addressee, default_body
from petitions.services.registration import categories_ensure, new_query_code
from presidium.calendar.services import add_calendar_days, compute_deadline
from presidium.demo import LEADERS
from presidium.documents.models import DocumentNumber, DocumentNumberSequence
from presidium.documents.selectors import issuer_for
from presidium.notifications.models import Reminder
from presidium.records import as_stored, record

S = PetitionStatus
STAFF = object()  # "the township's staff did it" (``by=None`` is the petitioner, online)
# How a township's petitions reach it (weights); a deputy-raised case needs a deputy, else it is a visit.
CHANNELS = [(Channel.VISIT, 30), (Channel.LETTER, 14), (Channel.PHONE, 10), (Channel.ONLINE, 16),
            (Channel.MAILBOX, 5), (Channel.REFERRED, 8), (Channel.DEPUTY, 12)]
REJECT_REASONS = ["该事项已经人民法院判决，属于诉讼程序处理的事项，依法不予受理。",
                  "该事项已由县信访局受理办理，不重复受理。",
                  "反映事项不属于本级人大主席团职责范围，已告知向有关机关提出。"]
REVIEW_REASONS = ["对答复意见不服，请求复查。", "认为补偿标准计算有误，请求复查。"]
RE_REVIEW_REASONS = ["对复查意见仍然不服，请求复核。"]
UNIT_REPLY = ("经调查核实，已按政策作出处理，详见答复意见。", "已按政策作出处理。")
ANSWER_TEXT = {True: "经调查核实，你反映的问题情况属实，已协调有关单位予以解决。",
               False: "经调查核实，你反映的问题与事实不符，已向你作了解释。"}
ANSWER_PUBLIC = "经调查核实，已依法依规作出处理。"
DECISION_TEXT = "经复查（复核），原处理意见认定事实清楚，适用政策正确。"
DECISION_PUBLIC = "经复查（复核），已依法依规提出意见。"
CLOSE_NOTE = "信访人表示息访。"
VISIT_NOTE = "电话回访信访人。"
REFERRAL_REPORT = "已按期办结，信访人表示满意，结果已报转办机关。"


def _weighted(rng, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


class ClockMath:
    """Due dates and "how counted" texts, once per (county, unit, start, days) for the whole run.

    The due date is :func:`presidium.calendar.services.compute_deadline`'s (``clock_start`` takes it from
    ``explain_deadline``, which is the same date); the text is :func:`petitions.clocks.counted_text` with the
    county's named days off read once, not once per clock.
    """

    def __init__(self):
        self._cache: dict[tuple, tuple[dt.date, str]] = {}
        self._days_off: dict[int | None, list] = {}
        self.basis = {kind: as_stored(LEGAL_BASIS[kind])[:300] for kind in ClockKind}

    def due(self, township, kind: str, start: dt.date, amount: int | None = None):
        kind = ClockKind(kind)
        unit = clock_unit(kind)
        amount = int(amount or clock_days(kind))
        county = township.county_id
        key = (county, unit, start, amount)
        if key not in self._cache:
            if county not in self._days_off:
                self._days_off[county] = named_days_off(county)
            due = compute_deadline(start, amount, unit, county=county).date
            subject = SimpleNamespace(township_id=township.pk, township=township)
            self._cache[key] = (due, as_stored(counted_text(subject, start, amount, unit, due,
                                                            days_off=self._days_off[county]))[:300])
        return (unit, amount, *self._cache[key])


def _id_number(rng, year: int) -> str:
    born = dt.date(year - rng.randint(25, 75), rng.randint(1, 12), rng.randint(1, 28))
    first = f"3607{rng.randint(21, 35):02d}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first + id_check_digit(first)


class TownshipCases:
    """Everything of one township's petitions, generated in memory and then written model by model."""

    def __init__(self, plan, built, *, held_days, math: ClockMath | None = None):
        self.plan, self.built, self.township, self.today = plan, built, built.township, plan.today
        self.math = math or ClockMath()
        self.rng = plan.rng("petitions", self.township.name)
        self.staff = built.staff or plan.admin
        self.units = [u for u in built.units if u.is_active]
        self.deputies = township_deputies(self.township)
        self.held = sorted(held_days, key=lambda d: d.date)
        self.held_dates = [d.date for d in self.held]
        self.categories = {c.name: c for c in categories_ensure(township=self.township)}
        self.code = issuer_for(self.township).code
        self.notice_label = {k: as_stored(k.label) for k in NoticeKind}
        self.action_label = {a: as_stored(a.label) for a in Action}
        self.channel_label = {c: as_stored(c.label) for c in Channel}
        self.originals: list[Petition] = []
        self.repeats: list[Petition] = []
        self.people: list[Petition] = []  # earlier cases by a named person with a phone: what repeats come back to
        self.representatives, self.transfers, self.notices, self.clocks = [], [], [], []
        self.visits, self.reviews, self.events, self.notice_events = [], [], [], []
        self.tick = 0
        self._mornings: dict[dt.date, dt.datetime] = {}

    # --- writing -----------------------------------------------------------------------------------------
    def build(self) -> None:
        # Stored texts are rendered in the portal's language (what ``as_stored`` does once per call).
        with translation.override(settings.LANGUAGE_CODE):
            self._generate()
            self._write()

    def _generate(self) -> None:
        for year in self.plan.year_list:
            self._year(year)
        self._number_notices()

    def _write(self) -> None:
        bulk = self.plan.bulk
        bulk(Petition, self.originals)
        bulk(Petition, self.repeats)
        through = Petition.related.through
        bulk(through, [row for p in self.repeats for row in (
            through(from_petition_id=p.pk, to_petition_id=p.repeat_of_id),
            through(from_petition_id=p.repeat_of_id, to_petition_id=p.pk))])
        bulk(PetitionRepresentative, self.representatives)
        bulk(PetitionTransfer, self.transfers)
        bulk(PetitionNotice, self.notices)
        self._document_numbers()
        bulk(PetitionClock, self.clocks)
        self._reminders()
        bulk(ReturnVisit, self.visits)
        bulk(PetitionReview, self.reviews)
        bulk(PetitionEvent, self.events)

    def _reserve(self, year: int, count: int) -> int:
        """Take ``count`` registration numbers of ``year`` from the township's sequence; the first is returned."""
        PetitionSequence.objects.get_or_create(township=self.township, year=year)
        sequence = PetitionSequence.objects.select_for_update().get(township=self.township, year=year)
        first = sequence.last_number + 1
        sequence.last_number += count
        sequence.save(update_fields=["last_number"])
        return first

    def _number_notices(self) -> None:
        """Each notice's 发文字号, a block per year from the floor's sequence, in the order they were issued."""
        by_year: dict[int, list[PetitionNotice]] = defaultdict(list)
        for notice in sorted(self.notices, key=lambda n: n.issued_on):
            by_year[notice.issued_on.year].append(notice)
        for year, notices in sorted(by_year.items()):
            DocumentNumberSequence.objects.get_or_create(township=self.township, code=self.code, year=year)
            sequence = DocumentNumberSequence.objects.select_for_update().get(township=self.township, code=self.code,
                                                                              year=year)
            first = sequence.last_number + 1
            sequence.last_number += len(notices)
            sequence.save(update_fields=["last_number"])
            for offset, notice in enumerate(notices):
                notice.scale_number = first + offset
        for event, notice in self.notice_events:
            event.title = str(record(_l("出具%(kind)s（%(number)s）"), {
                "kind": self.notice_label[notice.kind], "number": self._reference(notice)}))[:300]

    def _reference(self, notice) -> str:
        return f"{self.code}〔{notice.issued_on.year}〕{notice.scale_number}号"

    def _document_numbers(self) -> None:
        content_type = ContentType.objects.get_for_model(PetitionNotice)
        self.plan.bulk(DocumentNumber, [DocumentNumber(
            township=self.township, code=self.code, year=n.issued_on.year, number=n.scale_number,
            kind=f"petitions.{n.kind}", content_type=content_type, object_id=n.pk, variant="",
            title=str(record(_l("%(kind)s %(number)s"), {"kind": self.notice_label[n.kind],
                                                               "number": n.petition.registration_number}))[:200],
            issued_at=n.issued_at, issued_by=self.staff) for n in self.notices])
        numbers = DocumentNumber.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        PetitionNotice.objects.filter(petition__township=self.township, number__isnull=True).update(
            number=Subquery(numbers.values("pk")[:1]))

    def _reminders(self) -> None:
        """The reminders ``petitions.reminders.schedule_clock_reminders`` arms for each running duty clock."""
        content_type = ContentType.objects.get_for_model(PetitionClock)
        now, rows = timezone.now(), []
        for clock in self.clocks:
            if clock.state != ClockState.RUNNING or clock.kind not in DUTY_KINDS:
                continue
            wanted = {}
            for n in BEFORE_DAYS:
                day = add_calendar_days(clock.due_on, -n).date
                if day >= self.today:
                    wanted[f"{BEFORE_PREFIX}{n}"] = day
            if clock.due_on >= self.today:
                wanted[DUE_TODAY] = clock.due_on
            wanted[OVERDUE] = max(add_calendar_days(clock.due_on, 1).date, self.today)
            rows += [Reminder(content_type=content_type, object_id=clock.pk, kind=kind, due_at=at_reminder_time(day),
                              created_at=now) for kind, day in wanted.items()]
        self.plan.bulk(Reminder, rows)

    # --- generating --------------------------------------------------------------------------------------
    def _year(self, year: int) -> None:
        rng = self.rng
        start, end = self.plan.year_span(year)
        specs = []
        for _ in range(self.plan.yearly("petitions")):
            channel = _weighted(rng, CHANNELS)
            if channel == Channel.DEPUTY and not self.deputies:
                channel = Channel.VISIT
            received, day = self.plan.random_day(rng, start, end), None
            if channel == Channel.VISIT and rng.random() < 0.6:
                found = bisect.bisect_right(self.held_dates, received) - 1
                if found >= 0 and self.held_dates[found].year == year and (received - self.held_dates[found]).days < 14:
                    day = self.held[found]
                    received = day.date
            specs.append((received, channel, day))
        specs.sort(key=lambda spec: spec[0])
        first = self._reserve(year, len(specs))
        for offset, (received, channel, day) in enumerate(specs):
            self._case(year, first + offset, received, channel, day)

    def _at(self, day: dt.date) -> dt.datetime:
        """09:00 on ``day``, a few minutes later for each step of the case (the timeline keeps its order)."""
        self.tick += 1
        if day not in self._mornings:
            self._mornings[day] = self.plan.at(day, 9)
        return self._mornings[day] + dt.timedelta(minutes=7 * self.tick)

    def _event(self, p, day, *, event: str, title, by=STAFF, kind=EventKind.STEP, note="", source="",
               to="") -> PetitionEvent:
        entry = PetitionEvent(petition=p, kind=kind, event=str(event)[:40], title=str(title)[:300], note=note,
                              from_status=source, to_status=to,
                              by_id=self.staff.pk if by is STAFF else getattr(by, "pk", None), at=self._at(day))
        self.events.append(entry)
        return entry

    def _move(self, p, day, action: Action, *, title=None, note="", by=STAFF) -> None:
        source = p.status
        p.status = lifecycle.transition(source, action).to
        self._event(p, day, event=action, title=title or self.action_label[action], note=note, source=source, to=p.status,
                    by=by)
        p.updated_at = self._at(day)

    def _clock(self, p, kind, start: dt.date, start_event: str, *, amount=None, notice=None) -> PetitionClock:
        unit, amount, due, counted = self.math.due(self.township, kind, start, amount)
        clock = PetitionClock(petition=p, kind=kind, round=1, legal_basis=self.math.basis[kind], unit=unit,
                              amount=amount, start_event=start_event[:100], started_on=start, due_on=due,
                              counted=counted, started_by_notice=notice, state=ClockState.RUNNING)
        self.case_clocks.append(clock)
        return clock

    @staticmethod
    def _stop(clock, on: dt.date, stop_event: str, *, notice=None, state=None) -> None:
        clock.stopped_on, clock.stop_event, clock.stopped_by_notice = on, stop_event[:100], notice
        clock.state = state or (ClockState.MET if on <= clock.due_on else ClockState.MISSED)

    def _notice(self, p, kind: NoticeKind, day: dt.date, *, transfer=None, extension_days=None, reason="",
                approved_by="", text="", public_text="") -> PetitionNotice:
        standard = str(default_body(p, kind, extension_days=extension_days, reason=reason))
        body, public_body = (f"{standard}\n{text}", f"{standard}\n{public_text}") if text else (standard, standard)
        notice = PetitionNotice(petition=p, kind=kind, issued_on=day, issued_at=self._at(day), issued_by=self.staff,
                                addressee=_addressee(p, kind, transfer), body=body, public_body=public_body,
                                transfer=transfer, extension_days=extension_days, reason=reason,
                                approved_by=approved_by)
        self.notices.append(notice)
        event = self._event(p, day, event=f"notice_{kind}", title="", kind=EventKind.NOTICE)
        self.notice_events.append((event, notice))
        return notice

    def _person(self, p, year: int) -> None:
        rng = self.rng
        if self.people and p.channel != Channel.ONLINE and rng.random() < 0.05:
            origin = rng.choice(self.people[-300:])
            p.repeat_of = origin
            p.name, p.mobile, p.id_number, p.address = origin.name, origin.mobile, origin.id_number, origin.address
            p.village = origin.village
        elif p.channel in (Channel.LETTER, Channel.MAILBOX) and rng.random() < 0.2:
            p.anonymous = True
        else:
            p.name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            p.mobile = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
            p.id_number = _id_number(rng, year) if rng.random() < 0.35 else ""
            p.address = f"{p.village}{rng.randint(1, 9)}组"
        p.mobile_digest, p.id_number_digest = mobile_digest(p.mobile), id_number_digest(p.id_number)

    def _case(self, year: int, number: int, received: dt.date, channel: str, day) -> None:
        rng = self.rng
        self.case_clocks: list[PetitionClock] = []
        self.tick = 0
        category_name, subject, content = rng.choice(MATTERS)
        village = rng.choice(VILLAGES)
        code = new_query_code()
        p = Petition(township=self.township, year=year, number=number, channel=channel, received_on=received,
                     reception_day=day, village=village, subject=subject.format(v=village), content=content,
                     category=self.categories.get(category_name), status=S.REGISTERED,
                     urgency=Urgency.URGENT if rng.random() < 0.08 else Urgency.NORMAL,
                     query_code=code, query_code_digest=query_code_digest(code),
                     created_by=None if channel == Channel.ONLINE else self.staff)
        p.created_at = self.plan.at(received, 9)
        if channel == Channel.REFERRED:
            p.referral_body = rng.choice(REFERRAL_BODIES)
            p.referral_number = f"{p.referral_body[:1]}信转〔{year}〕{rng.randint(1, 300)}号"
        if channel == Channel.DEPUTY:
            p.raised_by_deputy = rng.choice(self.deputies)
        self._person(p, year)
        collective = channel == Channel.VISIT and not p.anonymous and rng.random() < 0.06
        if collective:
            p.people_count, p.is_collective = rng.randint(5, 30), True
            for position in range(1, rng.randint(1, 5) + 1):
                self.representatives.append(PetitionRepresentative(
                    petition=p, position=position, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    mobile=normalize_mobile(f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}")))
        elif channel == Channel.VISIT and rng.random() < 0.1:
            p.people_count = rng.randint(2, 4)
        if rng.random() < 0.03:
            p.key_supervision, p.supervising_leader = True, rng.choice(LEADERS)
        (self.repeats if p.repeat_of is not None else self.originals).append(p)
        if p.repeat_of is None and p.mobile:
            self.people.append(p)
        self._event(p, received, event="register", by=p.created_by, to=S.REGISTERED,
                    title=record(_l("登记（%(channel)s），登记号%(number)s"), {
                        "channel": self.channel_label[channel], "number": p.registration_number}))
        p.updated_at = p.created_at
        # One case in twenty is neglected; of those received three to six weeks ago, one in two — so the lists
        # have cases past their limit today whatever day the data is built on.
        recent = 20 <= (self.today - received).days <= 40
        self._handle(p, received, neglect=rng.random() < (0.5 if recent else 0.05))
        running = [c.due_on for c in self.case_clocks if c.state == ClockState.RUNNING and c.kind in DUTY_KINDS]
        p.next_due_on = min(running) if running else None
        self.clocks += self.case_clocks

    def _late(self, neglect: bool, low: int, high: int) -> int:
        return self.rng.randint(low, high) if neglect else 0

    def _handle(self, p, received: dt.date, *, neglect: bool) -> None:
        rng, today = self.rng, self.today
        if p.channel in (Channel.VISIT, Channel.PHONE) and not p.is_collective and rng.random() < 0.3:
            p.on_spot_answer = rng.choice(ANSWERS_ON_SPOT)
            self._move(p, received, Action.ANSWER_ON_SPOT)
            self._maybe_close(p, received + dt.timedelta(days=rng.randint(1, 6)), chance=0.6)
            return
        acceptance = self._clock(p, ClockKind.ACCEPTANCE, received, str(record(
            _l("收到信访事项（%(channel)s）"), {"channel": self.channel_label[p.channel]})))
        decided = received + dt.timedelta(days=rng.randint(0, 12) + self._late(neglect, 10, 50))
        if decided > today:
            return
        if rng.random() < 0.08:
            reason = rng.choice(REJECT_REASONS)
            self._move(p, decided, Action.REJECT, note=reason)
            p.rejection_reason = reason
            notice = self._notice(p, NoticeKind.NON_ACCEPTANCE, decided, reason=reason)
            self._stop(acceptance, decided, self.notice_label[NoticeKind.NON_ACCEPTANCE], notice=notice)
            self._maybe_close(p, decided + dt.timedelta(days=rng.randint(1, 10)), chance=0.6)
            return
        self._move(p, decided, Action.ACCEPT)
        p.accepted_on = decided
        notice = self._notice(p, NoticeKind.ACCEPTANCE, decided)
        self._stop(acceptance, decided, self.notice_label[NoticeKind.ACCEPTANCE], notice=notice)
        handling = self._clock(p, ClockKind.COMPLETION, decided, self.notice_label[NoticeKind.ACCEPTANCE], notice=notice)
        if self.units and rng.random() < 0.8:
            answered = self._transferred(p, decided, handling, neglect=neglect)
        else:
            answered = decided + dt.timedelta(days=rng.randint(10, 50) + self._late(neglect, 30, 90))
        if answered is None or answered > today:
            return
        self._answer(p, answered)

    def _current_handling(self, p, handling):
        extension = next((c for c in self.case_clocks if c.kind == ClockKind.EXTENSION), None)
        return extension or handling

    def _transferred(self, p, decided: dt.date, handling, *, neglect: bool) -> dt.date | None:
        """转办 (perhaps 改办 once), perhaps 延期, and the unit's reply; the day of the written answer, or None."""
        rng, today = self.rng, self.today
        on = decided + dt.timedelta(days=rng.randint(0, 3) + self._late(neglect, 5, 20))
        if on > today:
            return None
        transfer = self._transfer(p, on, handling)
        if len(self.units) > 1 and rng.random() < 0.05:
            again = on + dt.timedelta(days=rng.randint(2, 8))
            if again > today:
                return None
            transfer.cancelled_at = self._at(again)
            transfer = self._transfer(p, again, handling, avoid=transfer.unit)
            on = again
        replied = on + dt.timedelta(days=rng.randint(10, 45) + self._late(neglect, 30, 90))
        if rng.random() < 0.1:
            # 延期 while the unit works on it: the reply comes after the extension notice.
            asked = max(on, handling.started_on + dt.timedelta(days=rng.randint(35, 58)))
            if asked <= min(today, handling.due_on):
                self._extend(p, asked, rng.randint(10, clock_days(ClockKind.EXTENSION)), handling)
                replied = max(replied, asked + dt.timedelta(days=rng.randint(3, 20)))
        if replied > today:
            return None
        liaison = self.built.liaisons.get(transfer.unit_id or transfer.unit.pk)
        transfer.reply, transfer.reply_public = UNIT_REPLY
        transfer.replied_at, transfer.replied_by = self._at(replied), liaison or self.staff
        self._event(p, replied, event="unit_reply", by=transfer.replied_by,
                    title=record(_l("%(unit)s回复办理情况"), {"unit": transfer.unit.name}))
        return replied + dt.timedelta(days=rng.randint(1, 8))

    def _transfer(self, p, on: dt.date, handling, *, avoid=None) -> PetitionTransfer:
        rng = self.rng
        unit = rng.choice([u for u in self.units if u != avoid])
        liaison = self.built.liaisons.get(unit.pk)
        limit = max(self._current_handling(p, handling).due_on, on)
        transfer = PetitionTransfer(petition=p, unit=unit, owner_name=(unit.responsible_leader or "办公室主任")[:50],
                                    owner_user=liaison if liaison is not None and rng.random() < 0.5 else None,
                                    due_on=limit, transferred_at=self._at(on), transferred_by=self.staff)
        self.transfers.append(transfer)
        self._move(p, on, Action.TRANSFER, title=record(_l("转办%(unit)s"), {"unit": unit.name}))
        p.current_unit = unit
        self._notice(p, NoticeKind.TRANSFER, on, transfer=transfer)
        return transfer

    def _extend(self, p, on: dt.date, days: int, completion) -> None:
        reason, who = "涉及多个部门，需进一步调查核实。", self.rng.choice(LEADERS)
        self._event(p, on, event="extend", note=reason, title=record(_l("延长办理期限 %(days)s 日（批准人：%(who)s）"), {
            "days": days, "who": who}))
        notice = self._notice(p, NoticeKind.EXTENSION, on, extension_days=days, reason=reason, approved_by=who)
        label = str(_l("延期告知书"))
        self._stop(completion, max(on, completion.started_on), label, notice=notice, state=ClockState.EXTENDED)
        self._clock(p, ClockKind.EXTENSION, completion.due_on, label, amount=days, notice=notice)

    def _answer(self, p, on: dt.date) -> None:
        """书面答复, then a review or the return visit and 息访."""
        rng, today = self.rng, self.today
        findings = rng.choice([Findings.TRUE, Findings.TRUE, Findings.PARTLY, Findings.FALSE])
        self._move(p, on, Action.REPLY)
        p.findings, p.request_reasonable = findings, findings != Findings.FALSE
        p.resolution = rng.choice([Resolution.SOLVED, Resolution.SOLVED, Resolution.EXPLAINED, Resolution.ASSISTED,
                                   Resolution.LEGAL])
        p.replied_on, p.current_unit = on, None
        notice = self._notice(p, NoticeKind.ANSWER, on, text=ANSWER_TEXT[findings != Findings.FALSE],
                              public_text=ANSWER_PUBLIC)
        for clock in self.case_clocks:
            if clock.kind in (ClockKind.COMPLETION, ClockKind.EXTENSION) and clock.state == ClockState.RUNNING:
                self._stop(clock, on, self.notice_label[NoticeKind.ANSWER], notice=notice)
        window = self._clock(p, ClockKind.REVIEW_REQUEST, on, self.notice_label[NoticeKind.ANSWER], notice=notice)
        last = on
        if rng.random() < 0.07:
            last = self._review(p, on, window, ReviewLevel.REVIEW)
            if last is None:
                return
            if rng.random() < 0.3:
                re_window = next(c for c in self.case_clocks if c.kind == ClockKind.RE_REVIEW_REQUEST)
                last = self._review(p, last, re_window, ReviewLevel.RE_REVIEW)
                if last is None:
                    return
        visited = last + dt.timedelta(days=rng.randint(3, 10))
        if visited > today:
            return
        if rng.random() < 0.9:
            self._close(p, visited)
        result = _weighted(rng, [(FeedbackResult.SATISFIED, 60), (FeedbackResult.BASICALLY, 28),
                                 (FeedbackResult.UNSATISFIED, 8), (FeedbackResult.NONE, 4)])
        visit = ReturnVisit(petition=p, visited_on=visited, method=ReturnVisitMethod.PHONE, result=result,
                            note=VISIT_NOTE, by=self.staff, created_at=self._at(visited))
        self.visits.append(visit)
        p.feedback = result
        self._event(p, visited, event="return_visit", kind=EventKind.RETURN_VISIT, note=VISIT_NOTE,
                    title=record(_l("回访（%(method)s）：%(result)s"), {
                        "method": ReturnVisitMethod.PHONE.label, "result": FeedbackResult(result).label}))
        if p.channel == Channel.REFERRED and p.status == S.CLOSED:
            p.result_reported_on, p.result_report = visited, REFERRAL_REPORT
            self._event(p, visited, event="referral_result", kind=EventKind.REFERRAL,
                        title=record(_l("向%(body)s报送办理结果"), {"body": p.referral_body}))

    def _review(self, p, after: dt.date, window, level: ReviewLevel) -> dt.date | None:
        """A review (or re-review) asked within the window and decided within its 30 days; the decision day."""
        rng, today = self.rng, self.today
        asked = after + dt.timedelta(days=rng.randint(3, 25))
        if asked > today or asked > window.due_on:
            return None
        re = level == ReviewLevel.RE_REVIEW
        request, decide = ((Action.REQUEST_RE_REVIEW, Action.DECIDE_RE_REVIEW) if re
                           else (Action.REQUEST_REVIEW, Action.DECIDE_REVIEW))
        online = rng.random() < 0.3
        review = PetitionReview(petition=p, level=level, requested_on=asked,
                                request_channel=Channel.ONLINE if online else Channel.VISIT,
                                reason=rng.choice(RE_REVIEW_REASONS if re else REVIEW_REASONS),
                                requested_by=None if online else self.staff, created_at=self._at(asked))
        self.reviews.append(review)
        self._move(p, asked, request, note=review.reason, by=review.requested_by)
        self._stop(window, asked, self.action_label[request])
        clock = self._clock(p, ClockKind.RE_REVIEW if re else ClockKind.REVIEW, asked, self.action_label[request])
        decided = asked + dt.timedelta(days=rng.randint(7, 28))
        if decided > today:
            return None
        decision = ReviewDecision.UPHELD if rng.random() < 0.75 else ReviewDecision.CHANGED
        review.decided_on, review.decision, review.decision_text = decided, decision, DECISION_TEXT
        review.decided_by = self.staff
        self._move(p, decided, decide, title=record(_l("%(action)s：%(decision)s"), {
            "action": decide.label, "decision": decision.label}))
        kind = NoticeKind.RE_REVIEW if re else NoticeKind.REVIEW
        notice = self._notice(p, kind, decided, text=DECISION_TEXT, public_text=DECISION_PUBLIC)
        self._stop(clock, decided, self.notice_label[kind], notice=notice)
        if not re:
            self._clock(p, ClockKind.RE_REVIEW_REQUEST, decided, self.notice_label[kind], notice=notice)
        return decided

    def _maybe_close(self, p, on: dt.date, *, chance: float) -> None:
        if on <= self.today and self.rng.random() < chance:
            self._close(p, on)

    def _close(self, p, on: dt.date) -> None:
        self._move(p, on, Action.CLOSE, note=CLOSE_NOTE)
        p.closed_at, p.close_note = self._at(on), CLOSE_NOTE
