"""The change of term (换届), one service per step. Each is keyword-only, atomic and records who did it.

The steps, in order: :func:`term_open_next` (the next term exists, not yet current; the organisation is
copied into it for editing) → :func:`term_mark_not_reelected` (serving deputies who were not re-elected
leave with 任期届满, all on one date) → :func:`term_carry_over` (re-elected deputies get a row in the new
term linked to their old one) → new deputies come through the roster import into the new term →
:func:`term_switch_current` (the new term becomes current; from then on the re-elected log in as it).

Why the new term is not current at once: between the election and the new congress's first session the
old term's deputies still serve and staff still record their work; switching is its own step, allowed from
the new term's start date, once every serving deputy of the old term is either carried over or marked.
Nothing of the old term is deleted or rewritten: its rows stay as they were, except the status of those
who leave (through ``deputy_change_status``, one ``DeputyStatusChange`` each) and the login account, which
moves to the re-elected deputy's new row when the new term becomes current, when their old row also
leaves with 任期届满 (one row per person is "serving" from then on).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies import services as deputies_services
from deputies.choices import DeputyStatus, GroupKind
from deputies.models import Constituency, Deputy, DeputyGroup, LiaisonStation, StationStaff
from deputies.services.common import save
from presidium import services as presidium_services
from presidium.models import Term, Township, User
from presidium.models.org import chinese_ordinal

# What a re-elected deputy carries into the new term (the person, not the term's records).
CARRIED_FIELDS = (
    "name", "gender", "ethnicity", "birth_date", "affiliation", "education", "sector", "work_unit", "post",
    "mobile", "id_number", "address", "level", "higher_level", "note",
)
STATION_COPY_FIELDS = ("kind", "level", "village", "address", "phone", "reception_schedule", "has_place", "has_sign",
                       "has_rules", "has_activities", "has_records", "star_rating", "is_active")
DEFAULT_REASON = "任期届满，未再当选"


def next_term_of(term: Term) -> Term | None:
    return Term.objects.filter(township_id=term.township_id, ordinal=term.ordinal + 1).first()


def previous_term_of(term: Term) -> Term | None:
    return Term.objects.filter(township_id=term.township_id, ordinal=term.ordinal - 1).first()


def _five_years_on(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year + 5) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 5, day=28)


@transaction.atomic
def term_open_next(*, township: Township, by: User | None, start_date: dt.date,
                   end_date: dt.date | None = None) -> Term:
    """Open term N+1 (not yet current) and copy constituencies, groups and stations into it for editing.

    The old term's rows are not touched: the copies are new rows with the new term and ``copied_from``.
    """
    township = Township.objects.select_for_update().get(pk=township.pk)  # two tabs open the term once
    current = township.current_term()
    if current is None:
        raise ValidationError(_("本乡镇还没有登记本届届次，请先在乡镇页面登记本届。"))
    later = Term.objects.filter(township=township, ordinal__gt=current.ordinal).order_by("ordinal").first()
    if later is not None:
        raise ValidationError(_("%(t)s已经开启，不能重复开启。") % {"t": later})
    if start_date <= current.start_date:
        raise ValidationError({"start_date": _("新一届的起始日期应晚于本届的起始日期（%(d)s）。")
                               % {"d": current.start_date}})
    end_date = end_date or _five_years_on(start_date)
    if end_date <= start_date:
        raise ValidationError({"end_date": _("届满日期应晚于起始日期。")})
    term = presidium_services.term_create(township=township, by=by, ordinal=current.ordinal + 1,
                                          start_date=start_date, end_date=end_date, make_current=False)
    _copy_organisation(township=township, old=current, new=term, by=by)
    return term


def _copy_organisation(*, township: Township, old: Term, new: Term, by) -> None:
    for source in Constituency.objects.filter(township=township, term=old).order_by("pk"):
        copy = deputies_services.constituency_create(township=township, by=by, term=new, name=source.name,
                                                     seats=source.seats, villages=source.villages, note=source.note)
        copy.copied_from = source
        save(copy, by=by, fields=["copied_from"])
    parents: dict[int, DeputyGroup] = {}
    # Big groups first, so that small ones find their parent's copy. Leaders are set when they carry over.
    for source in DeputyGroup.objects.filter(township=township, term=old).order_by("kind", "pk"):  # "big" < "small"
        copy = deputies_services.deputy_group_create(
            township=township, by=by, term=new, name=source.name, kind=source.kind,
            parent=parents.get(source.parent_id), sort_order=source.sort_order, note=source.note)
        copy.copied_from = source
        save(copy, by=by, fields=["copied_from"])
        if source.kind == GroupKind.BIG:
            parents[source.pk] = copy
    for source in LiaisonStation.objects.filter(township=township, term=old).prefetch_related("staff").order_by("pk"):
        copy = deputies_services.liaison_station_create(
            township=township, by=by, term=new, name=source.name,
            **{field: getattr(source, field) for field in STATION_COPY_FIELDS})
        copy.copied_from = source
        save(copy, by=by, fields=["copied_from"])
        for staff in source.staff.all():
            # A deputy on the staff stays named; their row is swapped for the new one when they carry over.
            deputies_services.station_staff_add(station=copy, by=by, role=staff.role, name=staff.name,
                                                deputy=staff.deputy, phone=staff.phone)


def _undecided(old: Term):
    """Serving deputies of ``old`` neither carried over nor marked as leaving."""
    return Deputy.objects.filter(term=old, status=DeputyStatus.SERVING, successor__isnull=True)


def _old_and_new(term: Term, *, new: bool) -> tuple[Term, Term]:
    """The (old, new) pair around ``term``: ``term`` is the new one when ``new``, else the old one."""
    other = previous_term_of(term) if new else next_term_of(term)
    if other is None:
        if new:
            raise ValidationError(_("%(t)s没有上一届，无法转入代表。") % {"t": term})
        raise ValidationError(_("请先开启%(t)s。") % {"t": term_name(term.ordinal + 1)})
    return (other, term) if new else (term, other)


def term_name(ordinal: int) -> str:
    """A term's name before it exists, as ``Term.__str__`` would give it (第十九届 / Term 19)."""
    return str(Term(ordinal=ordinal))


