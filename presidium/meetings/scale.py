"""The meetings step of ``seed_demo --scale``: five years of meetings and activities per built township, in bulk.

Per township and year (``plan.yearly("meetings")`` in all, about 40 at 100 deputies):

* two congress sessions, numbered within the term in date order (第十八届人民代表大会第N次会议, titled by
  :func:`services.session_title`), every serving township deputy invited; a resolution, one or two
  deliberation opinions sent to a unit and, in older years, answered (this year some wait, some overdue);
* a presidium meeting each quarter, the sitting members invited, with minutes;
* an activity per deputy group per quarter, the group's serving members invited (a township without
  groups, or a group without serving members, has none);
* inspections, surveys and law-enforcement checks with a few deputies and a 列席 official, with findings,
  most of them made rectification items (put right in older years, some still open and some overdue);
* attendance recorded for the meetings that began (present / on leave with a reason asked in advance /
  absent), a few meetings cancelled with a reason, the meetings after today still scheduled.

Open deliberation opinions and rectification items get their reminders (the floor's ``Reminder`` rows) as
``outcome_send``/``outcome_mark_rectification`` schedule them. No history rows: no page reads them for these
models. Findings are not turned into suggestions here (that creates a proposals record; its builder owns them).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from presidium.meetings.choices import (
    AttendanceStatus,
    FindingFollowUp,
    InvitationRole,
    MeetingKind,
    MeetingStatus,
    OutcomeKind,
)
from presidium.meetings.models import AgendaItem, Invitation, Meeting, Outcome
from presidium.meetings.services import session_title
from presidium.scale import ScalePlan, ScaleTownship

LEAVE_REASONS = ["外出务工", "住院治疗", "家中有事", "参加县里培训", "出差"]
SESSION_TOPICS = [
    ("政府工作报告", "关于农村饮水安全工作的审议意见", "代表们建议加快老旧供水管网改造，建立日常巡查和水质检测制度。"),
    ("财政预算执行情况的报告", "关于高标准农田建设的审议意见", "代表们建议加强项目建后管护，落实管护责任和经费。"),
    ("民生实事项目实施情况的报告", "关于农村人居环境整治的审议意见", "代表们建议完善垃圾收运体系，推进厕所革命后续管护。"),
    ("人大主席团工作报告", "关于义务教育均衡发展的审议意见", "代表们建议改善村小办学条件，稳定乡村教师队伍。"),
]
ACTIVITIES = [
    (MeetingKind.INSPECTION, "视察集镇污水处理设施运行情况", "集镇污水处理站", "部分污水管网堵塞、雨污不分"),
    (MeetingKind.SURVEY, "农村养老服务情况调研", "各村养老服务站", "村级养老服务站缺少护理人员"),
    (MeetingKind.LAW_CHECK, "《安全生产法》执法检查", "辖区重点企业", "部分企业安全台账不全"),
    (MeetingKind.INSPECTION, "视察农村公路建设和养护", "各村通组公路", "部分路段缺少安全防护设施"),
    (MeetingKind.SURVEY, "农村集体经济发展情况调研", "各村村委会", "部分村集体经营性收入偏低"),
    (MeetingKind.TRAINING, "代表履职培训", "镇政府大会议室", ""),
]
ANSWER_DAYS = 60  # the demo's and the staff's usual answer period for a deliberation opinion
RECTIFY_DAYS = 40


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * (quarter - 1) + 1, 1)


class _Township:
    """What one township's meetings need, read once: deputies, groups with members, presidium, units."""

    def __init__(self, built: ScaleTownship):
        from deputies.models import DeputyGroup
        from presidium.meetings.selectors import session_deputies, sitting_members

        self.built = built
        self.deputies = list(session_deputies(built.township, built.term).only(
            "pk", "name", "user_id", "work_unit", "post", "group_id"))
        self.members = list(sitting_members(built.term, on=built.term.start_date))
        groups = list(DeputyGroup.objects.filter(township=built.township, kind="small").order_by("sort_order", "pk"))
        by_group: dict[int, list] = {}
        for deputy in self.deputies:
            if deputy.group_id:
                by_group.setdefault(deputy.group_id, []).append(deputy)
        self.groups = [(group, by_group.get(group.pk, [])) for group in groups]
        self.units = built.units


def build_meetings(plan: ScalePlan) -> None:
    """The ``meetings`` scale step (order 20): every built township without meetings gets five years of them."""
    for built in plan.each_township("meetings", lambda t: Meeting.objects.filter(township=t).exists()):
        _build_township(plan, _Township(built))


