"""Deputies of a scale township with their organisation: groups, stations and staff, constituencies, accounts."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from deputies.choices import (
    TOWNSHIP_SEAT_LEVELS,
    DeputyLevel,
    DeputyStatus,
    Education,
    Ethnicity,
    GroupKind,
    PoliticalAffiliation,
    StationKind,
    StationLevel,
    StationStaffRole,
)
from deputies.demo import MINORITIES, UNIT_POSTS, _id_number, _names, _numeral
from deputies.models import (
    Constituency,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    LiaisonStation,
    StationStaff,
)
from deputies.services.registry import prepare_fields
from presidium.choices import HandlingUnitKind, Role
from presidium.scale import ScalePlan, ScaleTownship
from presidium.scale.org import ensure_users, grant_roles
from presidium.sorting import natural_sort_key

DEPARTED_SHARE = 0.04
DEPARTURES = [
    (DeputyStatus.RESIGNED, "本人书面提出辞去代表职务，经主席团会议接受。"),
    (DeputyStatus.MOVED_AWAY, "工作调动迁出本行政区域，代表资格自行终止。"),
    (DeputyStatus.DECEASED, "因病去世。"),
]
LIAISONS = ["刘晓燕", "陈志勇", "黄丽华", "周建新"]


@dataclass
class Roster:
    """What the visits and duty builders need of the township's deputies, without reading them back."""

    deputies: list[Deputy] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)
    home_village: dict[int, str] = field(default_factory=dict)  # deputy pk → village


def build_roster(plan: ScalePlan, built: ScaleTownship) -> Roster:
    township, term = built.township, built.term
    rng = plan.rng("deputies", township.name)
    villages = [u.name for u in built.units if u.kind == HandlingUnitKind.VILLAGE] or [
        f"{township.name[:-1]}第{_numeral(i)}村" for i in range(1, 9)]
    registered = plan.at(min(term.start_date + dt.timedelta(days=20), plan.today), 10)

    smalls = _groups(plan, built, villages)
    home, stations = _stations(plan, built, villages, rng)

    names = _names(rng, plan.deputies, None)
    usernames = [f"{built.prefix}_d{n:04d}" for n in range(1, len(names) + 1)]
    users = ensure_users(plan, [(username, name) for username, (name, _g) in zip(usernames, names, strict=True)])

    deputies: list[Deputy] = []
    constituencies: list[Constituency] = []
    free_seats = 0
    digests: set[str] = set()
    home_villages: list[str] = []
    for index, ((name, gender), username) in enumerate(zip(names, usernames, strict=True)):
        village_index = index % len(villages)
        village = villages[village_index]
        birth = dt.date(rng.randint(1958, 1996), rng.randint(1, 12), rng.randint(1, 28))
        unit, post, sector = rng.choice(UNIT_POSTS)
        level = rng.choices([DeputyLevel.TOWNSHIP, DeputyLevel.BOTH, DeputyLevel.COUNTY], [85, 8, 7])[0]
        deputy = Deputy(
            township=township, term=term, name=name, gender=gender,
            ethnicity=rng.choice(MINORITIES) if rng.random() < 0.05 else Ethnicity.HAN,
            birth_date=birth,
            affiliation=rng.choices(
                [PoliticalAffiliation.CPC_MEMBER, PoliticalAffiliation.CPC_PROBATIONARY, PoliticalAffiliation.MASSES,
                 PoliticalAffiliation.CYL_MEMBER, PoliticalAffiliation.NON_PARTY, PoliticalAffiliation.CDL,
                 PoliticalAffiliation.CAPD, PoliticalAffiliation.JS], [62, 2, 24, 4, 4, 2, 1, 1])[0],
            education=rng.choices(list(Education.values), [2, 18, 30, 30, 17, 3])[0],
            sector=sector, work_unit=unit.format(v=village, t=township.name), post=post,
            mobile=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            id_number=_id_number(rng, birth, gender) if rng.random() < 0.85 else "",
            address=f"{township.county.name}{township.name}{village}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
            level=level, elected_on=term.start_date, group=smalls[village_index],
            station=home if rng.random() < 0.3 else stations[village_index % len(stations)],
            user=users[username], created_at=registered, updated_at=registered,
        )
        if level in TOWNSHIP_SEAT_LEVELS:
            if free_seats == 0:  # a new constituency of two or three seats, as the demo registers them
                number = len(constituencies) + 1
                name_c = f"第{_numeral(number)}选区"
                free_seats = rng.choice([2, 3, 3])
                constituencies.append(Constituency(township=township, term=term, name=name_c,
                                                   name_sort_key=natural_sort_key(name_c), seats=free_seats,
                                                   villages=f"{village}部分村民小组"))
            deputy.constituency = constituencies[-1]
            free_seats -= 1
        errors = prepare_fields(deputy)  # the service's own normalisation and derived fields
        if deputy.id_number_digest in digests:
            errors.setdefault("id_number", []).append("duplicate")
        if errors:
            raise ValueError(f"scale deputy {name} of {township}: {errors}")
        if deputy.id_number_digest:
            digests.add(deputy.id_number_digest)
        deputies.append(deputy)
        home_villages.append(village)

    # A few departures during the term, each with its status change (constraint deputy_departure_dated).
    departed = rng.sample(range(len(deputies)), k=round(len(deputies) * DEPARTED_SHARE))
    changes = []
    for index in departed:
        deputy = deputies[index]
        status, reason = rng.choice(DEPARTURES)
        day = plan.random_day(rng, term.start_date + dt.timedelta(days=120), plan.today - dt.timedelta(days=30))
        deputy.status, deputy.status_since, deputy.status_reason = status, day, reason
        deputy.updated_at = plan.at(day, 16)
        changes.append(DeputyStatusChange(deputy=deputy, from_status=DeputyStatus.SERVING, to_status=status,
                                          effective_on=day, reason=reason, recorded_by=built.staff,
                                          recorded_at=plan.at(day, 16)))

    plan.bulk(Constituency, constituencies)
    deputies = plan.bulk(Deputy, deputies)
    plan.bulk(DeputyStatusChange, changes)
    grant_roles(plan, [(deputy.user, Role.DEPUTY, {"township": township}) for deputy in deputies])
    _leaders_and_staff(plan, smalls, [home, *stations], deputies, rng)
    return Roster(deputies=deputies, villages=villages,
                  home_village={d.pk: v for d, v in zip(deputies, home_villages, strict=True)})


