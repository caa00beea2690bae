"""Demo data: per township a year of motions and suggestions in every state, some overdue (× scale).

Every item goes through the real services (so numbers, deadlines, reminders and the timeline are
what the portal would make); afterwards its timestamps are moved back to spread the year — demo data
only, which is why this is the one place that writes timestamps with ``update()``. Idempotent: a
township that already has items is left alone. Deterministic: seeded by the township's id.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from deputies.choices import DeputyStatus
from deputies.models import Deputy
from presidium.demo import demo_townships
from presidium.models import HandlingUnit, Township, User
from proposals import services
from proposals.models import Consultation, Rating, Reply, Suggestion, SuggestionLog

TITLES = [
    ("关于修缮{v}三组村道的建议", "村道年久失修，雨天泥泞，群众出行和农产品运输困难。"),
    ("关于解决{v}夏季饮水不足的建议", "每年七八月用水高峰，高处农户经常停水。"),
    ("关于在{v}增设路灯的建议", "村口至小学一段没有路灯，学生和老人夜间出行不安全。"),
    ("关于加强{v}垃圾清运的建议", "垃圾收集点清运不及时，夏季异味大。"),
    ("关于{v}卫生室配备常用药品的建议", "村卫生室常用慢性病药品经常断供。"),
    ("关于整治{v}河道淤积的建议", "河道淤积严重，汛期存在漫堤风险。"),
    ("关于{v}农田水利设施维护的建议", "灌溉渠多处破损，影响春灌。"),
    ("关于规范集镇摊点经营秩序的建议", "赶集日摊点占道经营，交通拥堵。"),
    ("关于提高高龄老人补贴发放效率的建议", "部分高龄老人补贴发放滞后两个月以上。"),
    ("关于中心学校增设校车站点的建议", "偏远村组学生上学路程远。"),
    ("关于扶持{v}特色种植产业的建议", "本村油茶种植已有基础，缺少技术指导和销售渠道。"),
    ("关于加快{v}危房改造进度的建议", "仍有三户住房存在安全隐患。"),
]
REPLIES = {
    "A": "经研究，已安排专项资金完成整改，并请代表现场查看。",
    "B": "已列入明年项目计划，资金落实后即组织实施。",
    "C": "因涉及上级审批和资金限制，目前暂不能解决，已向代表作了解释，将积极争取。",
}
# (target, weight, overdue): how one township's items are spread over the states.
PLAN = [
    ("draft", 2, False), ("submitted", 3, False), ("registered", 3, False), ("assigned", 3, False),
    ("assigned", 2, True), ("in_handling", 4, False), ("in_handling", 3, True), ("replied", 4, False),
    ("rehandling", 2, False), ("rated", 2, False), ("closed", 8, False), ("closed_with_reason", 1, False),
    ("withdrawn", 1, False), ("motion_on_agenda", 1, False), ("motion_not_on_agenda", 1, False),
    # 申请退办 and 改办, assigned today (not backdated): the limit counts from the assignment.
    ("hand_back_pending", 1, False), ("hand_back_pending_own", 1, False), ("hand_back_approved", 1, False),
    ("assigned_fresh", 1, False),
]
HAND_BACK_TARGETS = {"hand_back_pending", "hand_back_pending_own", "hand_back_approved", "assigned_fresh"}
HAND_BACK_REASONS = [
    "经核实，该事项不在本单位职责范围内，本单位没有相应的资金渠道，按职责分工应由{unit}办理。",
    "建议所涉设施不归本单位管理，按职责分工应由{unit}办理。",
]


def seed_proposals(*, scale: int = 1, stdout=None) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        return
    for township in demo_townships().order_by("pk"):
        if Suggestion.objects.filter(township=township).exists():
            continue
        _seed_township(township, scale=scale, by=admin)


def _seed_township(township: Township, *, scale: int, by) -> None:
    rng = random.Random(township.pk * 7919)
    deputies = list(Deputy.objects.filter(township=township, status=DeputyStatus.SERVING).order_by("pk"))
    units = list(HandlingUnit.objects.filter(township=township, is_active=True).order_by("pk"))
    if len(deputies) < 6 or not units:
        return
    services.categories_ensure(township=township)
    demo_deputy = next((d for d in deputies if d.user_id and d.user.username == "deputy"), None)
    finance = next((u for u in units if u.name == "财政所"), units[0])
    today = timezone.localdate()
    plan = [(target, overdue) for target, weight, overdue in PLAN for _ in range(weight * scale)]
    for index, (target, overdue) in enumerate(plan):
        lead = demo_deputy if demo_deputy and index % 6 == 0 else rng.choice(deputies)
        unit = finance if index % 5 == 0 else rng.choice(units)
        if overdue:
            day0 = today - dt.timedelta(days=rng.randint(120, 240))
        elif target in ("assigned", "in_handling", "registered", "submitted", "draft"):
            day0 = today - dt.timedelta(days=rng.randint(3, 40))
        else:
            day0 = today - dt.timedelta(days=rng.randint(60, 330))
        try:
            _one(township, target, lead, unit, day0, rng, deputies, by)
        except Exception as error:  # noqa: BLE001 — one odd item must not stop the demo
            import logging

            logging.getLogger(__name__).warning("demo item %s (%s) skipped: %s", index, target, error)


def _one(township, target, lead, unit, day0: dt.date, rng, deputies, by) -> None:
    title, content = rng.choice(TITLES)
    village = rng.choice(["东风村", "红旗村", "新华村", "光明村", "太平村", "石桥村", "长岭村"])
    categories = services.categories_ensure(township=township)
    is_motion = target.startswith("motion")
    if is_motion:
        item = services.suggestion_create(
            township=township, by=by, kind="motion", submitter_kind="presidium", category=categories[0],
            title="关于实施年度民生实事项目的议案" if target.endswith("_agenda") and "not" not in target
            else "关于调整集镇规划的议案", content="为办好群众最关心的实事，提请大会审议。", raised_during="session",
            session_name="第十八届人民代表大会第五次会议")
    else:
        cosigners = [d for d in rng.sample(deputies, 2) if d.pk != lead.pk]
        item = services.suggestion_create(
            township=township, by=by, title=title.format(v=village), content=content, category=rng.choice(categories),
            lead_deputy=lead, cosigners=cosigners, raised_during=rng.choice(["recess", "recess", "session"]),
            session_name="第十八届人民代表大会第五次会议")
    if target == "draft":
        return _backdate(item, day0)
    services.suggestion_submit(suggestion=item, by=by)
    if target == "withdrawn":
        services.suggestion_withdraw(suggestion=item, by=by, reason="代表已另行反映")
        return _backdate(item, day0)
    if target == "submitted":
        return _backdate(item, day0)
    for cosignature in item.cosignatures.all():
        services.cosignature_confirm(cosignature=cosignature, by=by)
    item = services.suggestion_register(suggestion=item, by=by)
    if target == "registered":
        return _backdate(item, day0)
    if is_motion:
        decision = "placed" if target == "motion_on_agenda" else "not_placed"
        services.suggestion_decide_agenda(suggestion=item, by=by, decision=decision,
                                          reason="" if decision == "placed" else "条件尚不成熟，作为建议交政府研究")
        return _backdate(item, day0)
    if target in HAND_BACK_TARGETS:
        return _hand_back(item, target, township, rng, by)
    start = day0 + dt.timedelta(days=4)
    item = services.suggestion_assign(
        suggestion=item, by=by, lead_unit=unit, supervision_mode=rng.choice(["routine", "routine", "follow_up",
                                                                             "on_site", "return_visit"]),
        is_key=rng.random() < 0.15, leading_leader="王建国", start=start,
        responsible_leader=unit.responsible_leader)
    if rng.random() < 0.4:
        services.suggestion_set_public(suggestion=item, by=by, is_public=True)
    if target == "assigned":
        return _backdate(item, day0)
    held_on = timezone.localdate()
    services.consultation_record(suggestion=item, by=by, stage="after_assignment",
                                 form=rng.choice(["face_to_face", "phone", "on_site"]), held_on=held_on,
                                 participants=f"{lead.name}、{unit.name}负责人", summary="听取代表意见，商量办理办法。")
    if target == "in_handling":
        return _backdate(item, day0)
    cls = rng.choice(["A", "A", "A", "B", "C"])
    reply = services.reply_submit(
        suggestion=item, by=by, text=REPLIES[cls], result_class=cls, signed_by=unit.responsible_leader,
        promised_date=timezone.localdate() + dt.timedelta(days=90) if cls == "B" else None,
        reason="资金和政策限制" if cls == "C" else "")
    if target == "replied":
        return _backdate(item, day0, reply=reply)
    if target == "rehandling":
        services.suggestion_rate(suggestion=item, by=by, work_grade="basic", result_grade="unsatisfied",
                                 comment="问题没有根本解决")
        return _backdate(item, day0, reply=reply)
    if target == "closed_with_reason":
        services.suggestion_close_with_reason(suggestion=item, by=by, reason="经主席团研究，已作充分解释，予以办结")
        return _backdate(item, day0, reply=reply)
    grade = rng.choice(["satisfied", "satisfied", "basic"])
    services.suggestion_rate(suggestion=item, by=by, work_grade="satisfied", result_grade=grade)
    if target == "closed":
        services.suggestion_close(suggestion=item, by=by)
    return _backdate(item, day0, reply=reply)


def _hand_back(item: Suggestion, target: str, township: Township, rng, by) -> None:
    """A registered item assigned today; the unit asks to hand it back, and for one staff approve (改办)."""
    from proposals.selectors import township_staff, unit_liaisons

    units = list(HandlingUnit.objects.filter(township=township, is_active=True).order_by("pk"))
    finance = next((u for u in units if u.name == "财政所"), units[0])
    others = [u for u in units if u.pk != finance.pk]
    first = finance if target in ("hand_back_pending_own", "assigned_fresh") else rng.choice(others)
    item = services.suggestion_assign(suggestion=item, by=by, lead_unit=first, supervision_mode="routine",
                                      responsible_leader=first.responsible_leader)
    if target == "assigned_fresh":
        return
    liaison = unit_liaisons([first.pk]).first() or by
    suggested = rng.choice([u for u in units if u.pk != first.pk])
    reason = rng.choice(HAND_BACK_REASONS).format(unit=suggested.name)
    request = services.suggestion_hand_back_request(suggestion=item, by=liaison, reason=reason,
                                                    suggested_unit=suggested)
    if target == "hand_back_approved":
        staff = township_staff(township.pk).first() or by
        services.suggestion_hand_back_decide(request=request, by=staff, approve=True, lead_unit=finance,
                                             note="经核实，改交财政所主办。")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(item: Suggestion, day0: dt.date, reply: Reply | None = None) -> None:
    """Spread the item's steps over the weeks after ``day0`` (demo only; see the module docstring)."""
    item.refresh_from_db()
    offsets = {"submitted_at": 0, "registered_at": 2, "assigned_at": 4, "accepted_at": 8, "first_consulted_at": 10,
               "last_consulted_at": 10, "first_replied_at": 40, "last_replied_at": 40, "closed_at": 48,
               "agenda_decided_at": 3}
    changes = {name: _at(day0 + dt.timedelta(days=days)) for name, days in offsets.items()
               if getattr(item, name) is not None}
    if reply is not None and item.deadline_start:
        replied_on = day0 + dt.timedelta(days=40)
        changes["first_reply_on_time"] = replied_on <= (reply.deadline_at_reply or replied_on)
        Reply.objects.filter(pk=reply.pk).update(submitted_at=_at(replied_on), on_time=changes["first_reply_on_time"])
        Rating.objects.filter(suggestion=item).update(rated_at=_at(day0 + dt.timedelta(days=45)))
    Suggestion.objects.filter(pk=item.pk).update(created_at=_at(day0, 9), **changes)
    Consultation.objects.filter(suggestion=item).update(held_on=day0 + dt.timedelta(days=10),
                                                        recorded_at=_at(day0 + dt.timedelta(days=10)))
    shift = timezone.now() - _at(day0, 9)
    SuggestionLog.objects.filter(suggestion=item).update(at=F("at") - shift)
