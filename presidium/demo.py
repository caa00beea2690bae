"""Demo data for the floor: one county, three townships, terms, presidium, ~40 handling units each,
and one account per role. Deterministic and idempotent (natural keys, get-or-create).

Higher apps add their steps with ``presidium.registry.register_demo_step``; ``seed_demo`` runs all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from presidium import services
from presidium.choices import HandlingUnitKind, PresidiumPosition, Role
from presidium.models import County, HandlingUnit, PresidiumMembership, Term, Township, User

DEMO_PASSWORD = "Renda2026!"
COUNTY_NAME = "临川县"
TOWNSHIPS = [("青石镇", "town"), ("柳河乡", "township"), ("白沙街道", "subdistrict")]

OFFICES = [
    ("党政综合办公室", "government_office"), ("经济发展办公室", "government_office"),
    ("社会事务办公室", "government_office"), ("综合行政执法队", "government_office"),
    ("乡村振兴办公室", "government_office"), ("应急管理办公室", "government_office"),
    ("便民服务中心", "government_office"), ("综治中心", "government_office"),
    ("财政所", "station"), ("派出所", "station"), ("畜牧兽医站", "station"), ("农业综合服务中心", "station"),
    ("自然资源所", "station"), ("市场监管所", "station"), ("司法所", "station"), ("水利站", "station"),
    ("林业站", "station"), ("文化站", "station"), ("社保所", "station"), ("税务所", "station"),
    ("交通管理站", "station"), ("退役军人服务站", "station"), ("中心学校", "enterprise"),
    ("卫生院", "enterprise"), ("供电所", "enterprise"), ("邮政所", "enterprise"), ("农村信用社", "enterprise"),
    ("自来水厂", "enterprise"), ("电信营业部", "enterprise"),
]
VILLAGE_STEMS = ["东风", "红旗", "新华", "光明", "太平", "和平", "幸福", "长岭", "石桥", "杨柳", "高坪", "龙泉", "清水"]
LEADERS = ["王建国", "李红梅", "张志强", "刘德华", "陈晓东", "杨秀英", "赵文斌", "黄丽娟"]
# 主席团成员: seven per township (主席, 副主席, five members), distinct names across townships.
MEMBER_SURNAMES = "孙罗林梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
MEMBER_GIVEN = ["建平", "秀兰", "志明", "海燕", "国华", "丽萍", "文斌", "春梅", "德胜", "玉芳", "永红"]


def presidium_member_names(index: int) -> list[str]:
    """The seven presidium members of the ``index``-th township (0-based): a plausible, distinct name each."""
    return [MEMBER_SURNAMES[(index * 7 + n) % len(MEMBER_SURNAMES)] + MEMBER_GIVEN[(index * 3 + n * 5) % len(MEMBER_GIVEN)]
            for n in range(7)]


def demo_townships():
    """The demo's own three townships: the demo steps fill these only (``seed_demo --scale`` fills the rest)."""
    return Township.objects.filter(county__name=COUNTY_NAME, name__in=[name for name, _ in TOWNSHIPS])


@dataclass(frozen=True)
class DemoAccount:
    username: str
    real_name: str
    role: Role
    note: str


DEMO_ACCOUNTS = [
    DemoAccount("county_admin", "周立新", Role.COUNTY_ADMIN, "临川县人大常委会 管理员"),
    DemoAccount("reviewer", "吴海燕", Role.COUNTY_REVIEWER, "临川县人大常委会 审阅人"),
    DemoAccount("chair", "孙建平", Role.PRESIDIUM_CHAIR, "青石镇 人大主席"),
    DemoAccount("staff", "钱晓梅", Role.PRESIDIUM_STAFF, "青石镇 人大办工作人员"),
    DemoAccount("staff_liuhe", "郑海涛", Role.PRESIDIUM_STAFF, "柳河乡 人大办工作人员"),
    DemoAccount("deputy", "冯国强", Role.DEPUTY, "青石镇 人大代表"),
    DemoAccount("liaison", "何静", Role.UNIT_LIAISON, "青石镇 财政所 联络员"),
]


def _township_units(township: Township) -> list[tuple[str, str]]:
    stems = VILLAGE_STEMS[: 11 if township.kind != "subdistrict" else 0]
    villages = [(f"{stem}{'社区' if township.kind == 'subdistrict' else '村'}", "village") for stem in stems]
    if township.kind == "subdistrict":
        villages = [(f"{stem}社区", "village") for stem in VILLAGE_STEMS[:11]]
    return OFFICES + villages


def seed_organisation(*, scale: int = 1, stdout=None) -> None:
    county, _ = County.objects.get_or_create(name=COUNTY_NAME, defaults={"code": "361099"})
    names = list(TOWNSHIPS)  # more townships for benchmarks: seed_demo --scale county (presidium.scale)
    for index, (name, kind) in enumerate(names):
        township, _ = Township.objects.get_or_create(county=county, name=name, defaults={"kind": kind})
        term, created = Term.objects.get_or_create(
            township=township, ordinal=18,
            defaults={"start_date": dt.date(2021, 12, 28), "end_date": dt.date(2026, 12, 27), "is_current": True},
        )
        if created:
            positions = [PresidiumPosition.CHAIR, PresidiumPosition.VICE_CHAIR] + [PresidiumPosition.MEMBER] * 5
            for name_, position in zip(presidium_member_names(index), positions, strict=True):
                PresidiumMembership.objects.create(term=term, name=name_, position=position,
                                                   since=dt.date(2021, 12, 28))
        existing = set(HandlingUnit.objects.filter(township=township).values_list("name", flat=True))
        for n, (unit_name, unit_kind) in enumerate(_township_units(township)):
            if unit_name in existing:
                continue
            HandlingUnit.objects.create(
                township=township, name=unit_name, kind=HandlingUnitKind(unit_kind),
                responsible_leader=LEADERS[n % len(LEADERS)], contact_person=LEADERS[(n + 3) % len(LEADERS)],
                contact_phone=f"0794-{6200000 + index * 1000 + n}",
            )
    seed_accounts(stdout=stdout)


def seed_accounts(*, stdout=None) -> None:
    county = County.objects.get(name=COUNTY_NAME)
    qingshi = Township.objects.get(county=county, name="青石镇")
    liuhe = Township.objects.get(county=county, name="柳河乡")
    finance = HandlingUnit.objects.get(township=qingshi, name="财政所")
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username, real_name=account.real_name,
                        email=f"{account.username}@example.invalid")
            user.set_password(DEMO_PASSWORD)
            user.save()
        township = liuhe if account.username == "staff_liuhe" else qingshi
        scope = {
            Role.COUNTY_ADMIN: {"county": county}, Role.COUNTY_REVIEWER: {"county": county},
            Role.UNIT_LIAISON: {"handling_unit": finance},
        }.get(account.role, {"township": township})
        services.role_grant(by=None, user=user, role=account.role, **scope)
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD, real_name="系统管理员")