def _deputies_of(term: Term, deputies: Iterable[Deputy]) -> list[Deputy]:
    ids = sorted({d.pk for d in deputies})
    rows = list(Deputy.objects.select_for_update().filter(pk__in=ids, term=term).order_by("pk"))
    if len(rows) != len(ids):
        raise ValidationError(_("所选代表中有不属于%(t)s的，请刷新页面后重新选择。") % {"t": term})
    return rows


@transaction.atomic
def term_mark_not_reelected(*, term: Term, by: User | None, deputies: Iterable[Deputy], effective_on: dt.date,
                            reason: str = DEFAULT_REASON) -> list[Deputy]:
    """Mark serving deputies of ``term`` (the old one) who were not re-elected as 任期届满, all on one date.

    One ``DeputyStatusChange`` each, through ``deputy_change_status``; a deputy already carried over
    into the next term was re-elected and cannot be marked. Allowed once the next term is open.
    """
    old, _new = _old_and_new(term, new=False)
    rows = _deputies_of(old, deputies)
    if not rows:
        raise ValidationError(_("请至少选择一名代表。"))
    problems = [d.name for d in rows if d.status != DeputyStatus.SERVING or hasattr(d, "successor")]
    if problems:
        raise ValidationError(_("以下代表已不在任或已转入下一届，不能标记任期届满：%(names)s。")
                              % {"names": "、".join(problems)})
    if effective_on < old.start_date:
        raise ValidationError({"effective_on": _("届满日期不能早于本届起始日期（%(d)s）。") % {"d": old.start_date}})
    return [deputies_services.deputy_change_status(deputy=d, by=by, to_status=DeputyStatus.TERM_ENDED,
                                                   effective_on=effective_on, reason=reason or DEFAULT_REASON)
            for d in rows]


@dataclass(frozen=True)
class CarryOverResult:
    created: list[Deputy]
    already: list[Deputy]  # carried over before: nothing new was made for them


@transaction.atomic
def term_carry_over(*, term: Term, by: User | None, deputies: Iterable[Deputy],
                    elected_on: dt.date | None = None) -> CarryOverResult:
    """Carry re-elected deputies of the term before into ``term`` (the new one), once each.

    Each gets a new row in ``term`` linked by ``previous``, with their personal fields and the copies of
    their constituency, group and station; their visits, suggestions and archive stay on the old row.
    A deputy carried over before is left as is (running this twice makes nothing new).
    """
    old, new = _old_and_new(term, new=True)
    if new.is_current is False and old.is_current is False:
        raise ValidationError(_("只能在本届和下一届之间转入代表。"))
    created, already = [], []
    copies = {
        "constituency": dict(Constituency.objects.filter(term=new, copied_from__isnull=False)
                             .values_list("copied_from_id", "pk")),
        "group": dict(DeputyGroup.objects.filter(term=new, copied_from__isnull=False).values_list("copied_from_id", "pk")),
        "station": dict(LiaisonStation.objects.filter(term=new, copied_from__isnull=False)
                        .values_list("copied_from_id", "pk")),
    }
    posts = _Posts(new)
    for person in _deputies_of(old, deputies):
        successor = Deputy.objects.filter(previous=person).first()
        if successor is not None:
            already.append(successor)
            continue
        if person.status != DeputyStatus.SERVING:
            raise ValidationError(_("“%(n)s”已%(s)s，不能作为连任代表转入。")
                                  % {"n": person.name, "s": person.get_status_display()})
        fields = {field: getattr(person, field) for field in CARRIED_FIELDS}
        name, gender = fields.pop("name"), fields.pop("gender")
        for field, mapping in copies.items():
            source_id = getattr(person, f"{field}_id")
            fields[field] = mapping.get(source_id) if source_id else None
        fields["constituency"] = Constituency.objects.filter(pk=fields["constituency"]).first()
        fields["group"] = DeputyGroup.objects.filter(pk=fields["group"]).first()
        fields["station"] = LiaisonStation.objects.filter(pk=fields["station"]).first()
        deputy = deputies_services.deputy_create(township=new.township, by=by, name=name, gender=gender, term=new,
                                                 elected_on=elected_on, previous=person, **fields)
        if person.photo:
            _copy_photo(person, deputy, by=by)
        _take_posts(old=person, new=deputy, posts=posts, by=by)
        if new.is_current and person.user_id:
            _move_account(old=person, new=deputy, by=by)
        created.append(deputy)
    return CarryOverResult(created=created, already=already)


