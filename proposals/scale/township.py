"""One township's five years of motions and suggestions, built in memory and written in bulk.

The builder holds what every item needs (deputies, units, categories, sessions, the township's
settings), the rows of every model in the order they are written, and the caches of the working-day
calendar: a deadline is computed once per distinct (start, rule) — the same function the services use,
so the dates are the calendar's, not ``timedelta``'s.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from deputies.choices import TOWNSHIP_SEAT_LEVELS, DeputyStatus
from deputies.models import Deputy
from presidium.calendar.services import DeadlineUnit, add_calendar_days, compute_deadline
from presidium.meetings.choices import MeetingKind, MeetingStatus
from presidium.meetings.models import Meeting
from presidium.models.org import chinese_ordinal
from presidium.notifications.choices import ReminderStatus
from presidium.notifications.models import Reminder
from presidium.scale import ScalePlan, ScaleTownship
from proposals.choices import OPEN_HANDLING, OpinionStatus, SuggestionKind
from proposals.models import (
    Category,
    Consultation,
    Cosignature,
    CoUnit,
    Extension,
    HandBackRequest,
    Rating,
    Reply,
    SerialCounter,
    Suggestion,
    SuggestionLog,
    SupervisionAction,
    SupervisionOpinion,
)
from proposals.models.suggestion import DEFAULT_CATEGORIES
from proposals.scale.story import Story, pick_stage
from proposals.selectors import settings_for
from proposals.services import deadlines

# The order rows are written in: a row's foreign keys point only at rows written before it.
MODELS = (Suggestion, Cosignature, CoUnit, Consultation, Reply, Rating, Extension, HandBackRequest,
          SupervisionAction, SuggestionLog, SupervisionOpinion)
MOTION_SHARE = 0.03


class TownshipBuilder:
    def __init__(self, plan: ScalePlan, built: ScaleTownship, *, content_type, county_user,
                 deadlines: dict | None = None) -> None:
        self.plan = plan
        self.built = built
        self.township = built.township
        self.county_id = built.township.county_id
        self.today = plan.today
        self.now = timezone.now()
        self.rng = plan.rng("proposals", built.index)
        self.content_type = content_type
        self.county_user = county_user
        self.staff = built.staff or plan.admin
        self.units = [u for u in built.units if u.is_active]
        self.villages = [u.name for u in self.units if u.name.endswith("村")] or ["东风村"]
        self.deputies = list(Deputy.objects.filter(township=self.township, status=DeputyStatus.SERVING)
                             .only("pk", "name", "user_id", "level", "township_id").order_by("pk"))
        self.signers = [d for d in self.deputies if d.level in TOWNSHIP_SEAT_LEVELS]
        self.settings = settings_for(self.township.pk)
        self.categories = self._categories()
        self.sessions = self._sessions()
        self.rows: dict[type, list] = defaultdict(list)
        self.items: list[Story] = []
        self._deadlines: dict[tuple, object] = deadlines if deadlines is not None else {}

    # --- what the items share ---------------------------------------------------------------------

    def _categories(self) -> list[Category]:
        existing = list(Category.objects.filter(township=self.township, is_active=True).order_by("sort_order", "pk"))
        if existing:
            return existing
        return self.plan.bulk(Category, [Category(township=self.township, name=name, sort_order=order * 10)
                                         for order, name in enumerate(DEFAULT_CATEGORIES, start=1)])

    def _sessions(self) -> dict[int, Meeting]:
        """The township's congress sessions by year (the meetings step may have built them)."""
        found: dict[int, Meeting] = {}
        for meeting in Meeting.objects.filter(township=self.township, kind=MeetingKind.CONGRESS_SESSION).exclude(
                status=MeetingStatus.CANCELLED).order_by("starts_at"):
            found.setdefault(timezone.localdate(meeting.starts_at).year, meeting)
        return found

    def session_for(self, year: int) -> tuple[Meeting | None, str]:
        """The year's session record and name, or a name typed as deputies write it when there is no record."""
        meeting = self.sessions.get(year)
        if meeting is not None:
            return meeting, meeting.title[:100]
        number = max(1, year - self.built.term.start_date.year)
        return None, f"第{chinese_ordinal(self.built.term.ordinal)}届人民代表大会第{chinese_ordinal(number)}次会议"

    def deadline(self, start: dt.date, amount: int, unit: str):
        """The services' deadline for a rule (``deadlines.compute``), once per distinct (start, rule)."""
        key = (self.county_id, start, amount, unit)
        if key not in self._deadlines:
            self._deadlines[key] = deadlines.compute(self.township, start, amount, unit)
        return self._deadlines[key]

    def before(self, deadline: dt.date, n: int) -> dt.date:
        key = (self.county_id, deadline, -n, DeadlineUnit.WORKING_DAYS)
        if key not in self._deadlines:
            self._deadlines[key] = compute_deadline(deadline, -n, DeadlineUnit.WORKING_DAYS, county=self.county_id)
        return self._deadlines[key].date

    def when(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """An aware time on ``day``, never later than now."""
        return min(self.plan.at(day, hour, minute), self.now)

    def add(self, obj) -> object:
        self.rows[type(obj)].append(obj)
        return obj

    # --- building -------------------------------------------------------------------------------------

    def fill(self) -> None:
        if len(self.deputies) < 2 or len(self.units) < 3:
            self.plan.say(f"    proposals · {self.township.name}: too few deputies or units, skipped")
            return
        current = self.today.year
        for year in self.plan.year_list:
            # This year's first motions wait for the session or were not placed: every state is represented.
            waiting = ["on_agenda", "not_on_agenda"] if year == current else []
            for _n in range(self.plan.yearly("suggestions")):
                motion = len(self.signers) >= 6 and (self.rng.random() < MOTION_SHARE or bool(waiting) and _n == 1)
                kind = SuggestionKind.MOTION if motion else SuggestionKind.SUGGESTION
                stage, overdue = pick_stage(self.rng, kind=kind, current=year == current)
                if motion and waiting:
                    stage, overdue = waiting.pop(0), False
                elif year == current and _n == 2:  # and one unit has just asked to hand an item back
                    stage, overdue = "hand_back_pending", False
                story = Story(self, year=year, kind=kind, stage=stage, overdue=overdue)
                story.tell()
                self.items.append(story)
        self._number()
        self._county_opinions()
        for model in MODELS:
            self.plan.bulk(model, self.rows[model])
        self.plan.bulk(Reminder, self._reminders())

    def _number(self) -> None:
        """Serial numbers per (kind, year of registration) from the app's counters: reserve a block, bump them."""
        registered: dict[tuple[str, int], list[Story]] = defaultdict(list)
        for story in self.items:
            s = story.suggestion
            if s.registered_at is not None:
                registered[(s.kind, timezone.localdate(s.registered_at).year)].append(story)
        counters = {(c.kind, c.year): c for c in SerialCounter.objects.select_for_update().filter(
            township=self.township)}
        new = []
        for (kind, year), stories in sorted(registered.items()):
            counter = counters.get((kind, year))
            first = (counter.last_number if counter else 0) + 1
            stories.sort(key=lambda st: (st.suggestion.registered_at, st.index))
            for number, story in enumerate(stories, start=first):
                story.number(year, number)
            last = first + len(stories) - 1
            if counter is None:
                new.append(SerialCounter(township=self.township, kind=kind, year=year, last_number=last))
            else:
                counter.last_number = last
                counter.save(update_fields=["last_number"])
        self.plan.bulk(SerialCounter, new)

    def _county_opinions(self) -> None:
        """A few 督办意见 a year from the county: about an assigned item or about a unit."""
        current = self.today.year
        assigned = defaultdict(list)
        for story in self.items:
            if story.suggestion.assigned_at is not None:
                assigned[timezone.localdate(story.suggestion.assigned_at).year].append(story.suggestion)
        for year in self.plan.year_list:
            for n in range(2 if year < current else 3):
                about_item = n < 2 and assigned.get(year)
                if about_item:
                    suggestion = self.rng.choice(assigned[year])
                    sent_day = min(timezone.localdate(suggestion.assigned_at) + dt.timedelta(self.rng.randint(20, 60)),
                                   self.today)
                    title, unit = f"关于督促办理「{suggestion.title[:40]}」的意见", None
                    content = "该件代表建议群众关注度高，请主席团加强督办，督促承办单位与代表充分面商，按期答复。"
                else:
                    suggestion, unit = None, self.rng.choice(self.units)
                    start, end = self.plan.year_span(year)
                    sent_day = self.plan.random_day(self.rng, start, end)
                    title = f"关于{unit.name}建议办理工作的督办意见"
                    content = f"{unit.name}部分建议答复不够具体，请主席团督促其改进答复质量，落实承诺事项。"
                self._opinion(year, sent_day, title, content, suggestion=suggestion, unit=unit)

    def _opinion(self, year: int, sent_day: dt.date, title: str, content: str, *, suggestion, unit) -> None:
        current = year == self.today.year
        status = self.rng.choice([OpinionStatus.SENT, OpinionStatus.ANSWERED, OpinionStatus.CLOSED]) if current \
            else OpinionStatus.CLOSED
        opinion = SupervisionOpinion(township=self.township, suggestion=suggestion, unit=unit, title=title[:100],
                                     content=content, answer_by=sent_day + dt.timedelta(days=15), status=status,
                                     sent_by=self.county_user, sent_at=self.when(sent_day, 10))
        if status != OpinionStatus.SENT:
            answered = min(sent_day + dt.timedelta(days=self.rng.randint(3, 14)), self.today)
            opinion.answer = "主席团已召开专题会议研究，督促承办单位限期整改，并将结果向代表反馈。"
            opinion.answered_by = self.staff
            opinion.answered_at = self.when(answered, 15)
            if status == OpinionStatus.CLOSED:
                opinion.closing_note = "答复情况属实，予以确认。"
                opinion.closed_by = self.county_user
                opinion.closed_at = self.when(min(answered + dt.timedelta(days=self.rng.randint(1, 10)), self.today), 16)
        self.add(opinion)

    def _reminders(self) -> list[Reminder]:
        """The rows ``schedule_reply_reminders`` and ``schedule_promise_reminder`` keep, as if armed today."""
        today = self.today
        reminders = []
        stale_after = self.settings.stale_after_days
        reminder_days = self.settings.reminder_days
        for story in self.items:
            s = story.suggestion
            created = s.assigned_at or s.created_at
            wanted: dict[str, dt.date] = {}
            if s.status in OPEN_HANDLING and s.deadline is not None:
                for n in reminder_days:
                    day = self.before(s.deadline, n)
                    if day >= today:
                        wanted[f"{deadlines.REPLY_KINDS_PREFIX}before_{n}"] = day
                if s.deadline >= today:
                    wanted[deadlines.DUE_TODAY] = s.deadline
                wanted[deadlines.OVERDUE] = add_calendar_days(s.deadline, 1).date
                if s.deadline_start and not story.consulted_this_round:
                    wanted[deadlines.STALE] = max(add_calendar_days(s.deadline_start, stale_after).date, today)
            for reply in story.replies:
                if reply.promise_open and reply.promised_date:
                    wanted[f"{deadlines.PROMISE_PREFIX}{reply.pk}"] = reply.promised_date
            reminders += [Reminder(content_type=self.content_type, object_id=s.pk, kind=kind,
                                   due_at=deadlines.at_reminder_time(day), status=ReminderStatus.SCHEDULED,
                                   created_at=created, updated_at=created)
                          for kind, day in wanted.items()]
        return reminders

