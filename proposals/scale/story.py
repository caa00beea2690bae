"""One item's story, from draft to where its stage leaves it, as the services would have written it.

Each step sets what its service sets (times, people, the denormalised facts of the handling), adds the
child rows it creates (co-signatures, co-units, consultations, replies, ratings, extensions, hand-backs,
supervision) and the timeline rows the detail page shows, with the services' own wording. Dates move
forward only; none is later than today (a step that would be is pulled back to today, keeping the order).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random

from presidium.demo import LEADERS
from presidium.records import as_stored
from proposals.choices import (
    Action,
    AgendaDecision,
    ConsultationForm,
    ConsultationStage,
    DeadlineChoice,
    ExtensionStatus,
    HandBackStatus,
    RaisedDuring,
    ResultClass,
    Satisfaction,
    SuggestionKind,
    SuggestionStatus,
    SupervisionKind,
    SupervisionMode,
)
from proposals.demo import HAND_BACK_REASONS, REPLIES, TITLES
from proposals.models import (
    Consultation,
    Cosignature,
    CoUnit,
    Extension,
    HandBackRequest,
    Rating,
    Reply,
    Suggestion,
    SuggestionLog,
    SupervisionAction,
)
from proposals.services import deadlines
from proposals.services.handling import overall_of

S = SuggestionStatus


@functools.cache
def stored(choice) -> str:
    """A choice's label as stored text (the portal's language), once per choice."""
    return as_stored(choice.label)

# (stage, weight): where the items of a year stand. Old years are almost all finished; this year is mixed.
PAST = [("closed", 82), ("closed_with_reason", 4), ("rated", 4), ("withdrawn", 3), ("replied", 2),
        ("in_handling", 1), ("rehandling", 1), ("not_on_agenda", 0)]
CURRENT = [("draft", 5), ("submitted", 7), ("registered", 6), ("assigned", 9), ("in_handling", 16),
           ("replied", 11), ("rated", 8), ("rehandling", 4), ("closed", 25), ("closed_with_reason", 2),
           ("withdrawn", 3), ("hand_back_pending", 1), ("on_agenda", 0), ("not_on_agenda", 0)]
# Motions: some are not placed on the agenda; this year, some wait for the session.
MOTION_EXTRA = {"not_on_agenda": 25, "on_agenda": 6}
OVERDUE_SHARE = 0.3  # of this year's assigned / in-handling items
OPEN_STAGES = frozenset({"assigned", "in_handling", "rehandling"})
RECENT_STAGES = frozenset({"draft", "submitted", "registered", "on_agenda", "hand_back_pending"})
_counter = itertools.count()


def pick_stage(rng: random.Random, *, kind: str, current: bool) -> tuple[str, bool]:
    table = CURRENT if current else PAST
    weights = [w + (MOTION_EXTRA.get(stage, 0) if kind == SuggestionKind.MOTION else 0) for stage, w in table]
    if kind == SuggestionKind.MOTION:
        weights = [0 if stage == "hand_back_pending" else w for (stage, _w), w in zip(table, weights, strict=True)]
    if not current and kind == SuggestionKind.MOTION:
        weights = [w if stage != "on_agenda" else 0 for (stage, _w), w in zip(table, weights, strict=True)]
    stage = rng.choices([stage for stage, _w in table], weights=weights)[0]
    return stage, current and stage in ("assigned", "in_handling") and rng.random() < OVERDUE_SHARE


class Story:
    def __init__(self, builder, *, year: int, kind: str, stage: str, overdue: bool) -> None:
        self.b = builder
        self.rng = builder.rng
        self.year = year
        self.kind = kind
        self.stage = stage
        self.overdue = overdue
        self.index = next(_counter)
        self.replies: list[Reply] = []
        self.consulted_this_round = False
        self.serial_log: SuggestionLog | None = None
        self.day = self._first_day()
        self.last_at = None

    # --- time ---------------------------------------------------------------------------------------

    def _first_day(self) -> dt.date:
        rng, today = self.rng, self.b.today
        start, end = self.b.plan.year_span(self.year)
        if self.year < today.year:
            day = self.b.plan.random_day(rng, start, end)
        elif self.stage in RECENT_STAGES:
            day = today - dt.timedelta(days=rng.randint(2, 30) if self.stage != "hand_back_pending" else 6)
        elif self.stage in OPEN_STAGES:
            day = today - dt.timedelta(days=rng.randint(110, 220) if self.overdue else rng.randint(8, 45))
            if self.stage == "rehandling":
                day = today - dt.timedelta(days=rng.randint(60, 130))
        elif self.stage == "replied":  # waiting for the deputy's rating: replied in the last weeks
            day = today - dt.timedelta(days=rng.randint(50, 110))
        else:  # finished this year: its steps (about 80 days end to end) fit before today
            day = self.b.plan.random_day(rng, start, end - dt.timedelta(days=120))
        return max(start, min(day, today))

    def after(self, low: int, high: int) -> dt.date:
        """The next step's day: ``low``–``high`` days later, never after today."""
        self.day = min(self.day + dt.timedelta(days=self.rng.randint(low, high)), self.b.today)
        return self.day

    def at(self, hour: int, minute: int = 0) -> dt.datetime:
        at = self.b.when(self.day, hour, minute)
        if self.last_at is not None and at < self.last_at:
            at = self.last_at
        self.last_at = at
        return at

    # --- rows ---------------------------------------------------------------------------------------

    def log(self, event: str, title: str, at: dt.datetime, by, *, note: str = "", source: str = "",
            to: str = "") -> SuggestionLog:
        self.suggestion.last_activity_at = at
        return self.b.add(SuggestionLog(suggestion=self.suggestion, event=str(event)[:40], title=title[:300], note=note,
                                        from_status=source, to_status=to, by_id=getattr(by, "pk", by), at=at))

    def move(self, action: Action, to: str, at: dt.datetime, by, *, title: str = "", note: str = "") -> None:
        source = self.suggestion.status
        self.suggestion.status = to
        self.log(action, title or stored(Action(action)), at, by, note=note, source=source, to=to)

    def liaison(self, unit):
        return self.b.built.liaisons.get(unit.pk) or self.b.staff

    def deputy_user(self):
        lead = self.suggestion.lead_deputy
        return lead.user_id if lead is not None and lead.user_id else self.b.staff.pk

    # --- the story ------------------------------------------------------------------------------------

    def tell(self) -> None:
        b, rng, stage = self.b, self.rng, self.stage
        self._draft()
        if stage == "draft":
            return self._finish()
        self._submit()
        if stage == "withdrawn":
            self.after(1, 6)
            self.move(Action.WITHDRAW, S.WITHDRAWN, self.at(11), self.deputy_user(), note="代表已另行反映")
            return self._finish()
        if stage == "submitted":
            return self._finish()
        self._register()
        if stage == "registered":
            return self._finish()
        if self.kind == SuggestionKind.MOTION:
            self._agenda(placed=stage != "not_on_agenda")
            if stage in ("not_on_agenda", "on_agenda"):
                return self._finish()
        if stage == "hand_back_pending":
            self.day = max(self.day, b.today - dt.timedelta(days=1))
        else:
            self.after(2, 10)
        unit = rng.choice(b.units)
        self._assign(unit, first=True)
        if stage == "hand_back_pending":
            return self._hand_back(pending=True)
        roll = rng.random()
        if roll < 0.04:
            self._hand_back(approved=True)
        elif roll < 0.06:
            self._hand_back(approved=False)
        self._co_units()
        if stage == "assigned":
            return self._finish()
        self.after(3, 20)
        self._consult(ConsultationStage.AFTER_ASSIGNMENT, first=True)
        self._co_opinions()
        if rng.random() < 0.08:
            self._extension(pending=stage == "in_handling" and self.year == b.today.year and rng.random() < 0.3)
        if rng.random() < 0.5:
            self.after(5, 25)
            self._consult(ConsultationStage.DURING_HANDLING)
        self._supervise()
        if stage == "in_handling":
            return self._finish()
        self._reply()
        if stage == "replied":
            return self._finish()
        if stage == "closed_with_reason":
            if rng.random() < 0.5:
                self._rate(unsatisfied=True)
            self.after(10, 40)
            self.suggestion.closed_at = at = self.at(17)
            self.suggestion.closed_reason = "经主席团研究，已向代表作充分解释，予以办结"
            self.move(Action.CLOSE_WITH_REASON, S.CLOSED, at, b.staff, note=self.suggestion.closed_reason)
            return self._finish()
        two_rounds = stage == "rehandling" or (stage == "closed" and rng.random() < 0.06)
        if two_rounds:
            self._rate(unsatisfied=True)
            if stage == "rehandling":
                if rng.random() < 0.5:
                    self.after(3, 15)
                    self._consult(ConsultationStage.AFTER_ASSIGNMENT)
                return self._finish()
            self.after(3, 15)
            self._consult(ConsultationStage.BEFORE_REPLY)
            self._reply()
        self._rate(unsatisfied=False)
        if stage == "rated":
            return self._finish()
        self.after(1, 10)
        self.suggestion.closed_at = at = self.at(17)
        self.move(Action.CLOSE, S.CLOSED, at, b.staff)
        return self._finish()

    def _draft(self) -> None:
        b, rng = self.b, self.rng
        motion = self.kind == SuggestionKind.MOTION
        lead = rng.choice(b.signers if motion else b.deputies)
        title, content = rng.choice(TITLES)
        title = title.format(v=rng.choice(b.villages))
        if motion:
            title = title.replace("的建议", "的议案")
        session, session_name = None, ""
        raised = RaisedDuring.SESSION if motion or rng.random() < 0.3 else RaisedDuring.RECESS
        if raised == RaisedDuring.SESSION:
            session, session_name = b.session_for(self.year)
        created = self.at(9)
        entered_by = lead.user_id or b.staff.pk
        self.suggestion = Suggestion(
            township=b.township, kind=self.kind, raised_during=raised, session=session, session_name=session_name,
            title=title, content=content, measures="建议有关部门统筹资金、明确责任、限期解决。",
            category=rng.choice(b.categories), lead_deputy=lead, status=S.DRAFT, entered_by_id=entered_by,
            created_at=created, updated_at=created)
        b.add(self.suggestion)
        self.log("create", "创建草稿" if lead.user_id else "代领衔代表录入草稿", created, entered_by)
        pool = [d for d in (b.signers if motion else b.deputies) if d.pk != lead.pk]
        count = rng.randint(5, 7) if motion else rng.choice([0, 0, 1, 1, 2, 3])
        self.cosignatures = [b.add(Cosignature(suggestion=self.suggestion, deputy=d, invited_at=created))
                             for d in rng.sample(pool, min(count, len(pool)))]

    def _submit(self) -> None:
        self.after(0, 2)
        self.suggestion.submitted_at = at = self.at(9, 30)
        self.move(Action.SUBMIT, S.SUBMITTED, at, self.suggestion.entered_by_id)

    def _register(self) -> None:
        b = self.b
        for cosignature in self.cosignatures:
            cosignature.confirmed_at = self.at(10)
            cosignature.confirmed_by_id = cosignature.deputy.user_id or b.staff.pk
            self.log("cosign_confirm", f"{cosignature.deputy.name} 确认联名", cosignature.confirmed_at,
                     cosignature.confirmed_by_id)
        self.after(1, 7)
        s = self.suggestion
        s.registered_at = at = self.at(11)
        s.registered_by = b.staff
        self.move(Action.REGISTER, S.REGISTERED, at, b.staff)
        self.serial_log = self.log("serial", "", at, b.staff)  # the title once the number is known

    def number(self, year: int, number: int) -> None:
        self.suggestion.serial_year, self.suggestion.serial_number = year, number
        self.serial_log.title = f"编号 {self.suggestion.serial}"

    def _agenda(self, *, placed: bool) -> None:
        self.after(1, 10)
        s = self.suggestion
        s.agenda_decided_at = at = self.at(14)
        if placed:
            s.agenda_decision = AgendaDecision.PLACED
            self.move(Action.PLACE_ON_AGENDA, S.ON_AGENDA, at, self.b.staff)
        else:
            s.agenda_decision = AgendaDecision.NOT_PLACED
            s.agenda_reason = "条件尚不成熟，作为建议交政府研究"
            self.move(Action.REFUSE_AGENDA, S.NOT_ON_AGENDA, at, self.b.staff, note=s.agenda_reason)

    def _set_deadline(self, start: dt.date, amount: int, unit: str, choice: str = "") -> None:
        """What ``deadlines.apply_rule`` sets, from the cached calendar computation."""
        s = self.suggestion
        deadline = self.b.deadline(start, amount, unit)
        s.deadline_start, s.deadline_amount, s.deadline_unit = start, amount, unit
        if choice:
            s.deadline_choice = choice
        s.deadline, s.deadline_provisional = deadline.date, deadline.provisional

    def _assign(self, unit, *, first: bool, title: str = "", note: str = "", hand_back=None) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        roll = rng.random()
        choice = DeadlineChoice.NORMAL if roll < 0.85 else DeadlineChoice.HARD if roll < 0.95 \
            else DeadlineChoice.WORKING_DAYS
        amount, rule = deadlines.deadline_rule(b.township, choice, 20)
        s.assigned_at = at = self.at(15)
        self._set_deadline(self.day, amount, rule, choice)
        s.lead_unit = unit
        s.responsible_leader = unit.responsible_leader
        if first:
            s.is_key = rng.random() < 0.05
            s.leading_leader = rng.choice(LEADERS) if s.is_key else ""
            s.supervision_mode = SupervisionMode.ON_SITE if s.is_key else rng.choice(
                [SupervisionMode.ROUTINE, SupervisionMode.ROUTINE, SupervisionMode.FOLLOW_UP,
                 SupervisionMode.RETURN_VISIT])
            s.is_public = rng.random() < 0.4
        s.assigned_by = b.staff
        s.assignment_note = note
        self.unit = unit
        self.consulted_this_round = False
        s.accepted_at = s.first_consulted_at = s.last_consulted_at = None
        if first:
            self.move(Action.ASSIGN, S.ASSIGNED, at, b.staff, title=f"交办给 {unit.name}")
        else:
            self.move(Action.REASSIGN, S.ASSIGNED, at, b.staff, title=title, note=note)

    def _hand_back(self, *, pending: bool = False, approved: bool = False) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        old = self.unit
        suggested = rng.choice([u for u in b.units if u.pk != old.pk])
        reason = rng.choice(HAND_BACK_REASONS).format(unit=suggested.name)
        if not pending:
            self.after(1, 3)
        liaison = self.liaison(old)
        request = b.add(HandBackRequest(suggestion=s, unit=old, reason=reason, suggested_unit=suggested,
                                        requested_by=liaison, requested_at=self.at(10)))
        self.move(Action.REQUEST_HAND_BACK, S.ASSIGNED, request.requested_at, liaison,
                  title=f"{old.name}申请退办（建议改交 {suggested.name}）", note=reason)
        if pending:
            return self._finish()
        self.after(1, 3)
        request.decided_by = b.staff
        request.decided_at = self.at(14)
        if approved:
            request.status = HandBackStatus.APPROVED
            request.new_unit = suggested
            request.decision_note = f"经核实，改交{suggested.name}主办。"
            self._assign(suggested, first=False, title=f"同意{old.name}退办，改交 {suggested.name} 办理",
                         note=request.decision_note)
        else:
            request.status = HandBackStatus.REFUSED
            request.decision_note = "经核实，该事项属于贵单位职责范围，请按期办理。"
            self.log("hand_back_refused", f"不同意{old.name}退办，仍由其办理", request.decided_at, b.staff,
                     note=request.decision_note)

    def _co_units(self) -> None:
        if self.rng.random() >= 0.25:
            self.co_units = []
            return
        others = [u for u in self.b.units if u.pk != self.unit.pk]
        self.co_units = [self.b.add(CoUnit(suggestion=self.suggestion, unit=u))
                         for u in self.rng.sample(others, self.rng.randint(1, 2))]

    def _co_opinions(self) -> None:
        for link in self.co_units:
            if self.rng.random() < 0.8:
                link.opinion = f"{link.unit.name}将积极配合主办单位，在职责范围内提供支持。"
                link.opinion_at = self.at(16)
                link.opinion_by = self.liaison(link.unit)
                self.log("co_opinion", f"协办单位 {link.unit.name} 提交协办意见", link.opinion_at, link.opinion_by)

    def _consult(self, stage: str, *, first: bool = False) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        liaison = self.liaison(self.unit)
        form = rng.choice([ConsultationForm.FACE_TO_FACE, ConsultationForm.FACE_TO_FACE, ConsultationForm.PHONE,
                           ConsultationForm.ON_SITE])
        at = self.at(10)
        b.add(Consultation(suggestion=s, unit=self.unit, round=s.round, stage=stage, form=form, held_on=self.day,
                           participants=f"{s.lead_deputy.name}、{self.unit.name}负责人",
                           summary="听取代表意见，商量办理办法。", recorded_by=liaison, recorded_at=at))
        if s.status == S.ASSIGNED:
            s.accepted_at = s.accepted_at or at
            self.move(Action.ACCEPT, S.IN_HANDLING, at, liaison, title="面商后开始办理")
        s.first_consulted_at = s.first_consulted_at or at
        s.last_consulted_at = at
        self.consulted_this_round = True
        self.log("consult", f"{stored(ConsultationStage(stage))}{stored(ConsultationForm(form))}面商", at, liaison,
                 note="听取代表意见，商量办理办法。")

    def _extension(self, *, pending: bool) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        self.after(2, 10)
        liaison = self.liaison(self.unit)
        requested = s.deadline + dt.timedelta(days=rng.randint(30, 60))
        extension = b.add(Extension(suggestion=s, unit=self.unit, reason="涉及项目审批，需协调上级资金。",
                                    measures="已完成前期勘察，资金到位后立即实施。", requested_deadline=requested,
                                    previous_deadline=s.deadline, requested_by=liaison, requested_at=self.at(10)))
        self.log("extension_request", f"申请延期至 {requested}", extension.requested_at, liaison,
                 note=extension.reason)
        if pending:
            return
        self.after(1, 3)
        extension.decided_by = b.staff
        extension.decided_at = self.at(14)
        if rng.random() < 0.75:
            extension.status = ExtensionStatus.APPROVED
            s.deadline, s.deadline_amount, s.deadline_unit, s.deadline_provisional = requested, None, "", False
            title = f"同意延期至 {requested}"
        else:
            extension.status = ExtensionStatus.REFUSED
            extension.decision_note = "理由不充分，请按原期限办理。"
            title = f"不同意延期（仍按 {extension.previous_deadline}）"
        self.log("extension_decided", title, extension.decided_at, b.staff, note=extension.decision_note)

    def _supervise(self) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        overdue = s.deadline is not None and s.deadline < b.today and self.stage in OPEN_STAGES
        if not (s.is_key or overdue or rng.random() < 0.08):
            return
        kind = SupervisionKind.REMINDER if overdue else rng.choice(
            [SupervisionKind.ON_SITE, SupervisionKind.PROGRESS_HEARING, SupervisionKind.REMINDER])
        if overdue:
            self.day = max(self.day, min(s.deadline + dt.timedelta(days=rng.randint(1, 14)), b.today))
        else:
            self.after(1, 10)
        at = self.at(11)
        note = "督促承办单位加快办理进度，按期答复代表。"
        b.add(SupervisionAction(suggestion=s, kind=kind, held_on=self.day, note=note, by=b.staff, created_at=at))
        self.log("supervise", f"督办：{stored(SupervisionKind(kind))}", at, b.staff, note=note)

    def _reply(self) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        if s.round == 1:
            self.after(10, 60)
        else:
            self.after(10, 30)
        liaison = self.liaison(self.unit)
        cls = rng.choice([ResultClass.A, ResultClass.A, ResultClass.A, ResultClass.B, ResultClass.C])
        at = self.at(16)
        promised = self.day + dt.timedelta(days=rng.randint(60, 180)) if cls == ResultClass.B else None
        reply = b.add(Reply(
            suggestion=s, round=s.round, unit=self.unit, text=REPLIES[cls], result_class=cls, promised_date=promised,
            reason="资金和政策限制" if cls == ResultClass.C else "", signed_by=self.unit.responsible_leader,
            deadline_at_reply=s.deadline, on_time=self.day <= s.deadline, submitted_by=liaison, submitted_at=at))
        if promised is not None and promised <= b.today and rng.random() < 0.8:
            reply.promise_kept_on = promised - dt.timedelta(days=rng.randint(0, 20))
            reply.promise_note = "已按承诺完成，代表现场查看认可。"
        self.replies.append(reply)
        self.move(Action.REPLY, S.REPLIED, at, liaison, title=f"第 {s.round} 轮答复（{stored(ResultClass(cls))}）")
        if s.first_replied_at is None:
            s.first_replied_at, s.first_reply_on_time = at, reply.on_time
        s.last_replied_at = at
        s.result_class = cls

    def _rate(self, *, unsatisfied: bool) -> None:
        b, rng, s = self.b, self.rng, self.suggestion
        self.after(3, 15)
        reply = self.replies[-1]
        if unsatisfied:
            work, result, comment = Satisfaction.BASIC, Satisfaction.UNSATISFIED, "问题没有根本解决"
        else:
            work = Satisfaction.SATISFIED if rng.random() < 0.85 else Satisfaction.BASIC
            result = Satisfaction.SATISFIED if rng.random() < 0.7 else Satisfaction.BASIC
            comment = ""
        overall = overall_of(work, result)
        rated_by = self.deputy_user()
        at = self.at(10, 30)
        b.add(Rating(suggestion=s, reply=reply, round=s.round, unit=reply.unit, work_grade=work, result_grade=result,
                     overall=overall, comment=comment, deputy=s.lead_deputy, rated_by_id=rated_by, rated_at=at))
        s.satisfaction = overall
        self.move(Action.RATE_UNSATISFIED if unsatisfied else Action.RATE, S.REHANDLING if unsatisfied else S.RATED,
                  at, rated_by, title=f"代表评价：{stored(Satisfaction(overall))}", note=comment)
        if unsatisfied:
            s.round += 1
            self._set_deadline(self.day, b.settings.rehandling_deadline_months, "months")
            self.consulted_this_round = False

    def _finish(self) -> None:
        s = self.suggestion
        s.updated_at = s.last_activity_at or s.created_at
