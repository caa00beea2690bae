"""Registration (登记): every channel, the petitioner's personal data, the registration number, the query code,
repeats, categories, and the log of unmasked views."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions import clocks
from petitions.access import (
    CONFIGURE,
    REGISTER,
    id_number_digest,
    mobile_digest,
    normalize_mobile,
    query_code_digest,
)
from petitions.choices import (
    COLLECTIVE_MIN_PEOPLE,
    DEFAULT_CATEGORIES,
    MAX_REPRESENTATIVES,
    Channel,
    ClockKind,
    EventKind,
    PetitionStatus,
    Urgency,
)
from petitions.models import (
    Category,
    Petition,
    PetitionDataAccess,
    PetitionRepresentative,
    PetitionSequence,
)
from petitions.services.common import clean_text, lock, log, require_staff, save, tell
from presidium.access import has_perm, scope_of
from presidium.categories import township_category_save
from presidium.records import record

QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
QUERY_CODE_LENGTH = 10


@dataclass(frozen=True)
class Representative:
    """One representative of a collective visit as typed on the form."""

    name: str
    mobile: str = ""


# --- categories ----------------------------------------------------------------------------------------


def categories_ensure(*, township) -> list[Category]:
    """The township's active categories; the default seven are written the first time (idempotent)."""
    existing = list(Category.objects.filter(township=township))
    if existing:
        return [c for c in existing if c.is_active]
    with transaction.atomic():
        for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
            Category.objects.get_or_create(township=township, name=name, defaults={"sort_order": order * 10})
    return list(Category.objects.filter(township=township, is_active=True))


def _require_configure(by, township) -> None:
    if not (scope_of(by).is_superuser or has_perm(by, CONFIGURE, township)):
        raise PermissionDenied(_("只有本乡镇人大办可以维护信访类别。"))


def category_create(*, township, by, name: str, sort_order: int = 0) -> Category:
    _require_configure(by, township)
    return township_category_save(Category(township=township), by=by, name=name, sort_order=sort_order)


def category_update(*, category: Category, by, name: str, sort_order: int, is_active: bool) -> Category:
    _require_configure(by, category.township)
    return township_category_save(category, by=by, name=name, sort_order=sort_order, is_active=is_active)


# --- numbers and codes ------------------------------------------------------------------------------------


