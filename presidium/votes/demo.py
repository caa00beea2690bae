"""Demo data of votes and livelihood projects, in the demo staff's township (青石镇):

* this year's congress session (the meetings demo's, or one scheduled through the meetings services on
  16 January when there is none), its attendance recorded where it is not (two on leave, one absent);
* seven candidate projects (民生实事候选项目) voted on paper at that session — entered by the 计票人 and
  checked by the 监票人 — five adopted and ranked; the first has two parts (子项目, budget-weighted progress);
* progress reports and an inspection over the year (one project delayed, one done), and in December the
  deputies' year-end satisfaction vote;
* a resolution voted on paper whose 监票人 entry first differed and was entered again before publication.

Everything goes through the services. Idempotent (a township with projects is left alone), deterministic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

CANDIDATES = [
    ("农村饮水安全巩固提升工程", "新建加压泵站 2 座，改造老旧管网 18 公里，解决高处农户季节性缺水。", "180"),
    ("镇区主干道路灯改造", "更换镇区主干道路灯 260 盏为节能灯具，消除夜间照明盲区。", "85"),
    ("中心小学食堂改扩建", "改扩建中心小学食堂 600 平方米，满足 900 名学生就餐。", "150"),
    ("村级养老服务站建设", "在 4 个村建设养老服务站，提供助餐、日间照料服务。", "120"),
    ("乡村道路安全防护设施", "在 12 处急弯陡坡路段安装波形护栏和警示标志。", "60"),
    ("农贸市场提质改造", "改造农贸市场排水、地面和摊位，实行划行归市。", "95"),
    ("镇卫生院远程诊疗系统", "建设卫生院与县医院远程会诊系统。", "70"),
]
PARTS = [("加压泵站建设", "80"), ("老旧管网改造", "100")]
LEAVE_REASONS = ["外出参加培训", "身体不适"]


def seed_votes(*, scale: int = 1, stdout=None) -> None:
    from presidium.access import townships_where
    from presidium.models import User
    from presidium.votes.access import MANAGE_VOTES
    from presidium.votes.models import LivelihoodProject

    staff = User.objects.filter(username="staff").first()
    township = townships_where(staff, MANAGE_VOTES).order_by("pk").first() if staff else None
    if township is None or LivelihoodProject.objects.filter(township=township).exists():
        return
    session = _session(township, staff)
    if session is None:
        return
    _record_attendance(session, staff)
    year = timezone.localtime(session.starts_at).year
    projects = _candidates(township, year, staff)
    vote = _project_vote(session, year, staff)
    if vote is None:
        return
    _track(vote, projects, staff, session)
    _resolution(session, staff)


def _session(township, staff):
    from presidium.meetings.choices import MeetingKind, MeetingStatus
    from presidium.meetings.models import Meeting
    from presidium.meetings.services import meeting_schedule

    now = timezone.now()
    session = (Meeting.objects.filter(township=township, kind=MeetingKind.CONGRESS_SESSION,
                                      starts_at__year=timezone.localdate().year, starts_at__lt=now)
               .exclude(status=MeetingStatus.CANCELLED).order_by("starts_at").first())
    if session is not None:
        return session
    if township.current_term() is None:
        return None
    year = timezone.localdate().year
    starts = timezone.make_aware(dt.datetime(year, 1, 16, 9, 0))
    if starts > now:
        return None
    return meeting_schedule(township=township, kind=MeetingKind.CONGRESS_SESSION, starts_at=starts,
                            ends_at=starts + dt.timedelta(hours=8), place="镇政府大会议室", by=staff,
                            agenda=["听取和审议镇人民政府工作报告", "听取和审议镇人大主席团工作报告",
                                    "票决本年度民生实事项目"])


def _record_attendance(session, staff) -> None:
    from presidium.meetings.choices import AttendanceStatus
    from presidium.meetings.services import AttendanceEntry, invitation_record_attendance

    members = list(session.invitations.filter(counts_for_quorum=True).order_by("position", "pk"))
    if not any(i.status == AttendanceStatus.INVITED for i in members):
        return
    away = 3 if len(members) >= 12 else 0
    entries = []
    for index, invitation in enumerate(members):
        if invitation.status != AttendanceStatus.INVITED:
            continue
        if index >= len(members) - away:
            slot = len(members) - index - 1
            status = AttendanceStatus.ABSENT if slot == 0 else AttendanceStatus.LEAVE
            entries.append(AttendanceEntry(invitation.pk, status, LEAVE_REASONS[slot % 2] if slot else ""))
        else:
            entries.append(AttendanceEntry(invitation.pk, AttendanceStatus.PRESENT))
    invitation_record_attendance(meeting=session, entries=entries, by=staff)


def _candidates(township, year: int, staff) -> list:
    from presidium.models import HandlingUnit
    from presidium.votes.services import project_create

    units = list(HandlingUnit.objects.filter(township=township, is_active=True).order_by("pk")) or []
    if not units:
        return []
    return [project_create(township=township, year=year, title=title, description=text, budget=Decimal(budget),
                           unit=units[index % len(units)], by=staff)
            for index, (title, text, budget) in enumerate(CANDIDATES)]


def _figures(entitled: int, present: int, count: int) -> list[tuple[int, int, int]]:
    """Five projects with more than half of all deputies in favour (two tied on 赞成), two without."""
    from presidium.votes.counting import majority_needed

    needed = majority_needed(entitled)
    rows = []
    for offset in (6, 4, 4, 2, 0, -2, -4)[:count]:
        yes = max(0, min(present, needed + offset))
        no = min(present - yes, 2 if offset != 4 or rows else 1)
        abstain = min(present - yes - no, 1)
        rows.append((yes, no, abstain))
    if len(rows) >= 3 and rows[1][0] == rows[2][0]:
        rows[2] = (rows[2][0], min(present - rows[2][0], rows[1][1] + 1), 0)
    return rows


def _project_vote(session, year: int, staff):
    from presidium.votes import services
    from presidium.votes.counting import Line

    vote = services.vote_create_for_projects(meeting=session, year=year, by=staff,
                                             title=f"{year}年民生实事项目票决")
    vote = services.vote_open(vote=vote, by=staff)
    snapshot = services.attendance_snapshot(session)
    entitled, present = len(snapshot["entitled"]), len(snapshot["present"])
    if not present:
        return None
    items = list(vote.items.order_by("position"))
    lines = {item.pk: Line(*row) for item, row in zip(items, _figures(entitled, present, len(items)), strict=True)}
    for entry, teller in ((1, "李文华"), (2, "陈志明")):
        services.vote_tally_enter(vote=vote, entry=entry, teller_name=teller, ballots=present, invalid=0,
                                  lines=lines, by=staff)
    services.vote_count(vote=vote, by=staff)
    return services.vote_publish(vote=vote, by=staff)


def _track(vote, projects, staff, session) -> None:
    from presidium.votes import services
    from presidium.votes.choices import ProgressEntryKind, ProgressStatus
    from presidium.votes.models import LivelihoodProject

    today = timezone.localdate()
    start = timezone.localdate(session.starts_at)
    adopted = list(LivelihoodProject.objects.filter(pk__in=[p.pk for p in projects], status="adopted")
                   .order_by("vote_rank"))
    if not adopted:
        return
    first = adopted[0]
    parts = [services.project_create(township=first.township, year=first.year, title=title, budget=Decimal(budget),
                                     unit=first.unit, parent=first, by=staff) for title, budget in PARTS]
    plan = {  # per tracked project: (days after the session, progress, status, text)
        parts[0].pk: [(45, 30, "", "泵站选址完成，设备招标中。"), (150, 80, "", "两座泵站主体完工，设备安装中。"),
                      (240, 100, ProgressStatus.DONE, "泵站通水试运行，验收合格。")],
        parts[1].pk: [(60, 15, "", "管网改造首批 3 公里开工。"), (200, 55, "", "累计完成管网改造 10 公里。")],
    }
    steps = [(60, 20, "", "完成招标，进场施工。"), (170, 60, "", "完成年度计划的六成。"), (260, 85, "", "主体完工，进入收尾。")]
    for index, project in enumerate(adopted[1:], start=1):
        if index == 2:  # one runs late
            plan[project.pk] = [(90, 10, "", "用地手续未办结，开工推迟。"), (210, 25, ProgressStatus.DELAYED,
                                                                   "受雨季影响进度滞后，已督促责任单位倒排工期。")]
        elif index == 1:
            plan[project.pk] = [*steps, (300, 100, ProgressStatus.DONE, "全部完工并投入使用。")]
        else:
            plan[project.pk] = steps[:index]
    for project in [*parts, *adopted[1:]]:
        for days, progress, status, text in plan.get(project.pk, []):
            on = start + dt.timedelta(days=days)
            if on > today:
                break
            services.project_report_progress(project=project, on=on, text=text, progress=progress,
                                             progress_status=status, by=staff)
    inspection_on = start + dt.timedelta(days=180)
    if inspection_on <= today:
        services.project_report_progress(project=first, on=inspection_on, kind=ProgressEntryKind.INSPECTION,
                                         text="镇人大主席团组织代表视察：泵站建设质量较好，管网改造需加快进度。",
                                         by=staff)
    if today.month == 12:
        _satisfaction(adopted, vote, staff)


def _satisfaction(adopted, vote, staff) -> None:
    from presidium.votes import services

    voters = max(0, min(vote.present_count or 0, len(vote.snapshot.get("present", []))))
    for index, project in enumerate(adopted):
        # The delayed project (third) draws real criticism; the others a few 基本满意 and the odd 不满意.
        unsatisfied = min(voters, voters // 5 if index == 2 else index)
        basically = min(voters - unsatisfied, voters // 3 if index == 2 else voters // 10 + 3 * index)
        services.project_satisfaction_record(project=project, satisfied=voters - unsatisfied - basically,
                                             basically=basically, unsatisfied=unsatisfied, by=staff)


def _resolution(session, staff) -> None:
    from presidium.votes import services
    from presidium.votes.choices import VoteKind, VoteSubject
    from presidium.votes.counting import Line

    vote = services.vote_create(meeting=session, title="关于镇人民政府工作报告的决议", subject=VoteSubject.RESOLUTION,
                                kind=VoteKind.PAPER_BALLOT, by=staff)
    vote = services.vote_open(vote=vote, by=staff)
    present = len(services.attendance_snapshot(session)["present"])
    item = vote.items.get()
    agreed = Line(max(present - 2, 0), min(present, 1), 1 if present >= 2 else 0)
    slip = Line(max(agreed.yes - 1, 0), agreed.no + (1 if agreed.yes else 0), agreed.abstain)
    services.vote_tally_enter(vote=vote, entry=1, teller_name="李文华", ballots=present, lines={item.pk: agreed},
                              by=staff)
    services.vote_tally_enter(vote=vote, entry=2, teller_name="陈志明", ballots=present, lines={item.pk: slip},
                              by=staff)  # misread one ballot: publication is blocked until it is entered again
    services.vote_count(vote=vote, by=staff)
    services.vote_tally_enter(vote=vote, entry=2, teller_name="陈志明", ballots=present, lines={item.pk: agreed},
                              by=staff)
    services.vote_publish(vote=vote, by=staff)
