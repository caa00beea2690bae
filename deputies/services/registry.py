"""State changes of the registry: deputies, their status, constituencies, groups, stations.

Every function is keyword-only, checks its rule, validates, writes inside one transaction and
records who did it (``by``, kept by django-simple-history), and returns the object.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies import pii
from deputies.choices import (
    STATUS_TRANSITIONS,
    TOWNSHIP_SEAT_LEVELS,
    DeputyStatus,
    GroupKind,
    StationStaffRole,
)
from deputies.models import (
    Constituency,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    LiaisonStation,
    PersonalDataAccess,
    StationStaff,
)
from deputies.services.common import lock, same_township, save
from presidium.choices import Role
from presidium.documents.uploads import clean_image
from presidium.pinyin import name_initials, name_pinyin
from presidium.sorting import natural_sort_key

DEPUTY_FIELDS = (
    "term", "name", "gender", "ethnicity", "birth_date", "affiliation", "education", "sector", "work_unit", "post",
    "mobile", "id_number", "address", "level", "higher_level", "elected_on", "constituency", "group", "station",
    "note",
)
TEXT_FIELDS = ("name", "work_unit", "post", "mobile", "address", "note")
_NAME_SHAPE = re.compile(r"^[\u3400-\u9fffA-Za-z·•.\s]{2,30}$")
MINIMUM_AGE = 18  # 宪法第三十四条：年满十八周岁的公民有选举权和被选举权


_CURRENT = object()  # "the township's current term", the default of the create functions


def _term_of(township, term):
    if term is _CURRENT:
        return township.current_term()
    if term is not None and term.township_id != township.pk:
        raise ValidationError({"term": _("所选届次不属于本乡镇。")})
    return term


def _same_term(term_id, *objects) -> None:
    """Rows of one term go together: a group of the 19th term holds no deputy of the 18th (a form could be tampered with)."""
    for obj in objects:
        if obj is not None and term_id and obj.term_id and obj.term_id != term_id:
            raise ValidationError(_("所选“%(obj)s”属于另一届，请选择本届的。") % {"obj": obj})


def _check_unknown(fields: dict) -> None:
    unknown = set(fields) - set(DEPUTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown deputy fields: {sorted(unknown)}")


def _prepare(deputy: Deputy) -> None:
    """Normalise and check a deputy before saving; derive pinyin and the ID digest."""
    errors = prepare_fields(deputy)
    if errors:
        raise ValidationError(errors)

    if deputy.id_number_digest:
        clash = Deputy.objects.filter(township_id=deputy.township_id, term=deputy.term,
                                      id_number_digest=deputy.id_number_digest).exclude(pk=deputy.pk).first()
        if clash:
            raise ValidationError({"id_number": _("本届已登记过这个身份证号码（%(name)s），请勿重复登记。")
                                   % {"name": clash.name}})
    _check_constituency_seats(deputy)


def prepare_fields(deputy: Deputy) -> dict[str, list[str]]:
    """The part of :func:`_prepare` that needs no query: normalise the text, derive pinyin, initials, the
    ID digest and the birth date from the ID number, and return the errors found (empty when none).

    The scale builder (``deputies.scale``) calls it for every deputy it writes in bulk, so bulk-made
    deputies carry exactly the derived fields the services give them.
    """
    for field in TEXT_FIELDS:
        setattr(deputy, field, (getattr(deputy, field) or "").strip())
    deputy.name = deputy.name.replace("•", "·").replace(" ", "")
    errors: dict[str, list[str]] = {}
    if not _NAME_SHAPE.match(deputy.name):
        errors.setdefault("name", []).append(_("姓名应为 2–30 个汉字（少数民族姓名可用“·”分隔），不能含数字或符号。"))
    deputy.name_pinyin = name_pinyin(deputy.name)
    deputy.name_initials = name_initials(deputy.name)
    deputy.mobile = re.sub(r"[\s\-]", "", deputy.mobile)

    deputy.id_number = pii.normalize_id_number(deputy.id_number)
    if deputy.id_number:
        try:
            deputy.id_number = pii.validate_id_number(deputy.id_number)
        except ValidationError as error:
            errors.setdefault("id_number", []).extend(error.messages)
        else:
            born = pii.birth_date_from_id(deputy.id_number)
            if deputy.birth_date and (deputy.birth_date.year, deputy.birth_date.month) != (born.year, born.month):
                errors.setdefault("birth_date", []).append(
                    _("出生年月（%(given)s）与身份证号码中的出生日期（%(born)s）不一致。")
                    % {"given": deputy.birth_date.strftime("%Y.%m"), "born": born.strftime("%Y.%m.%d")}
                )
            else:
                deputy.birth_date = born
            if deputy.gender and deputy.gender != pii.gender_from_id(deputy.id_number):
                errors.setdefault("gender", []).append(_("性别与身份证号码（第 17 位）不一致。"))
    deputy.id_number_digest = pii.id_number_digest(deputy.id_number)

    today = timezone.localdate()
    if deputy.birth_date:
        if deputy.birth_date > today:
            errors.setdefault("birth_date", []).append(_("出生日期不能晚于今天。"))
        elif deputy.age_on(deputy.elected_on or today) < MINIMUM_AGE:
            errors.setdefault("birth_date", []).append(_("代表当选时应年满十八周岁，请核对出生日期。"))
    if deputy.elected_on and deputy.elected_on > today:
        errors.setdefault("elected_on", []).append(_("当选日期不能晚于今天。"))

    for field in ("term", "constituency", "group", "station"):
        related = getattr(deputy, field)
        if related is not None and related.township_id != deputy.township_id:
            errors.setdefault(field, []).append(_("所选项目不属于本乡镇。"))
        elif field != "term" and related is not None and related.term_id and deputy.term_id \
                and related.term_id != deputy.term_id:
            errors.setdefault(field, []).append(_("所选“%(obj)s”属于另一届，请选择本届的。") % {"obj": related})
    if deputy.group is not None and deputy.group.kind != GroupKind.SMALL:
        errors.setdefault("group", []).append(_("代表应编入代表小组；代表大组由若干小组组成，不能直接编入。"))
    return errors


def _check_constituency_seats(deputy: Deputy) -> None:
    """A constituency elects at most its seats (one to three): say so clearly when exceeded."""
    constituency = deputy.constituency
    if constituency is None or deputy.status != DeputyStatus.SERVING or deputy.level not in TOWNSHIP_SEAT_LEVELS:
        return
    others = list(
        Deputy.objects.filter(constituency=constituency, status=DeputyStatus.SERVING, level__in=TOWNSHIP_SEAT_LEVELS)
        .exclude(pk=deputy.pk).order_by("name_pinyin").values_list("name", flat=True)
    )
    if len(others) >= constituency.seats:
        raise ValidationError({"constituency": _(
            "选区“%(c)s”应选 %(seats)d 名代表，已有 %(n)d 名在任代表（%(names)s），不能再编入。"
            "每个选区最多选举 3 名代表；如名额登记有误，请先修改选区的应选名额。"
        ) % {"c": constituency.name, "seats": constituency.seats, "n": len(others), "names": "、".join(others)}})


@transaction.atomic
def deputy_create(*, township, by, name: str, gender: str, previous: Deputy | None = None, **fields) -> Deputy:
    """Register a deputy (in the township's current term unless ``term`` is given).

    ``previous`` is the person's row of the term before, when the change of term carries them over.
    """
    _check_unknown(fields)
    fields.setdefault("term", township.current_term())
    deputy = Deputy(township=township, name=name, gender=gender, previous=previous, **fields)
    _prepare(deputy)
    return save(deputy, by=by)


@transaction.atomic
def deputy_update(*, deputy: Deputy, by, **changes) -> Deputy:
    _check_unknown(changes)
    deputy = lock(deputy)
    for field, value in changes.items():
        setattr(deputy, field, value)
    _prepare(deputy)
    derived = {"name_pinyin", "name_initials", "id_number_digest", "birth_date", "updated_at"}
    return save(deputy, by=by, fields=sorted(set(changes) | derived) if changes else None)


@transaction.atomic
def deputy_change_status(*, deputy: Deputy, by, to_status: str, effective_on: dt.date, reason: str) -> Deputy:
    """Record a departure (辞职、罢免、迁出、去世、任期届满) or correct one back to 在任.

    The deputy keeps every record; leaders who leave mid-term stop leading their group.
    """
    deputy = lock(deputy)
    to_status = DeputyStatus(to_status)
    current = DeputyStatus(deputy.status)
    if to_status not in STATUS_TRANSITIONS[current]:
        raise ValidationError({"to_status": _("代表当前为“%(from)s”，不能改为“%(to)s”。")
                               % {"from": current.label, "to": to_status.label}})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明原因（例如：本人书面辞职，经主席团会议接受）。")})
    if effective_on > timezone.localdate():
        raise ValidationError({"effective_on": _("生效日期不能晚于今天。")})
    if deputy.elected_on and effective_on < deputy.elected_on:
        raise ValidationError({"effective_on": _("生效日期不能早于当选日期（%(d)s）。") % {"d": deputy.elected_on}})
    change = DeputyStatusChange(deputy=deputy, from_status=current, to_status=to_status, effective_on=effective_on,
                                reason=reason, recorded_by=by)
    change.full_clean()
    deputy.status = to_status
    deputy.status_since = effective_on
    deputy.status_reason = reason
    if to_status == DeputyStatus.SERVING:
        _check_constituency_seats(deputy)
    save(deputy, by=by, fields=["status", "status_since", "status_reason", "updated_at"])
    change.save()
    # Leaders who leave mid-term stop leading; at the end of a term (任期届满) the term's groups keep, as their
    # record, who led them (the next term's copies get their own leaders).
    if to_status not in (DeputyStatus.SERVING, DeputyStatus.TERM_ENDED):
        for group in DeputyGroup.objects.select_for_update().filter(township_id=deputy.township_id):
            cleared = [f for f in ("leader", "deputy_leader") if getattr(group, f"{f}_id") == deputy.pk]
            for field in cleared:
                setattr(group, field, None)
            if cleared:
                save(group, by=by, fields=cleared)
    return deputy


@transaction.atomic
def deputy_link_user(*, deputy: Deputy, by, user) -> Deputy:
    """Link (or with ``user=None`` unlink) the deputy's login account; linking grants the deputy role."""
    from presidium import services as presidium_services

    deputy = lock(deputy)
    if user is not None:
        taken = Deputy.objects.filter(user=user).exclude(pk=deputy.pk).first()
        if taken:
            raise ValidationError({"user": _("账号“%(u)s”已关联代表“%(d)s”（%(t)s）。")
                                   % {"u": user.username, "d": taken.name, "t": taken.township}})
        presidium_services.role_grant(by=by, user=user, role=Role.DEPUTY, township=deputy.township)
    deputy.user = user
    return save(deputy, by=by, fields=["user", "updated_at"])


@transaction.atomic
def deputy_set_photo(*, deputy: Deputy, by, upload) -> Deputy:
    """Store a portrait: checked as an image, re-encoded without metadata, at most 800 px."""
    image = clean_image(upload, max_edge=800)
    deputy = lock(deputy)
    old_name = deputy.photo.name if deputy.photo else ""
    deputy.photo.save("photo.jpg", image.content, save=False)
    new_name, storage = deputy.photo.name, deputy.photo.storage
    try:
        save(deputy, by=by, fields=["photo", "updated_at"])
    except Exception:
        storage.delete(new_name)  # nothing half-saved: no file without its row
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return deputy


@transaction.atomic
def deputy_remove_photo(*, deputy: Deputy, by) -> Deputy:
    deputy = lock(deputy)
    if deputy.photo:
        old_name, storage = deputy.photo.name, deputy.photo.storage
        deputy.photo = ""
        save(deputy, by=by, fields=["photo", "updated_at"])
        transaction.on_commit(lambda: storage.delete(old_name))
    return deputy


def _serving_count(constituency: Constituency) -> int:
    return Deputy.objects.filter(constituency=constituency, status=DeputyStatus.SERVING,
                                 level__in=TOWNSHIP_SEAT_LEVELS).count()


def _seats_error(seats: int):
    if not 1 <= seats <= 3:
        return ValidationError({"seats": _("每个选区应选代表名额为 1 至 3 名，您填写的是 %(n)d 名。请把选区划小后分别登记。")
                                % {"n": seats}})
    return None


@transaction.atomic
def constituency_create(*, township, by, name: str, seats: int, villages: str = "", note: str = "",
                        term=_CURRENT) -> Constituency:
    """Register a constituency (in the township's current term unless ``term`` is given)."""
    if error := _seats_error(seats):
        raise error
    name = name.strip()
    term = _term_of(township, term)
    if Constituency.objects.filter(township=township, term=term, name=name).exists():
        raise ValidationError({"name": _("本乡镇已有选区“%(n)s”。") % {"n": name}})
    return save(Constituency(township=township, term=term, name=name, name_sort_key=natural_sort_key(name),
                             seats=seats, villages=villages.strip(), note=note.strip()), by=by)


@transaction.atomic
def constituency_update(*, constituency: Constituency, by, **changes) -> Constituency:
    allowed = {"name", "seats", "villages", "note"}
    if set(changes) - allowed:
        raise TypeError(f"unknown fields: {sorted(set(changes) - allowed)}")
    constituency = Constituency.objects.select_for_update().get(pk=constituency.pk)
    if "seats" in changes:
        if error := _seats_error(changes["seats"]):
            raise error
        serving = _serving_count(constituency)
        if changes["seats"] < serving:
            raise ValidationError({"seats": _("该选区已有 %(n)d 名在任代表，应选名额不能少于 %(n)d。") % {"n": serving}})
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if Constituency.objects.filter(township_id=constituency.township_id, term_id=constituency.term_id,
                                       name=changes["name"]).exclude(
                pk=constituency.pk).exists():
            raise ValidationError({"name": _("本乡镇已有选区“%(n)s”。") % {"n": changes["name"]}})
        changes["name_sort_key"] = natural_sort_key(changes["name"])
    for field, value in changes.items():
        setattr(constituency, field, value.strip() if isinstance(value, str) else value)
    return save(constituency, by=by, fields=sorted(changes) or None)


def _check_group(group: DeputyGroup) -> None:
    same_township(group.township_id, group.parent, group.leader, group.deputy_leader)
    _same_term(group.term_id, group.parent, group.leader, group.deputy_leader)
    errors: dict[str, str] = {}
    if group.parent is not None:
        if group.kind == GroupKind.BIG:
            errors["parent"] = _("代表大组不能再隶属于其他大组。")
        elif group.parent.kind != GroupKind.BIG:
            errors["parent"] = _("只能选择代表大组作为上级。")
    if group.pk:
        if group.kind == GroupKind.SMALL and group.subgroups.exists():
            errors["kind"] = _("该组下还有代表小组，不能改为小组。")
        if group.kind == GroupKind.BIG and group.members.exists():
            errors["kind"] = _("该组已有代表编入，不能改为大组；请先把代表编入各小组。")
    for field, label in (("leader", _("组长")), ("deputy_leader", _("副组长"))):
        person = getattr(group, field)
        if person is None:
            continue
        person = Deputy.objects.select_related("group").get(pk=person.pk)  # the caller's copy may be stale
        if person.status != DeputyStatus.SERVING:
            errors[field] = _("%(role)s应为在任代表。") % {"role": label}
        elif group.kind == GroupKind.SMALL and person.group_id != group.pk:
            errors[field] = _("%(role)s应是本小组的成员。") % {"role": label}
        elif group.kind == GroupKind.BIG and (person.group is None or person.group.parent_id != group.pk):
            errors[field] = _("%(role)s应是本大组所属小组的成员。") % {"role": label}
    if group.leader_id and group.leader_id == group.deputy_leader_id:
        errors["deputy_leader"] = _("组长和副组长不能是同一人。")
    if errors:
        raise ValidationError(errors)


GROUP_FIELDS = ("name", "kind", "parent", "leader", "deputy_leader", "sort_order", "note")


@transaction.atomic
def deputy_group_create(*, township, by, name: str, kind: str = GroupKind.SMALL, parent=None, leader=None,
                        deputy_leader=None, sort_order: int = 0, note: str = "", term=_CURRENT) -> DeputyGroup:
    """Form a group (in the township's current term unless ``term`` is given)."""
    name = name.strip()
    term = _term_of(township, term)
    if DeputyGroup.objects.filter(township=township, term=term, name=name).exists():
        raise ValidationError({"name": _("本乡镇已有“%(n)s”。") % {"n": name}})
    group = DeputyGroup(township=township, term=term, name=name, name_sort_key=natural_sort_key(name), kind=kind, parent=parent,
                        leader=leader, deputy_leader=deputy_leader, sort_order=sort_order, note=note.strip())
    _check_group(group)
    return save(group, by=by)


@transaction.atomic
def deputy_group_update(*, group: DeputyGroup, by, **changes) -> DeputyGroup:
    if set(changes) - set(GROUP_FIELDS):
        raise TypeError(f"unknown fields: {sorted(set(changes) - set(GROUP_FIELDS))}")
    group = DeputyGroup.objects.select_for_update().get(pk=group.pk)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if DeputyGroup.objects.filter(township_id=group.township_id, term_id=group.term_id,
                                      name=changes["name"]).exclude(pk=group.pk).exists():
            raise ValidationError({"name": _("本乡镇已有“%(n)s”。") % {"n": changes["name"]}})
        changes["name_sort_key"] = natural_sort_key(changes["name"])
    for field, value in changes.items():
        setattr(group, field, value)
    _check_group(group)
    return save(group, by=by, fields=sorted(changes) or None)


@transaction.atomic
def deputy_group_set_members(*, group: DeputyGroup, by, deputies) -> DeputyGroup:
    """Make ``deputies`` exactly the members of a small group (others leave it; history keeps who)."""
    if group.kind != GroupKind.SMALL:
        raise ValidationError(_("代表只能编入代表小组。"))
    wanted = {d.pk: d for d in deputies}
    same_township(group.township_id, *wanted.values())
    _same_term(group.term_id, *wanted.values())
    for deputy in Deputy.objects.select_for_update().filter(group=group).exclude(pk__in=list(wanted)):
        if deputy.pk in (group.leader_id, group.deputy_leader_id):
            raise ValidationError(_("“%(n)s”是本组组长或副组长，请先更换组长再调出。") % {"n": deputy.name})
        deputy.group = None
        save(deputy, by=by, fields=["group", "updated_at"])
    for deputy in Deputy.objects.select_for_update().filter(pk__in=list(wanted)).exclude(group=group):
        deputy.group = group
        save(deputy, by=by, fields=["group", "updated_at"])
    return group


STATION_FIELDS = ("name", "kind", "level", "village", "address", "phone", "reception_schedule", "has_place",
                  "has_sign", "has_rules", "has_activities", "has_records", "star_rating", "is_active")


@transaction.atomic
def liaison_station_create(*, township, by, name: str, term=_CURRENT, **fields) -> LiaisonStation:
    """Register a station (in the township's current term unless ``term`` is given)."""
    if set(fields) - set(STATION_FIELDS):
        raise TypeError(f"unknown fields: {sorted(set(fields) - set(STATION_FIELDS))}")
    name = name.strip()
    term = _term_of(township, term)
    if LiaisonStation.objects.filter(township=township, term=term, name=name).exists():
        raise ValidationError({"name": _("本乡镇已有“%(n)s”。") % {"n": name}})
    station = LiaisonStation(township=township, term=term, name=name, **fields)
    _check_station(station)
    return save(station, by=by)


def _check_station(station: LiaisonStation) -> None:
    if station.star_rating is not None and not 1 <= station.star_rating <= 5:
        raise ValidationError({"star_rating": _("星级为 1 至 5 星。")})
    if station.level == "village" and not station.village.strip():
        raise ValidationError({"village": _("村（社区）级联络站请填写所在村（社区）。")})


@transaction.atomic
def liaison_station_update(*, station: LiaisonStation, by, **changes) -> LiaisonStation:
    if set(changes) - set(STATION_FIELDS):
        raise TypeError(f"unknown fields: {sorted(set(changes) - set(STATION_FIELDS))}")
    station = LiaisonStation.objects.select_for_update().get(pk=station.pk)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        if LiaisonStation.objects.filter(township_id=station.township_id, term_id=station.term_id,
                                         name=changes["name"]).exclude(
                pk=station.pk).exists():
            raise ValidationError({"name": _("本乡镇已有“%(n)s”。") % {"n": changes["name"]}})
    for field, value in changes.items():
        setattr(station, field, value)
    _check_station(station)
    return save(station, by=by, fields=sorted(changes) or None)


@transaction.atomic
def station_staff_add(*, station: LiaisonStation, by, role: str, name: str = "", deputy: Deputy | None = None,
                      phone: str = "") -> StationStaff:
    same_township(station.township_id, deputy)
    name = (name or (deputy.name if deputy else "")).strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名或选择一名代表。")})
    if role == StationStaffRole.HEAD and StationStaff.objects.filter(station=station, role=StationStaffRole.HEAD).exists():
        raise ValidationError({"role": _("本站已有站长；请先移除原站长。")})
    return save(StationStaff(station=station, role=role, name=name, deputy=deputy, phone=phone.strip()), by=by)


@transaction.atomic
def station_staff_remove(*, staff: StationStaff, by) -> None:
    staff._history_user = by
    staff.delete()


@transaction.atomic
def station_set_deputies(*, station: LiaisonStation, by, deputies) -> LiaisonStation:
    """Make ``deputies`` exactly those who receive voters at ``station``."""
    wanted = {d.pk: d for d in deputies}
    same_township(station.township_id, *wanted.values())
    _same_term(station.term_id, *wanted.values())
    for deputy in Deputy.objects.select_for_update().filter(station=station).exclude(pk__in=list(wanted)):
        deputy.station = None
        save(deputy, by=by, fields=["station", "updated_at"])
    for deputy in Deputy.objects.select_for_update().filter(pk__in=list(wanted)).exclude(station=station):
        deputy.station = station
        save(deputy, by=by, fields=["station", "updated_at"])
    return station


# The ids come from rows the request has just read and the database's foreign keys check them again:
# validating them in Python would cost a query per key per entry (3 per township on a county list).
_ACCESS_LOG_KEYS = ("user", "township", "deputy")


@transaction.atomic
def personal_data_access_record_many(*, user, purpose: str, fields: str, rows_per_township: Mapping[int, int],
                                     deputy: Deputy | None = None, path: str = "") -> list[PersonalDataAccess]:
    """Log that ``user`` saw personal data unmasked: one entry per township, all written in one insert.

    ``rows_per_township`` maps a township id to how many deputies' data of that township were shown.
    Append-only; written even on read-only pages.
    """
    entries = [PersonalDataAccess(user=user, purpose=purpose, fields=fields[:100], row_count=count,
                                  township_id=township_id, deputy=deputy, path=path[:300])
               for township_id, count in sorted(rows_per_township.items()) if count > 0]
    for entry in entries:
        entry.full_clean(exclude=_ACCESS_LOG_KEYS)
    return PersonalDataAccess.objects.bulk_create(entries)


@transaction.atomic
def personal_data_access_record(*, user, purpose: str, fields: str, township=None, deputy: Deputy | None = None,
                                row_count: int = 1, path: str = "") -> PersonalDataAccess:
    """Log one unmasked view (one deputy's ID reveal, a duty card): :func:`personal_data_access_record_many`."""
    township_id = getattr(township, "pk", township) or getattr(deputy, "township_id", None)
    entry = PersonalDataAccess(user=user, purpose=purpose, fields=fields[:100], row_count=row_count,
                               township_id=township_id, deputy=deputy, path=path[:300])
    entry.full_clean(exclude=_ACCESS_LOG_KEYS)
    entry.save()
    return entry
