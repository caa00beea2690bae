"""Demo data: a year of meetings and activities per demo township, through the services.

Per township: two congress sessions (numbered 5 and 6 of the 18th term, the names the proposals demo typed)
with a resolution, deliberation opinions (one answered, one still waiting past its date) and attendance;
a presidium meeting each quarter with minutes; group activities (a few groups behind this quarter, so the
staff home shows gaps); an inspection and a survey with findings (one became a suggestion draft, one a
rectification item); and, in 青石镇, a presidium meeting next week to which the demo deputy is invited.
Meetings that ended are recorded after the fact (nobody is notified); attendance is recorded on the day.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from deputies.choices import DeputyStatus, GroupKind
from deputies.models import Deputy, DeputyGroup
from presidium.demo import demo_townships
from presidium.meetings import services
from presidium.meetings.choices import AttendanceStatus, MeetingKind
from presidium.meetings.models import Meeting
from presidium.meetings.services import AttendanceEntry
from presidium.models import HandlingUnit, User

LEAVE_REASONS = ["外出务工", "住院治疗", "家中有事", "参加县里培训", "出差"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _attend(meeting: Meeting, *, by, rng: random.Random, present: float = 0.85, absent: float = 0.04) -> None:
    entries = []
    for pk in meeting.invitations.order_by("pk").values_list("pk", flat=True):
        roll = rng.random()
        if roll < present:
            entries.append(AttendanceEntry(pk, AttendanceStatus.PRESENT))
        elif roll < 1 - absent:
            entries.append(AttendanceEntry(pk, AttendanceStatus.LEAVE, rng.choice(LEAVE_REASONS)))
        else:
            entries.append(AttendanceEntry(pk, AttendanceStatus.ABSENT))
    services.invitation_record_attendance(meeting=meeting, entries=entries, by=by,
                                          now=meeting.starts_at + dt.timedelta(minutes=20))


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def seed_meetings(*, scale: int = 1, stdout=None) -> None:
    by = User.objects.filter(is_superuser=True).order_by("pk").first()
    if by is None:
        return
    today = timezone.localdate()
    for township in demo_townships().order_by("pk"):
        if Meeting.objects.filter(township=township).exists() or township.current_term() is None:
            continue
        deputies = list(Deputy.objects.filter(township=township, status=DeputyStatus.SERVING).order_by("pk"))
        units = {u.name: u for u in HandlingUnit.objects.filter(township=township, is_active=True)}
        if len(deputies) < 6 or not units:
            continue
        rng = random.Random(township.pk * 7919)
        _seed_township(township, today=today, by=by, rng=rng, deputies=deputies, units=units)


def _seed_township(township, *, today, by, rng, deputies, units) -> None:
    unit = units.get("乡村振兴办公室") or next(iter(units.values()))
    water = units.get("水利站") or unit
    # Two sessions: spring (about ten months ago) and late summer (about three months ago).
    for number, days_ago, topic in ((5, 300, "政府工作报告"), (6, 95, "上半年财政预算执行情况的报告")):
        day = _workday(today - dt.timedelta(days=days_ago))
        session = services.meeting_schedule(
            township=township, kind=MeetingKind.CONGRESS_SESSION, session_number=number, by=by,
            starts_at=_at(day, 8, 30), ends_at=_at(day + dt.timedelta(days=1), 12), place=f"{township.name}大礼堂",
            organiser=f"{township.name}人大主席团",
            agenda=["听取和审议" + topic, "审议通过民生实事项目", "代表提出议案和建议"])
        _attend(session, by=by, rng=rng, present=0.9)
        services.outcome_add(meeting=session, kind="resolution", by=by,
                             title=f"关于{topic}的决议", text="会议同意" + topic + "，决定予以批准。")
        opinion = services.outcome_add(
            meeting=session, kind="deliberation_opinion", by=by,
            title="关于农村饮水安全工作的审议意见" if number == 5 else "关于高标准农田建设的审议意见",
            text="代表们建议加快老旧供水管网改造，建立日常巡查和水质检测制度，确保群众喝上放心水。")
        sent = day + dt.timedelta(days=7)
        services.outcome_send(outcome=opinion, unit=water if number == 5 else unit, sent_on=sent,
                              due_on=sent + dt.timedelta(days=60), by=by)
        if number == 5:
            services.outcome_record_answer(outcome=opinion, answered_on=sent + dt.timedelta(days=45), by=by,
                                           answer="已完成3个村的管网改造，其余列入明年计划；水质检测每季度一次。")
    # A presidium meeting in each of the last four quarters, and one next week.
    quarter = _quarter_start(today)
    for back in range(4, 0, -1):
        start = quarter
        for _i in range(back):
            start = _quarter_start(start - dt.timedelta(days=1))
        day = _workday(start + dt.timedelta(days=20 + rng.randrange(20)))
        if day >= today:
            continue
        meeting = services.meeting_schedule(
            township=township, kind=MeetingKind.PRESIDIUM_MEETING, by=by, starts_at=_at(day, 9),
            ends_at=_at(day, 11, 30), place="镇政府三楼会议室", organiser="人大主席团",
            agenda=["研究本季度代表活动安排", "听取代表建议办理情况汇报"])
        _attend(meeting, by=by, rng=rng, present=0.8, absent=0.0)
        services.outcome_add(meeting=meeting, kind="minutes", by=by, title=f"{meeting.title}纪要",
                             text="会议研究了本季度代表活动安排，听取了代表建议办理情况汇报，要求承办单位按期答复。")
    # Group activities: every small group once a quarter, a few not yet this quarter.
    groups = list(DeputyGroup.objects.filter(township=township, kind=GroupKind.SMALL).order_by("sort_order", "pk"))
    previous = _quarter_start(quarter - dt.timedelta(days=1))
    for index, group in enumerate(groups):
        for start in (previous, quarter):
            if start == quarter and index % 3 == 0:
                continue  # behind this quarter: the staff home names these groups
            day = _workday(start + dt.timedelta(days=5 + (index * 3) % 40))
            if day >= today:
                continue
            activity = services.meeting_schedule(
                township=township, kind=MeetingKind.GROUP_ACTIVITY, group=group, by=by, starts_at=_at(day, 14, 30),
                ends_at=_at(day, 17), place=f"{group.name.removesuffix('代表小组')}村代表联络站",
                agenda=["集中接待选民", "学习代表法"])
            _attend(activity, by=by, rng=rng, present=0.8, absent=0.08)
    # An inspection and a survey, with findings handled two ways.
    sample = rng.sample(deputies, min(6, len(deputies)))
    day = _workday(today - dt.timedelta(days=50))
    inspection = services.meeting_schedule(
        township=township, kind=MeetingKind.INSPECTION, by=by, title="视察集镇污水处理设施运行情况",
        starts_at=_at(day, 9), ends_at=_at(day, 12), place="集镇污水处理站", organiser="人大主席团",
        deputies=sample, attendees=[services.Attendee("王明", "副镇长")])
    _attend(inspection, by=by, rng=rng, present=0.9, absent=0.0)
    finding = services.outcome_add(meeting=inspection, kind="finding", by=by, title="集镇部分污水管网堵塞、雨污不分",
                                   text="老街片区管网老化，雨天污水外溢，群众反映强烈。")
    services.outcome_mark_rectification(outcome=finding, unit=units.get("综合行政执法队") or unit,
                                        due_on=today + dt.timedelta(days=40), by=by)
    day = _workday(today - dt.timedelta(days=30))
    survey = services.meeting_schedule(
        township=township, kind=MeetingKind.SURVEY, by=by, title="农村养老服务情况调研",
        starts_at=_at(day, 9), ends_at=_at(day, 16), place="各村养老服务站", organiser="人大主席团",
        deputies=rng.sample(deputies, min(5, len(deputies))))
    _attend(survey, by=by, rng=rng, present=1.0, absent=0.0)
    finding = services.outcome_add(meeting=survey, kind="finding", by=by, title="村级养老服务站缺少护理人员",
                                   text="六个站点中有四个没有专职护理人员，日间照料难以开展。")
    from presidium.meetings.conversions import get_conversion

    if get_conversion("suggestion") is not None:
        services.outcome_convert(outcome=finding, key="suggestion", by=by)
    if township.name == "青石镇":
        _seed_next_week(township, today=today, by=by)


def _seed_next_week(township, *, today, by) -> None:
    deputy = Deputy.objects.filter(township=township, name="冯国强").exclude(user=None).first()
    day = _workday(today + dt.timedelta(days=7))
    services.meeting_schedule(
        township=township, kind=MeetingKind.PRESIDIUM_MEETING, by=by, starts_at=_at(day, 9),
        ends_at=_at(day, 11, 30), place="镇政府三楼会议室", organiser="人大主席团",
        agenda=["研究年终代表履职考核工作", "听取民生实事项目进展汇报"], deputies=[deputy] if deputy else [],
        note="请各位成员提前准备本片区代表履职情况。")
