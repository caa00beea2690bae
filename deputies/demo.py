"""Demo data: per township 60–130 deputies (× scale), constituencies, groups, stations, a year of visits.

Deterministic (``random.Random`` seeded by the township's name) and idempotent: deputies are keyed
by name within the township's term, visits and duty records are only generated for deputies that
have none yet. Deputies go through the services (pinyin, digests, checks); the year of visits is
bulk-inserted with history, since a few thousand rows one by one would make ``seed_demo`` slow.
The demo account ``deputy`` (冯国强, 青石镇) is linked to its deputy.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from deputies import services, visit_years
from deputies.choices import (
    AssessmentGrade,
    DeputyLevel,
    Education,
    Ethnicity,
    Gender,
    GroupKind,
    OpinionCategory,
    PoliticalAffiliation,
    Sector,
    StationKind,
    StationLevel,
    StationStaffRole,
    VisitMethod,
)
from deputies.models import (
    Constituency,
    Deputy,
    DeputyGroup,
    DutyPledge,
    LiaisonStation,
    TrainingRecord,
    Visit,
    VisitOpinion,
    VisitTarget,
)
from deputies.pii import id_check_digit
from presidium.choices import Role
from presidium.demo import demo_townships
from presidium.models import HandlingUnit, Township, User

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万"
            "严覃武戴莫孔向汤单解查仇翟欧阳")
MALE_GIVEN = "国建军志明华伟强平东海勇军斌涛亮刚峰波辉磊鹏飞林春生德文才永福荣庆祥宏兴保忠俊杰"
FEMALE_GIVEN = "秀英桂芳丽红梅兰霞燕玲娟琴萍凤洁婷慧敏静丽艳雪云菊莲珍琳晓小春爱"
MINORITIES = (Ethnicity.SHE, Ethnicity.MIAO, Ethnicity.YAO, Ethnicity.HUI, Ethnicity.TUJIA, Ethnicity.ZHUANG)
OPINIONS = [
    (OpinionCategory.INFRASTRUCTURE, "{v}{g}到村部的道路坑洼不平，雨天积水，群众出行不便，希望尽快硬化修补。"),
    (OpinionCategory.INFRASTRUCTURE, "{v}路灯损坏多处，晚上出行不安全，建议维修并增设路灯。"),
    (OpinionCategory.WATER, "{v}{g}自来水水压不足，高处农户经常停水，希望改造管网。"),
    (OpinionCategory.WATER, "{v}灌溉渠道淤塞，影响春耕用水，建议组织清淤。"),
    (OpinionCategory.AGRICULTURE, "希望多组织农业技术培训，帮助发展特色种植。"),
    (OpinionCategory.AGRICULTURE, "化肥价格上涨，希望落实好种粮补贴并及时发放。"),
    (OpinionCategory.WELFARE, "{g}有困难群众反映低保申请程序复杂，希望简化办理、上门服务。"),
    (OpinionCategory.WELFARE, "高龄老人补贴发放不及时，希望按月足额发放。"),
    (OpinionCategory.EDUCATION, "村小学校车接送时间与放学时间不衔接，家长接送困难。"),
    (OpinionCategory.HEALTH, "村卫生室药品种类少，慢性病患者配药要跑镇上，希望增加常用药。"),
    (OpinionCategory.HEALTH, "希望家庭医生签约服务多上门，特别是行动不便的老人。"),
    (OpinionCategory.ENVIRONMENT, "{v}垃圾收集点清运不及时，夏季异味大，建议增加清运频次。"),
    (OpinionCategory.ENVIRONMENT, "河道漂浮物多，希望落实河长制定期保洁。"),
    (OpinionCategory.SAFETY, "{v}路口没有减速带和警示标志，车辆车速快，存在安全隐患。"),
    (OpinionCategory.ECONOMY, "希望引进企业或扶持合作社，增加村民家门口就业机会。"),
    (OpinionCategory.ECONOMY, "农产品销售渠道少，希望帮助对接电商平台。"),
    (OpinionCategory.OTHER, "希望村务公开更及时，重大事项多征求群众意见。"),
]
FOLLOW_UPS = ["已当场向群众解释有关政策。", "已向村委会反映，约定下月回访。", "已整理成意见，提交镇人大主席团。",
              "已联系有关站所了解情况，待答复后告知群众。", ""]
SUMMARIES = ["走访了解群众生产生活情况，宣传惠民政策。", "召开院坝会，听取群众对村里工作的意见。",
             "电话回访上次反映问题的群众，了解办理进展。", "在联络站接待来访选民。", "走访困难群众，了解帮扶需求。"]
UNIT_POSTS = [
    ("{v}村民委员会", "主任", Sector.FARMER), ("{v}党支部", "书记", Sector.CADRE), ("{v}村民委员会", "委员", Sector.FARMER),
    ("{v}村民小组", "组长", Sector.FARMER), ("{t}中心学校", "教师", Sector.PROFESSIONAL),
    ("{t}卫生院", "医生", Sector.PROFESSIONAL), ("{t}农业综合服务中心", "农技员", Sector.PROFESSIONAL),
    ("{t}人民政府", "副镇长", Sector.CADRE), ("{t}党委", "委员", Sector.CADRE),
    ("临川县{v}农业专业合作社", "理事长", Sector.BUSINESS), ("临川县{t}建材有限公司", "总经理", Sector.BUSINESS),
    ("{t}供电所", "电工", Sector.WORKER), ("临川县{t}食品厂", "职工", Sector.WORKER), ("个体工商户", "", Sector.OTHER),
    ("{v}", "种植大户", Sector.FARMER), ("{v}", "养殖户", Sector.FARMER),
]
TARGETS = {"青石镇": (1, 20, 10), "柳河乡": (2, 24, 0), "白沙街道": (1, 30, 12)}


def _numeral(n: int) -> str:
    from presidium.models import chinese_ordinal

    return chinese_ordinal(n)


def _id_number(rng: random.Random, birth: dt.date, gender: str) -> str:
    region = "3610" + f"{rng.randint(21, 30):02d}"
    sequence = rng.randint(10, 99) * 10 + (rng.choice([1, 3, 5, 7, 9]) if gender == Gender.MALE
                                            else rng.choice([0, 2, 4, 6, 8]))
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def _names(rng: random.Random, count: int, first: tuple[str, str] | None) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = [first] if first else []
    seen = {n for n, _g in names}
    while len(names) < count:
        gender = Gender.FEMALE if rng.random() < 0.32 else Gender.MALE
        pool = FEMALE_GIVEN if gender == Gender.FEMALE else MALE_GIVEN
        surname = "欧阳" if rng.random() < 0.01 else rng.choice(SURNAMES.replace("欧阳", ""))
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.75 else "")
        name = surname + given
        if name not in seen:
            seen.add(name)
            names.append((name, gender))
    return names


def _villages(township: Township) -> list[str]:
    names = list(HandlingUnit.objects.filter(township=township, kind="village").order_by("pk").values_list("name",
                                                                                                         flat=True))
    return names or [f"{township.name[:-1]}第{_numeral(i)}村" for i in range(1, 9)]


def seed_deputies(*, scale: int = 1, stdout=None) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for township in demo_townships().select_related("county").order_by("pk"):
        if township.current_term() is None:
            continue
        with transaction.atomic():
            _seed_township(township, scale=scale, by=admin)
    _link_demo_deputy(admin)


def _seed_township(township: Township, *, scale: int, by) -> None:
    rng = random.Random(f"deputies:{township.name}")
    villages = _villages(township)
    total = min(rng.randint(60, 130) * scale, 2000)
    first = ("冯国强", Gender.MALE) if township.name == "青石镇" else None
    names = _names(rng, total, first)
    existing = set(Deputy.objects.filter(township=township, term=township.current_term()).values_list("name",
                                                                                                      flat=True))

    # Organisation: big groups of small groups (one per village), stations, constituencies.
    big_count = 3 if len(villages) > 6 else 2
    bigs = [_group(township, f"第{_numeral(i)}代表大组", GroupKind.BIG, None, i, by) for i in range(1, big_count + 1)]
    smalls = [_group(township, f"{v.removesuffix('村').removesuffix('社区')}代表小组", GroupKind.SMALL,
                     bigs[i % big_count], 10 + i, by) for i, v in enumerate(villages)]
    home = _station(township, f"{township.name}人大代表之家", StationKind.HOME, StationLevel.TOWNSHIP, "", rng, by)
    village_stations = [_station(township, f"{v}代表联络站", StationKind.STATION, StationLevel.VILLAGE, v, rng, by)
                        for v in villages[: max(2, len(villages) // 2)]]
    constituencies: list[Constituency] = list(Constituency.objects.filter(
        township=township, term=township.current_term()).order_by("pk"))

    today = timezone.localdate()
    for index, (name, gender) in enumerate(names):
        if name in existing:
            continue
        village_index = index % len(villages)
        village = villages[village_index]
        birth = dt.date(rng.randint(1958, 1996), rng.randint(1, 12), rng.randint(1, 28))
        unit, post, sector = rng.choice(UNIT_POSTS)
        if index == 0 and first:
            unit, post, sector, birth = "{v}村民委员会", "主任", Sector.FARMER, dt.date(1972, 8, 16)
        level = rng.choices([DeputyLevel.TOWNSHIP, DeputyLevel.BOTH, DeputyLevel.COUNTY], [85, 8, 7])[0]
        fields = {
            "ethnicity": rng.choice(MINORITIES) if rng.random() < 0.05 else Ethnicity.HAN,
            "birth_date": birth,
            "affiliation": rng.choices(
                [PoliticalAffiliation.CPC_MEMBER, PoliticalAffiliation.CPC_PROBATIONARY, PoliticalAffiliation.MASSES,
                 PoliticalAffiliation.CYL_MEMBER, PoliticalAffiliation.NON_PARTY, PoliticalAffiliation.CDL,
                 PoliticalAffiliation.CAPD, PoliticalAffiliation.JS], [62, 2, 24, 4, 4, 2, 1, 1])[0],
            "education": rng.choices(list(Education.values), [2, 18, 30, 30, 17, 3])[0],
            "sector": sector,
            "work_unit": unit.format(v=village, t=township.name),
            "post": post,
            "mobile": f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            "id_number": _id_number(rng, birth, gender) if rng.random() < 0.85 else "",
            "address": f"{township.county.name}{township.name}{village}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
            "level": level,
            "elected_on": township.current_term().start_date,
            "group": smalls[village_index],
            "station": home if rng.random() < 0.3 else village_stations[village_index % len(village_stations)],
        }
        if level != DeputyLevel.COUNTY:
            fields["constituency"] = _constituency_with_room(township, constituencies, rng, village, by)
        services.deputy_create(township=township, by=by, name=name, gender=gender, **fields)

    if first:
        _link_demo_deputy(by)
    for group in smalls:
        _set_leaders(group, by)
    _station_staff(home, rng, by)
    for station in village_stations:
        _station_staff(station, rng, by)
    _targets(township, today, by)
    _visits(township, rng, scale, today, villages)
    _duty_records(township, rng, today, by)


def _group(township, name, kind, parent, order, by) -> DeputyGroup:
    group = DeputyGroup.objects.filter(township=township, term=township.current_term(), name=name).first()
    return group or services.deputy_group_create(township=township, by=by, name=name, kind=kind, parent=parent,
                                                 sort_order=order)


def _station(township, name, kind, level, village, rng, by) -> LiaisonStation:
    station = LiaisonStation.objects.filter(township=township, term=township.current_term(), name=name).first()
    if station:
        return station
    flags = {f: rng.random() < 0.8 for f in LiaisonStation.FIVE_HAS}
    return services.liaison_station_create(
        township=township, by=by, name=name, kind=kind, level=level, village=village,
        address=f"{township.name}{village or '人民政府'}{'村部' if village else '一楼'}",
        phone=f"0794-62{rng.randint(10000, 99999)}",
        reception_schedule="每月 15 日上午 9:00—12:00，代表轮流进站接待选民" if level == StationLevel.TOWNSHIP
        else "每月第一个星期三上午，本组代表进站接待",
        star_rating=rng.choice([3, 4, 4, 5]) if all(flags.values()) else rng.choice([None, 2, 3]), **flags,
    )


def _constituency_with_room(township, constituencies: list, rng, village: str, by) -> Constituency:
    for constituency in constituencies:
        if getattr(constituency, "_demo_used", None) is None:
            constituency._demo_used = constituency.deputies.count()
        if constituency._demo_used < constituency.seats:
            constituency._demo_used += 1
            return constituency
    number = len(constituencies) + 1
    constituency = services.constituency_create(township=township, by=by, name=f"第{_numeral(number)}选区",
                                                seats=rng.choice([2, 3, 3]), villages=f"{village}部分村民小组")
    constituency._demo_used = 1
    constituencies.append(constituency)
    return constituency


def _set_leaders(group: DeputyGroup, by) -> None:
    if group.leader_id:
        return
    members = list(group.members.filter(status="serving").order_by("pk")[:2])
    if len(members) == 2:
        services.deputy_group_update(group=group, by=by, leader=members[0], deputy_leader=members[1])


def _station_staff(station: LiaisonStation, rng, by) -> None:
    if station.staff.exists():
        return
    deputies = list(station.deputies.filter(status="serving").order_by("pk")[:2])
    if deputies:
        services.station_staff_add(station=station, by=by, role=StationStaffRole.HEAD, deputy=deputies[0])
    if len(deputies) > 1:
        services.station_staff_add(station=station, by=by, role=StationStaffRole.DEPUTY_HEAD, deputy=deputies[1])
    services.station_staff_add(station=station, by=by, role=StationStaffRole.LIAISON,
                               name=rng.choice(["刘晓燕", "陈志勇", "黄丽华", "周建新"]),
                               phone=f"139{rng.randint(10000000, 99999999)}")


def _targets(township: Township, today: dt.date, by) -> None:
    per_month, people, households = TARGETS.get(township.name, (1, 20, 0))
    for year in (today.year - 1, today.year):
        if not VisitTarget.objects.filter(township=township, year=year).exists():
            VisitTarget.objects.create(township=township, year=year, visits_per_month=per_month,
                                       people_per_year=people, households_per_year=households,
                                       set_by=by or User.objects.order_by("pk").first())


def _visits(township: Township, rng: random.Random, scale: int, today: dt.date, villages: list[str]) -> None:
    if Visit.objects.filter(township=township).exists():
        return  # seeded before: a second run adds nothing (idle deputies keep their empty year)
    deputies = list(Deputy.objects.filter(township=township, status="serving").select_related("user")
                    .order_by("pk"))
    recorder = User.objects.filter(role_assignments__township=township,
                                   role_assignments__role=Role.PRESIDIUM_STAFF).first()
    recorder = recorder or User.objects.filter(is_superuser=True).order_by("pk").first()
    visits: list[Visit] = []
    opinion_specs: list[tuple[int, list]] = []
    for deputy in deputies:
        diligence = rng.choices(["active", "steady", "idle"], [30, 60, 10])[0]
        if deputy.user_id:  # the demo deputy: a typical, visibly active record
            diligence = "steady"
        count = {"active": rng.randint(16, 28), "steady": rng.randint(11, 17), "idle": rng.randint(0, 2)}[diligence]
        count = int(count * (1 + (scale - 1) * 0.5))
        home_village = villages[(deputy.pk or 0) % len(villages)]
        for _n in range(count):
            day = today - dt.timedelta(days=rng.randint(0, 364))
            method = rng.choices(list(VisitMethod.values), [55, 15, 15, 12, 3])[0]
            households = rng.randint(1, 8) if method == VisitMethod.HOME else rng.randint(0, 3)
            people = max(1, households + rng.randint(0, 6)) if method != VisitMethod.FORUM else rng.randint(8, 30)
            village = home_village if rng.random() < 0.7 else rng.choice(villages)
            visits.append(Visit(
                township=township, deputy=deputy, visited_on=day, place=f"{village}{rng.randint(1, 9)}组",
                method=method, households=households, people=people, summary=rng.choice(SUMMARIES),
                follow_up=rng.choice(FOLLOW_UPS), recorded_by=deputy.user or recorder,
            ))
            picked = rng.sample(OPINIONS, k=rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0])
            opinion_specs.append((len(visits) - 1, [(cat, text.format(v=village, g=f"{rng.randint(1, 9)}组"))
                                                     for cat, text in picked]))
    if not visits:
        return
    for index, items in opinion_specs:
        visits[index].opinion_count = len(items)
    created = bulk_create_with_history(visits, Visit, batch_size=500)
    if created and created[0].pk is None:  # databases without RETURNING: read the ids back
        created = list(Visit.objects.filter(township=township).order_by("pk"))[-len(visits):]
    opinions = [
        VisitOpinion(visit=created[index], position=position, content=text, category=category,
                     raised_by=rng.choice(["村民", "群众", "种植户", "老党员", ""]))
        for index, items in opinion_specs for position, (category, text) in enumerate(items, start=1)
    ]
    bulk_create_with_history(opinions, VisitOpinion, batch_size=500)
    visit_years.fill(Visit.objects.filter(township=township))


def _duty_records(township: Township, rng: random.Random, today: dt.date, by) -> None:
    if DutyPledge.objects.filter(deputy__township=township).exists():
        return
    deputies = list(Deputy.objects.filter(township=township, status="serving").order_by("pk"))
    recorder = by or User.objects.order_by("pk").first()
    trainings = [("县人大常委会乡镇人大代表履职培训班", "临川县人大常委会", 8),
                 ("代表法、选举法专题学习", f"{township.name}人大主席团", 3),
                 ("民生实事项目票决制专题培训", "临川县人大常委会", 4)]
    for deputy in deputies:
        if rng.random() < 0.85:
            services.pledge_record(deputy=deputy, by=recorder, year=today.year,
                                   signed_on=min(dt.date(today.year, 1, 20), today),
                                   content="一、认真学习宪法和法律，按时参加人代会和代表活动；二、每月走访选民不少于一次，"
                                           "及时反映群众意见；三、积极参加代表小组活动和联络站接待；四、年底向选民述职，接受监督。")
        for title, organizer, hours in trainings:
            if rng.random() < 0.45:
                TrainingRecord.objects.create(deputy=deputy, attended_on=today - dt.timedelta(days=rng.randint(20, 300)),
                                              title=title, organizer=organizer, hours=hours, recorded_by=recorder)
        if rng.random() < 0.3:
            present = rng.randint(30, 60)
            excellent = rng.randint(present // 2, present - 2)
            competent = rng.randint(0, present - excellent)
            services.voter_report_record(deputy=deputy, by=recorder, year=today.year - 1,
                                         reported_on=dt.date(today.year - 1, 12, rng.randint(1, 28)),
                                         place=f"{deputy.group.name if deputy.group_id else township.name}活动室",
                                         voters_present=present, excellent=excellent, competent=competent)
        if rng.random() < 0.9:
            services.assessment_record(deputy=deputy, by=recorder, year=today.year - 1,
                                       grade=rng.choices(list(AssessmentGrade.values), [25, 65, 8, 2])[0],
                                       assessed_on=min(dt.date(today.year, 1, 10), today))
        if rng.random() < 0.06:
            services.award_add(deputy=deputy, by=recorder, awarded_on=dt.date(today.year - 1, 12, 20),
                               title="优秀人大代表", conferred_by=f"{township.name}人大主席团")


def _link_demo_deputy(admin) -> None:
    user = User.objects.filter(username="deputy").first()
    deputy = Deputy.objects.filter(township__name="青石镇", name="冯国强").order_by("pk").first()
    if user is None or deputy is None or deputy.user_id == user.pk:
        return
    services.deputy_link_user(deputy=deputy, by=admin, user=user)