def _groups(plan: ScalePlan, built: ScaleTownship, villages: list[str]) -> list[DeputyGroup]:
    """Two or three big groups, and one small group per village under them; returns the small groups."""
    big_count = 3 if len(villages) > 6 else 2
    township, term = built.township, built.term
    bigs = [DeputyGroup(township=township, term=term, name=f"第{_numeral(i)}代表大组", kind=GroupKind.BIG,
                        sort_order=i) for i in range(1, big_count + 1)]
    for group in bigs:
        group.name_sort_key = natural_sort_key(group.name)
    bigs = plan.bulk(DeputyGroup, bigs)
    smalls = []
    for i, village in enumerate(villages):
        name = f"{village.removesuffix('村').removesuffix('社区')}代表小组"
        smalls.append(DeputyGroup(township=township, term=term, name=name, name_sort_key=natural_sort_key(name),
                                  kind=GroupKind.SMALL, parent=bigs[i % big_count], sort_order=10 + i))
    return plan.bulk(DeputyGroup, smalls)


def _stations(plan: ScalePlan, built: ScaleTownship, villages: list[str],
              rng: random.Random) -> tuple[LiaisonStation, list[LiaisonStation]]:
    township, term = built.township, built.term

    def station(name: str, kind: str, level: str, village: str) -> LiaisonStation:
        flags = {f: rng.random() < 0.8 for f in LiaisonStation.FIVE_HAS}
        return LiaisonStation(
            township=township, term=term, name=name, kind=kind, level=level, village=village,
            address=f"{township.name}{village or '人民政府'}{'村部' if village else '一楼'}",
            phone=f"0794-62{rng.randint(10000, 99999)}",
            reception_schedule="每月 15 日上午 9:00—12:00，代表轮流进站接待选民" if level == StationLevel.TOWNSHIP
            else "每月第一个星期三上午，本组代表进站接待",
            star_rating=rng.choice([3, 4, 4, 5]) if all(flags.values()) else rng.choice([None, 2, 3]), **flags)

    made = plan.bulk(LiaisonStation, [
        station(f"{township.name}人大代表之家", StationKind.HOME, StationLevel.TOWNSHIP, ""),
        *(station(f"{v}代表联络站", StationKind.STATION, StationLevel.VILLAGE, v)
          for v in villages[: max(2, len(villages) // 2)])])
    return made[0], made[1:]


def _leaders_and_staff(plan: ScalePlan, groups: list[DeputyGroup], stations: list[LiaisonStation],
                       deputies: list[Deputy], rng: random.Random) -> None:
    """Each small group led by two of its serving members; each station a head, a deputy head and a liaison."""
    serving = [d for d in deputies if d.status == DeputyStatus.SERVING]
    led = []
    for group in groups:
        members = [d for d in serving if d.group_id == group.pk][:2]
        if len(members) == 2:
            group.leader, group.deputy_leader = members
            led.append(group)
    DeputyGroup.objects.bulk_update(led, ["leader", "deputy_leader"])
    staff = []
    for station in stations:
        members = [d for d in serving if d.station_id == station.pk][:2]
        for role, deputy in zip((StationStaffRole.HEAD, StationStaffRole.DEPUTY_HEAD), members, strict=False):
            staff.append(StationStaff(station=station, role=role, name=deputy.name, deputy=deputy))
        staff.append(StationStaff(station=station, role=StationStaffRole.LIAISON, name=rng.choice(LIAISONS),
                                  phone=f"139{rng.randint(10000000, 99999999)}"))
    plan.bulk(StationStaff, staff)