def _build_township(plan: ScalePlan, t: _Township) -> None:
    built, today = t.built, plan.today
    rng = plan.rng("meetings", built.prefix)
    now = plan.at(today, 8)
    specs = []  # (Meeting, agenda titles, invitees [(deputy, membership, name, post, role, counts)], outcome makers)
    for year in plan.year_list:
        specs += _year(plan, t, year, rng)
    specs.sort(key=lambda s: s[0].starts_at)
    # Sessions numbered within the term in date order (the service gives the next number).
    number = 0
    for meeting, *_rest in specs:
        if meeting.kind == MeetingKind.CONGRESS_SESSION:
            number += 1
            meeting.session_number = number
            meeting.title = session_title(built.township, built.term, number)
    # Status: begun → held (a few cancelled, the last fortnight's now and then not yet recorded); later → scheduled.
    for meeting, *_rest in specs:
        if meeting.starts_at >= now:
            continue
        roll = rng.random()
        if roll < 0.03 and meeting.kind != MeetingKind.CONGRESS_SESSION:
            meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, rng.choice(
                ["因防汛工作推迟", "主要议题尚未准备就绪", "与县里会议时间冲突"])
            meeting.cancelled_at = meeting.starts_at - dt.timedelta(days=2)
            meeting.cancelled_by, meeting.ical_sequence = built.staff, 1
            meeting.updated_at = meeting.cancelled_at
        elif (today - meeting.starts_at.date()).days < 14 and roll < 0.4 \
                and meeting.kind != MeetingKind.CONGRESS_SESSION:
            pass  # held, but the staff have not recorded it yet
        else:
            meeting.status = MeetingStatus.HELD
            meeting.held_at = meeting.updated_at = meeting.starts_at + dt.timedelta(minutes=20)
    meetings = plan.bulk(Meeting, [s[0] for s in specs])
    agenda, invitations, outcomes = [], [], []
    for meeting, (_m, titles, invitees, outcome_makers) in zip(meetings, specs, strict=True):
        agenda += [AgendaItem(meeting=meeting, position=n, title=title) for n, title in enumerate(titles, start=1)]
        invitations += _invitations(meeting, invitees, rng, built.staff)
        if meeting.status == MeetingStatus.HELD:
            for make in outcome_makers:
                outcomes.append(make(meeting))
    plan.bulk(AgendaItem, agenda)
    plan.bulk(Invitation, invitations)
    _one_overdue(outcomes, today)
    outcomes = plan.bulk(Outcome, outcomes)
    _reminders(plan, outcomes)


def _one_overdue(outcomes: list[Outcome], today: dt.date) -> None:
    """Whatever the random stream gave, a township has an opinion the government is late to answer when one
    could be: the most recent one sent whose answer was due before today stays unanswered."""
    if any(o.sent_on and not o.answered_on and o.due_on < today for o in outcomes):
        return
    late = [o for o in outcomes if o.sent_on and o.due_on < today]
    if late:
        latest = max(late, key=lambda o: o.sent_on)
        latest.answered_on, latest.answer = None, ""
        latest.updated_at = latest.created_at


def _meeting(plan: ScalePlan, t: _Township, kind: str, day: dt.date, hours: tuple[int, int], *, days: int = 0,
             title: str = "", place: str, group=None, rng) -> Meeting:
    built = t.built
    starts = plan.at(day, hours[0], 30 if hours[0] == 8 else 0)
    ends = plan.at(day + dt.timedelta(days=days), hours[1])
    created = min(starts - dt.timedelta(days=rng.randint(5, 20)), plan.at(plan.today, 8))
    if not title:
        title = (f"{group.name}活动（{day.year}年{day.month}月{day.day}日）" if group is not None
                 else f"{day.year}年{day.month}月{day.day}日{MeetingKind(kind).label}")
    return Meeting(township=built.township, term=built.term, kind=kind, title=title[:150], starts_at=starts,
                   ends_at=ends, place=place, organiser=f"{built.township.name}人大主席团", group=group,
                   open_to_deputies=kind == MeetingKind.CONGRESS_SESSION, status=MeetingStatus.SCHEDULED,
                   created_by=built.staff, created_at=created, updated_by=built.staff, updated_at=created)


def _deputy_invitee(deputy, counts: bool, role=InvitationRole.MEMBER):
    return (deputy, None, deputy.name, deputy.work_unit_and_post[:100], role, counts)