def _copy_photo(old: Deputy, new: Deputy, *, by) -> None:
    """A copy of the file, not the same name: replacing one row's photo deletes its file."""
    try:
        with old.photo.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return
    new.photo.save("photo.jpg", ContentFile(content), save=False)
    name, storage = new.photo.name, new.photo.storage
    try:
        save(new, by=by, fields=["photo", "updated_at"])
    except Exception:
        storage.delete(name)
        raise


class _Posts:
    """The copied groups' leaders and the copied stations' staff of the old term, read once per carry-over."""

    def __init__(self, term: Term):
        self.leaders: dict[int, list[tuple[DeputyGroup, str]]] = {}
        for group in DeputyGroup.objects.filter(term=term, copied_from__isnull=False).select_related("copied_from"):
            for field in ("leader", "deputy_leader"):
                old_id = getattr(group.copied_from, f"{field}_id")
                if old_id and getattr(group, f"{field}_id") is None:
                    self.leaders.setdefault(old_id, []).append((group, field))
        self.staff: dict[int, list[StationStaff]] = {}
        for staff in StationStaff.objects.filter(station__term=term, deputy__isnull=False):
            self.staff.setdefault(staff.deputy_id, []).append(staff)


def _take_posts(*, old: Deputy, new: Deputy, posts: _Posts, by) -> None:
    """The copied groups' leaders and the copied stations' staff who were ``old`` become ``new``."""
    for group, field in posts.leaders.get(old.pk, []):
        # Not a member of that group's copy any more: staff choose the leader themselves.
        with contextlib.suppress(ValidationError):
            deputies_services.deputy_group_update(group=group, by=by, **{field: new})
    for staff in posts.staff.get(old.pk, []):
        staff.deputy = new
        save(staff, by=by, fields=["deputy"])


def _move_account(*, old: Deputy, new: Deputy, by) -> None:
    """The person logs in as their current-term row; the old row keeps everything but the account."""
    user = old.user
    deputies_services.deputy_link_user(deputy=old, by=by, user=None)
    deputies_services.deputy_link_user(deputy=new, by=by, user=user)


@transaction.atomic
def term_switch_current(*, term: Term, by: User | None) -> Term:
    """Make ``term`` (the next one) current, from its start date, once every serving deputy is decided.

    The re-elected deputies' login accounts move to their new rows; the old term stays readable.
    """
    if term.is_current:
        if next_term_of(term) is None:
            raise ValidationError(_("请先开启%(t)s。") % {"t": term_name(term.ordinal + 1)})
        raise ValidationError(_("%(t)s已经是本届。") % {"t": term})
    old, new = _old_and_new(term, new=True)
    new = Term.objects.select_for_update().get(pk=new.pk)
    if not old.is_current:
        raise ValidationError(_("只能从本届切换到下一届。"))
    today = timezone.localdate()
    if today < new.start_date:
        raise ValidationError(_("%(t)s自 %(d)s 起始，届时才能切换为本届。") % {"t": new, "d": new.start_date})
    undecided = _undecided(old).count()
    if undecided:
        raise ValidationError(_("%(t)s还有 %(n)d 名在任代表既未转入%(new)s，也未标记任期届满，请先处理。")
                              % {"t": old, "n": undecided, "new": new})
    old = Term.objects.select_for_update().get(pk=old.pk)
    old.is_current = False
    old._history_user = by
    old.save(update_fields=["is_current"])
    new.is_current = True
    new._history_user = by
    new.full_clean()
    new.save(update_fields=["is_current"])
    for deputy in Deputy.objects.filter(term=new, previous__user__isnull=False, user__isnull=True).select_related(
            "previous__user"):
        _move_account(old=deputy.previous, new=deputy, by=by)
    # The old term has ended for the re-elected too: their old rows leave with 任期届满 (they serve on in the
    # new rows), so that "serving" means one row per person everywhere once the new term is current.
    ended_on = min(today, new.start_date - dt.timedelta(days=1))
    reason = f"任期届满，连任第{chinese_ordinal(new.ordinal)}届"  # stored for all readers: in Chinese
    for deputy in Deputy.objects.filter(term=old, status=DeputyStatus.SERVING, successor__isnull=False):
        deputies_services.deputy_change_status(deputy=deputy, by=by, to_status=DeputyStatus.TERM_ENDED,
                                               effective_on=max(ended_on, deputy.elected_on or ended_on),
                                               reason=reason)
    return new
