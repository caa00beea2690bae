"""The duty archive of a scale township's deputies, year by year: pledge, trainings, report to voters,
assessment, awards — the rows ``deputies.demo`` records through the services for one year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from deputies.choices import AssessmentGrade, AwardLevel, DeputyStatus
from deputies.models import Award, DutyPledge, TrainingRecord, VoterReport, YearAssessment
from deputies.scale.registry import Roster
from presidium.scale import ScalePlan, ScaleTownship

PLEDGE = ("一、认真学习宪法和法律，按时参加人代会和代表活动；二、每月走访选民不少于一次，及时反映群众意见；"
          "三、积极参加代表小组活动和联络站接待；四、年底向选民述职，接受监督。")


def build_duty_records(plan: ScalePlan, built: ScaleTownship, roster: Roster) -> None:
    township = built.township
    rng = plan.rng("duty", township.name)
    recorder = built.staff
    trainings = [("县人大常委会乡镇人大代表履职培训班", "临川县人大常委会", 8),
                 ("代表法、选举法专题学习", f"{township.name}人大主席团", 3),
                 ("民生实事项目票决制专题培训", "临川县人大常委会", 4)]
    pledges, reports, assessments, courses, awards = [], [], [], [], []
    for deputy in roster.deputies:
        place = f"{deputy.group.name if deputy.group_id else township.name}活动室"
        # Records of a year the deputy served in; a departed deputy has none dated on or after leaving.
        until = plan.today if deputy.status == DeputyStatus.SERVING else deputy.status_since - dt.timedelta(days=1)
        for year in plan.year_list:
            if dt.date(year, 12, 31) < (deputy.elected_on or dt.date(year, 1, 1)):
                continue
            first = deputy.elected_on or dt.date(year, 1, 1)

            def ok(day: dt.date, first: dt.date = first, until: dt.date = until) -> bool:
                return first <= day <= until

            signed = dt.date(year, 1, rng.randint(5, 20))
            if rng.random() < 0.85 and ok(signed):
                pledges.append(DutyPledge(deputy=deputy, year=year, signed_on=signed, content=PLEDGE,
                                          recorded_by=recorder))
            for title, organizer, hours in trainings:
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(40, 330))
                if rng.random() < 0.45 and ok(day) and day.year == year:
                    courses.append(TrainingRecord(deputy=deputy, attended_on=day, title=title, organizer=organizer,
                                                  hours=Decimal(hours), recorded_by=recorder))
            reported = dt.date(year, 12, rng.randint(1, 28))
            if rng.random() < 0.3 and ok(reported):
                present = rng.randint(30, 60)
                excellent = rng.randint(present // 2, present - 2)
                competent = rng.randint(0, present - excellent)
                reports.append(VoterReport(deputy=deputy, year=year, reported_on=reported,
                                           place=place, voters_present=present,
                                           excellent=excellent, competent=competent,
                                           incompetent=present - excellent - competent, recorded_by=recorder))
            # The year-end assessment comes in January; this year's is not due yet.
            assessed = dt.date(year + 1, 1, rng.randint(6, 15))
            if rng.random() < 0.9 and assessed <= until:
                assessments.append(YearAssessment(
                    deputy=deputy, year=year, assessed_on=assessed, recorded_by=recorder,
                    grade=rng.choices(list(AssessmentGrade.values), [25, 65, 8, 2])[0]))
            awarded = dt.date(year, 12, 20)
            if rng.random() < 0.06 and ok(awarded):
                level = rng.choices([AwardLevel.TOWNSHIP, AwardLevel.COUNTY], [80, 20])[0]
                awards.append(Award(deputy=deputy, awarded_on=awarded, title="优秀人大代表", level=level,
                                    conferred_by=f"{township.name}人大主席团" if level == AwardLevel.TOWNSHIP
                                    else "临川县人大常委会", recorded_by=recorder))
    for model, rows in ((DutyPledge, pledges), (TrainingRecord, courses), (VoterReport, reports),
                        (YearAssessment, assessments), (Award, awards)):
        plan.bulk(model, rows)