def _year(plan: ScalePlan, t: _Township, year: int, rng) -> list:
    built, name = t.built, t.built.township.name
    specs = []
    target = plan.yearly("meetings")
    # Two sessions: one in January–March; the other in July–August or at the year's end (some still ahead).
    spring = _workday(dt.date(year, 1, 10) + dt.timedelta(days=rng.randint(0, 60)))
    autumn = _workday(dt.date(year, 7, 1) + dt.timedelta(days=rng.randint(0, 55)) if rng.random() < 0.6
                      else dt.date(year, 12, 15) + dt.timedelta(days=rng.randint(0, 10)))
    ahead = _workday(plan.today + dt.timedelta(days=rng.randint(7, 20)))
    if year == plan.today.year and autumn <= plan.today and ahead.year == year and spring < plan.today:
        autumn = ahead  # this year's second session is still to come
    for index, day in enumerate((spring, autumn)):
        topic, opinion_title, opinion_text = SESSION_TOPICS[(year + index * 2) % len(SESSION_TOPICS)]
        meeting = _meeting(plan, t, MeetingKind.CONGRESS_SESSION, day, (8, 12), days=1, place=f"{name}大礼堂",
                           title="session", rng=rng)
        invitees = [_deputy_invitee(d, True) for d in t.deputies]
        makers = [_resolution(built, topic), _opinion(plan, t, opinion_title, opinion_text, rng)]
        if rng.random() < 0.5:
            extra = SESSION_TOPICS[(year + index * 2 + 1) % len(SESSION_TOPICS)]
            makers.append(_opinion(plan, t, extra[1], extra[2], rng))
        specs.append((meeting, ["听取和审议" + topic, "审议通过民生实事项目", "代表提出议案和建议"], invitees, makers))
    # A presidium meeting each quarter.
    for quarter in range(1, 5):
        day = _workday(_quarter_start(year, quarter) + dt.timedelta(days=15 + rng.randint(0, 50)))
        ahead = _workday(plan.today + dt.timedelta(days=rng.randint(3, 12)))
        if (year, quarter) == (plan.today.year, (plan.today.month - 1) // 3 + 1) and ahead.year == year:
            day = ahead  # this quarter's is coming up: scheduled, its invitations out
        meeting = _meeting(plan, t, MeetingKind.PRESIDIUM_MEETING, day, (9, 11), place="人大主席团会议室",
                           rng=rng)
        invitees = [(None, m, m.name, str(m.get_position_display()), InvitationRole.MEMBER, True)
                    for m in t.members]
        specs.append((meeting, ["研究本季度代表活动安排", "听取代表建议办理情况汇报"], invitees,
                      [_minutes(built, f"{meeting.title}纪要")]))
    # An activity per group per quarter.
    for position, (group, members) in enumerate(t.groups):
        if not members:
            continue  # a group without serving members has no activities (and the rules do not ask for them)
        for quarter in range(1, 5):
            day = _workday(_quarter_start(year, quarter) + dt.timedelta(days=(position * 7 + rng.randint(3, 60)) % 85))
            meeting = _meeting(plan, t, MeetingKind.GROUP_ACTIVITY, day, (14, 17), group=group,
                               place=f"{group.name.removesuffix('代表小组')}代表联络站", rng=rng)
            invitees = [_deputy_invitee(d, False) for d in sorted(members, key=lambda d: d.pk)]
            specs.append((meeting, ["集中接待选民", "学习代表法"], invitees, []))
    # Inspections, surveys, law checks, training: the rest of the year's volume (at least two).
    for n in range(max(2, target - len(specs))):
        kind, title, place, finding = ACTIVITIES[(n + year) % len(ACTIVITIES)]
        day = _workday(dt.date(year, 1, 15) + dt.timedelta(days=rng.randint(0, 330)))
        meeting = _meeting(plan, t, kind, day, (9, 12), title=title, place=place, rng=rng)
        chosen = rng.sample(t.deputies, min(len(t.deputies), rng.randint(4, 8)))
        invitees = [_deputy_invitee(d, False) for d in chosen]
        invitees.append((None, None, "王明", "副镇长", InvitationRole.ATTENDEE, False))
        makers = [_finding(plan, t, finding, rng)] if finding else []
        specs.append((meeting, [f"实地{MeetingKind(kind).label}", "座谈交流"], invitees, makers))
    return specs


def _invitations(meeting: Meeting, invitees, rng, staff) -> list[Invitation]:
    rows = []
    held = meeting.status == MeetingStatus.HELD
    recorded_at = meeting.starts_at + dt.timedelta(minutes=20)
    present = 0.9 if meeting.kind == MeetingKind.CONGRESS_SESSION else 0.82
    for position, (deputy, membership, name, post, role, counts) in enumerate(invitees):
        invitation = Invitation(meeting=meeting, deputy=deputy, membership=membership,
                                user_id=deputy.user_id if deputy is not None else (
                                    membership.user_id if membership is not None else None),
                                name=name[:50], post=post[:100], role=role, counts_for_quorum=counts,
                                position=position, invited_at=meeting.created_at)
        if held:
            roll = rng.random()
            if roll < present:
                invitation.status = AttendanceStatus.PRESENT
            elif roll < 0.97:
                invitation.status, invitation.leave_reason = AttendanceStatus.LEAVE, rng.choice(LEAVE_REASONS)
                invitation.leave_requested_at = meeting.starts_at - dt.timedelta(days=rng.randint(1, 3))
            else:
                invitation.status = AttendanceStatus.ABSENT
            invitation.recorded_by, invitation.recorded_at = staff, recorded_at
        rows.append(invitation)
    return rows


def _stamped(outcome: Outcome, meeting: Meeting, days: int = 1) -> Outcome:
    outcome.created_at = meeting.ends_at + dt.timedelta(days=days)
    outcome.updated_at = outcome.created_at
    return outcome


def _resolution(built, topic: str):
    return lambda meeting: _stamped(Outcome(
        meeting=meeting, kind=OutcomeKind.RESOLUTION, title=f"关于{topic}的决议",
        text=f"会议同意{topic}，决定予以批准。", created_by=built.staff), meeting)


def _minutes(built, title: str):
    return lambda meeting: _stamped(Outcome(
        meeting=meeting, kind=OutcomeKind.MINUTES, title=title[:200],
        text="会议研究了本季度代表活动安排，听取了代表建议办理情况汇报，要求承办单位按期答复。",
        created_by=built.staff), meeting)


def _opinion(plan: ScalePlan, t: _Township, title: str, text: str, rng):
    unit = rng.choice(t.units)
    roll = rng.random()

    def make(meeting: Meeting) -> Outcome:
        outcome = _stamped(Outcome(meeting=meeting, kind=OutcomeKind.DELIBERATION_OPINION, title=title, text=text,
                                   created_by=t.built.staff), meeting)
        sent = meeting.ends_at.date() + dt.timedelta(days=7)
        if sent > plan.today:
            return outcome  # not sent yet
        outcome.unit, outcome.sent_on, outcome.due_on = unit, sent, sent + dt.timedelta(days=ANSWER_DAYS)
        answered = sent + dt.timedelta(days=20 + int(roll * 60))  # a few answer late
        old = (plan.today - sent).days > 200
        if answered <= plan.today and (old or roll < 0.6):
            outcome.answered_on = answered
            outcome.answer = "已按审议意见制定整改方案，逐项落实，相关工作已列入年度计划。"
            outcome.updated_at = plan.at(answered, 16)
        return outcome

    return make


def _finding(plan: ScalePlan, t: _Township, title: str, rng):
    unit = rng.choice(t.units)
    roll = rng.random()

    def make(meeting: Meeting) -> Outcome:
        outcome = _stamped(Outcome(meeting=meeting, kind=OutcomeKind.FINDING, title=title,
                                   text="检查中发现该问题，群众反映较多，建议责任单位限期整改。",
                                   created_by=t.built.staff), meeting)
        if roll < 0.15:
            return outcome  # not handled yet
        outcome.follow_up, outcome.unit = FindingFollowUp.RECTIFICATION, unit
        outcome.rectification_due_on = meeting.ends_at.date() + dt.timedelta(days=RECTIFY_DAYS)
        done = outcome.rectification_due_on - dt.timedelta(days=10) + dt.timedelta(days=int(roll * 40))
        if done <= plan.today and ((plan.today - done).days > 120 or roll < 0.7):
            outcome.rectified_on = done
            outcome.updated_at = plan.at(done, 16)
        return outcome

    return make


def _reminders(plan: ScalePlan, outcomes: list[Outcome]) -> None:
    """The reminders the services schedule for what is still open: an opinion's answer, a rectification."""
    from presidium.meetings.services.outcomes import ANSWER_DUE, RECTIFICATION_DUE, REMIND_AT
    from presidium.notifications.models import Reminder

    content_type = ContentType.objects.get_for_model(Outcome)
    rows = []
    for outcome in outcomes:
        if outcome.sent_on and not outcome.answered_on:
            kind, due = ANSWER_DUE, outcome.due_on
        elif outcome.follow_up == FindingFollowUp.RECTIFICATION and not outcome.rectified_on:
            kind, due = RECTIFICATION_DUE, outcome.rectification_due_on
        else:
            continue
        rows.append(Reminder(content_type=content_type, object_id=outcome.pk, kind=kind,
                             due_at=plan.at(due, REMIND_AT.hour, REMIND_AT.minute), created_at=outcome.created_at,
                             updated_at=outcome.updated_at))
    plan.bulk(Reminder, rows)