def _next_number(township, year: int) -> int:
    """The next registration number of the township's year; the sequence row is locked while it is taken."""
    PetitionSequence.objects.get_or_create(township=township, year=year)
    sequence = PetitionSequence.objects.select_for_update().get(township=township, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def new_query_code() -> str:
    """A random 10-character code (≈50 bits) from an alphabet without look-alike characters."""
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


# --- the petitioner's data: checks -----------------------------------------------------------------------


def _check_person(errors: dict, *, anonymous: bool, name: str, mobile: str, id_number: str) -> tuple[str, str, str]:
    from deputies.pii import validate_id_number

    if id_number:
        try:
            id_number = validate_id_number(id_number)
        except ValidationError as error:
            errors["id_number"] = error.messages
    if mobile:
        digits = normalize_mobile(mobile)
        if not 7 <= len(digits) <= 12:
            errors["mobile"] = [_("联系电话应为 7 到 12 位数字（手机 11 位，座机可带区号）。")]
        else:
            mobile = digits
    if anonymous:
        name = ""
    elif not name:
        errors["name"] = [_("请填写信访人姓名；不愿留名的，请勾选“匿名”。")]
    return name, mobile, id_number


def _check_group(errors: dict, *, people_count: int, is_collective: bool | None,
                 representatives: Sequence[Representative]) -> bool:
    if people_count is None or people_count < 1:
        errors["people_count"] = [_("人数至少为 1。")]
        return False
    if is_collective and people_count < COLLECTIVE_MIN_PEOPLE:
        errors["people_count"] = [_("集体访指 5 人以上就同一事项来访；%(n)s 人不是集体访，请核对人数。") % {
            "n": people_count}]
    collective = people_count >= COLLECTIVE_MIN_PEOPLE
    if len(representatives) > MAX_REPRESENTATIVES:
        errors["representatives"] = [_("集体访推选的代表不超过 5 人，现填写了 %(n)s 人。") % {"n": len(representatives)}]
    elif representatives and not collective:
        errors["representatives"] = [_("只有集体访（5 人以上）才登记代表。")]
    if any(not clean_text(r.name) for r in representatives):
        errors.setdefault("representatives", []).append(_("每位代表都要填写姓名。"))
    return collective


def _check_links(errors: dict, township, *, category, reception_day, raised_by_deputy, repeat_of, channel: str,
                 referral_body: str) -> None:
    if category is not None and category.township_id != township.pk:
        errors["category"] = [_("请选择本乡镇的信访类别。")]
    if reception_day is not None and reception_day.township_id != township.pk:
        errors["reception_day"] = [_("请选择本乡镇的接待日。")]
    if raised_by_deputy is not None and raised_by_deputy.township_id != township.pk:
        errors["raised_by_deputy"] = [_("请选择本乡镇的代表。")]
    if repeat_of is not None and repeat_of.township_id != township.pk:
        errors["repeat_of"] = [_("只能关联本乡镇的信访件。")]
    if channel == Channel.REFERRED and not referral_body:
        errors["referral_body"] = [_("上级转办的信访件，请填写转办机关。")]
    if channel == Channel.DEPUTY and raised_by_deputy is None:
        errors["raised_by_deputy"] = [_("代表代言的信访件，请选择代言的代表。")]


# --- registration -----------------------------------------------------------------------------------------


@transaction.atomic
def petition_register(*, township, by, channel: str, subject: str, content: str, received_on: dt.date | None = None,
                      category: Category | None = None, urgency: str = Urgency.NORMAL, anonymous: bool = False,
                      name: str = "", mobile: str = "", id_number: str = "", address: str = "", village: str = "",
                      people_count: int = 1, is_collective: bool | None = None,
                      representatives: Sequence[Representative] = (), referral_body: str = "",
                      referral_number: str = "", reception_day=None, raised_by_deputy=None, origin_opinion=None,
                      repeat_of: Petition | None = None, on_spot_answer: str = "") -> Petition:
    """Register a petition from any channel and return it (with its number and query code).

    ``by=None`` is the public online form (channel ``online`` only). Registration starts the 15-day
    acceptance clock from the day it was received — unless it is answered on the spot
    (``on_spot_answer``), which needs no clock. Bad input raises one ValidationError naming every
    field at fault, in Chinese; nothing is written.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择信访渠道。")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("请选择紧急程度。")})
    channel = Channel(channel)
    if by is None:
        if channel != Channel.ONLINE:
            raise PermissionDenied(_("只有网上信访可以由信访人自行提交。"))
    elif not (scope_of(by).is_superuser or has_perm(by, REGISTER, township)):
        raise PermissionDenied(_("只有本乡镇人大办可以登记信访件。"))
    today = timezone.localdate()
    received_on = received_on or today
    subject, content = clean_text(subject), clean_text(content)
    name, address, village = clean_text(name), clean_text(address), clean_text(village)
    referral_body, referral_number = clean_text(referral_body), clean_text(referral_number)
    on_spot_answer = clean_text(on_spot_answer)
    errors: dict[str, list] = {}
    if received_on > today:
        errors["received_on"] = [_("收到日期不能晚于今天。")]
    if not subject:
        errors["subject"] = [_("请填写信访事项（简要标题）。")]
    if not content:
        errors["content"] = [_("请填写主要诉求和事实。")]
    if on_spot_answer and by is None:
        errors["on_spot_answer"] = [_("网上信访不能当场答复。")]
    name, mobile, id_number = _check_person(errors, anonymous=anonymous, name=name, mobile=clean_text(mobile),
                                            id_number=clean_text(id_number))
    collective = _check_group(errors, people_count=people_count, is_collective=is_collective,
                              representatives=representatives)
    _check_links(errors, township, category=category, reception_day=reception_day,
                 raised_by_deputy=raised_by_deputy, repeat_of=repeat_of, channel=channel, referral_body=referral_body)
    if errors:
        raise ValidationError(errors)
    year = today.year
    petition = Petition(
        township=township, year=year, number=0, channel=channel, received_on=received_on,
        referral_body=referral_body if channel == Channel.REFERRED else "",
        referral_number=referral_number if channel == Channel.REFERRED else "",
        reception_day=reception_day, raised_by_deputy=raised_by_deputy, origin_opinion=origin_opinion,
        anonymous=anonymous, name=name, mobile=mobile, mobile_digest=mobile_digest(mobile), id_number=id_number,
        id_number_digest=id_number_digest(id_number), address=address, village=village, people_count=people_count,
        is_collective=collective, subject=subject, content=content, category=category, urgency=Urgency(urgency),
        repeat_of=repeat_of, created_by=by,
    )
    # Validate everything but the number before taking one: a refused registration leaves no gap.
    petition.full_clean(exclude=["number", "query_code", "query_code_digest"], validate_constraints=False)
    petition.number = _next_number(township, year)
    code = _store_with_code(petition, by)
    petition.query_code = code
    for position, rep in enumerate(representatives, start=1):
        row = PetitionRepresentative(petition=petition, position=position, name=clean_text(rep.name),
                                     mobile=normalize_mobile(rep.mobile))
        row.full_clean()
        row.save()
    if repeat_of is not None:
        petition.related.add(repeat_of)
    source = Channel(channel).label
    log(petition, event="register", by=by, to_status=PetitionStatus.REGISTERED,
        title=record(_l("登记（%(channel)s），登记号%(number)s"), {"channel": source,
                                                              "number": petition.registration_number}))
    if on_spot_answer:
        from petitions.services.handling import answer_on_spot

        answer_on_spot(petition, by=by, answer=on_spot_answer, on=received_on, with_clock=False)
    else:
        clocks.clock_start(petition=petition, kind=ClockKind.ACCEPTANCE, started_on=received_on,
                           start_event=record(_l("收到信访事项（%(channel)s）"), {"channel": source}))
        clocks.refresh_next_due(petition)
    if by is None:
        from petitions.selectors import township_staff

        tell(petition, recipients=township_staff(township.pk), by=None, kind="petitions.online",
             title=record(_l("新的网上信访：%(number)s「%(subject)s」"), {
                 "number": petition.registration_number, "subject": subject[:40]}))
    return petition


@transaction.atomic
def petition_query_code_renew(*, petition: Petition, by) -> str:
    """补办查询码: a new code for the petitioner (the old one stops working); the timeline says so, never the code."""
    petition = lock(petition)
    require_staff(by, petition)
    for _attempt in range(5):
        code = new_query_code()
        digest = query_code_digest(code)
        if not Petition.objects.filter(query_code_digest=digest).exists():
            break
    else:  # pragma: no cover — ≈50 bits: five clashes in a row do not happen
        raise RuntimeError("could not draw an unused query code")
    petition.query_code, petition.query_code_digest = code, digest
    petition._history_user = by
    petition.save(update_fields=["query_code", "query_code_digest"])
    log(petition, event="query_code", by=by, kind=EventKind.EDIT, tell_leader=False,
        title=record(_l("重新生成查询码（原查询码作废）")))
    return code


def _store_with_code(petition: Petition, by) -> str:
    """Save the new row with a fresh query code (≈50 bits: a clash is drawn again, practically never)."""
    for _attempt in range(5):
        code = new_query_code()
        digest = query_code_digest(code)
        if Petition.objects.filter(query_code_digest=digest).exists():
            continue
        petition.query_code, petition.query_code_digest = code, digest
        petition._history_user = by
        petition.full_clean()
        petition.save()
        return code
    raise RuntimeError("could not draw an unused query code")


UPDATABLE = frozenset({"received_on", "category", "urgency", "anonymous", "name", "mobile", "id_number", "address",
                       "village", "subject", "content", "referral_body", "referral_number", "reception_day",
                       "raised_by_deputy"})


@transaction.atomic
def petition_update(*, petition: Petition, by, **changes) -> Petition:
    """Correct a registration while it is still ``registered`` (before acceptance: the notices quote it).

    A changed date of receipt moves the acceptance clock with it.
    """
    petition = lock(petition)
    require_staff(by, petition)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"petition_update cannot change {sorted(unknown)}")
    if petition.status != PetitionStatus.REGISTERED:
        raise ValidationError(_("只有“已登记”（尚未受理）的信访件可以修改登记内容；已受理的，请在办理记录中说明。"))
    values = {field: getattr(petition, field) for field in UPDATABLE} | changes
    errors: dict[str, list] = {}
    for field in ("subject", "content", "name", "address", "village", "referral_body", "referral_number"):
        values[field] = clean_text(values[field])
    if not values["subject"]:
        errors["subject"] = [_("请填写信访事项（简要标题）。")]
    if not values["content"]:
        errors["content"] = [_("请填写主要诉求和事实。")]
    if values["received_on"] > timezone.localdate():
        errors["received_on"] = [_("收到日期不能晚于今天。")]
    name, mobile, id_number = _check_person(errors, anonymous=values["anonymous"], name=values["name"],
                                            mobile=clean_text(values["mobile"]), id_number=clean_text(values["id_number"]))
    _check_links(errors, petition.township, category=values["category"], reception_day=values["reception_day"],
                 raised_by_deputy=values["raised_by_deputy"], repeat_of=None, channel=petition.channel,
                 referral_body=values["referral_body"])
    if errors:
        raise ValidationError(errors)
    values.update(name=name, mobile=mobile, id_number=id_number)
    changed = [field for field in sorted(UPDATABLE) if getattr(petition, field) != values[field]]
    if not changed:
        return petition
    old_received = petition.received_on
    for field in changed:
        setattr(petition, field, values[field])
    petition.mobile_digest, petition.id_number_digest = mobile_digest(mobile), id_number_digest(id_number)
    save(petition, by, [*changed, "mobile_digest", "id_number_digest"])
    if petition.received_on != old_received:
        _restart_acceptance(petition, by)
    labels = "、".join(str(Petition._meta.get_field(f).verbose_name) for f in changed)
    log(petition, event="update", by=by, kind=EventKind.EDIT, title=record(_l("修改登记内容：%(fields)s"), {
        "fields": labels}), tell_leader=False)
    return petition


def _restart_acceptance(petition: Petition, by) -> None:
    """The acceptance clock counts from the day the matter was received: a corrected date starts a new round."""
    clocks.clocks_void(petition=petition, kinds=[ClockKind.ACCEPTANCE], on=timezone.localdate(),
                       event=_l("更正收到日期"))
    clocks.clock_start(petition=petition, kind=ClockKind.ACCEPTANCE, started_on=petition.received_on,
                       start_event=_l("更正后的收到日期"))
    clocks.refresh_next_due(petition)


@transaction.atomic
def petition_link_repeat(*, petition: Petition, other: Petition, by, as_repeat: bool = True) -> Petition:
    """Link two petitions of the township: ``petition`` repeats ``other`` (重复信访), or they are only related."""
    petition = lock(petition)
    require_staff(by, petition)
    if other.pk == petition.pk:
        raise ValidationError(_("不能与信访件本身关联。"))
    if other.township_id != petition.township_id:
        raise ValidationError(_("只能关联本乡镇的信访件。"))
    if as_repeat:
        if other.repeat_of_id == petition.pk:
            raise ValidationError(_("“%(other)s”已登记为本件的重复信访，不能互为重复。") % {
                "other": other.registration_number})
        petition.repeat_of = other
        save(petition, by, ["repeat_of"])
    petition.related.add(other)
    title = (_l("登记为%(other)s的重复信访") if as_repeat else _l("关联信访件%(other)s"))
    log(petition, event="link", by=by, kind=EventKind.LINK, title=record(title, {"other": other.registration_number}),
        tell_leader=False)
    return petition


# --- personal data: the log of unmasked views ------------------------------------------------------------

_ACCESS_LOG_KEYS = ("user", "township", "petition")


def petition_data_access_record_many(*, user, purpose: str, fields: str, rows_per_township: Mapping[int, int],
                                     petition: Petition | None = None, path: str = "") -> list[PetitionDataAccess]:
    """Log that ``user`` saw petitioners' personal data unmasked: one entry per township, one insert.

    Append-only; written even on read-only pages (mirrors ``deputies.services.personal_data_access_record_many``,
    whose table points at deputies).
    """
    entries = [PetitionDataAccess(user=user, purpose=purpose, fields=fields[:100], row_count=count,
                                  township_id=township_id, petition=petition, path=path[:300])
               for township_id, count in sorted(rows_per_township.items()) if count > 0]
    for entry in entries:
        entry.full_clean(exclude=_ACCESS_LOG_KEYS)
    return PetitionDataAccess.objects.bulk_create(entries)


def petition_data_access_record(*, user, petition: Petition, purpose: str, fields: str,
                                path: str = "") -> PetitionDataAccess:
    """Log one unmasked view of one case's petitioner (the detail page, a printed notice)."""
    return petition_data_access_record_many(user=user, purpose=purpose, fields=fields, petition=petition,
                                            rows_per_township={petition.township_id: 1}, path=path)[0]
