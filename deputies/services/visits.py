"""State changes of visits to constituents: record, edit, delete, photos, opinions' conversion, targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies import access, visit_years
from deputies.choices import DeputyStatus, OpinionCategory, VisitMethod
from deputies.models import Deputy, Visit, VisitOpinion, VisitPhoto, VisitTarget
from deputies.services.common import save
from presidium.access import has_perm
from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import clean_image, make_thumbnail

MAX_PHOTOS_PER_VISIT = 9
MAX_OPINIONS_PER_VISIT = 30
EARLIEST_VISIT = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class OpinionInput:
    """One opinion as a form or an import hands it to the services (``pk`` when editing one)."""

    content: str
    category: str = OpinionCategory.OTHER
    raised_by: str = ""
    pk: int | None = None


def ensure_may_record_for(by, deputy: Deputy) -> None:
    """Staff record visits for any deputy of their township; a deputy only for themself."""
    if not has_perm(by, access.RECORD_VISIT, deputy.township):
        raise PermissionDenied
    if access.is_deputy_only(by) and deputy.user_id != by.pk:
        raise PermissionDenied


def _check_visit(visit: Visit) -> None:
    errors: dict[str, str] = {}
    deputy = visit.deputy
    today = timezone.localdate()
    if visit.visited_on > today:
        errors["visited_on"] = _("走访日期不能晚于今天。")
    elif visit.visited_on < EARLIEST_VISIT:
        errors["visited_on"] = _("走访日期不合理，请核对。")
    elif deputy.status != DeputyStatus.SERVING and deputy.status_since and visit.visited_on >= deputy.status_since:
        errors["visited_on"] = _("%(name)s已于 %(d)s %(s)s，此后的走访不能再登记。") % {
            "name": deputy.name, "d": deputy.status_since, "s": deputy.get_status_display()}
    if visit.people < 1:
        errors["people"] = _("联系选民人数至少为 1 人。")
    elif visit.people < visit.households:
        errors["people"] = _("联系选民人数不能少于走访户数（每户至少联系到 1 人）。")
    if visit.method == VisitMethod.HOME and visit.households < 1:
        errors["households"] = _("入户走访请填写走访户数。")
    visit.place = visit.place.strip()
    if not visit.place:
        errors["place"] = _("请填写走访的村（社区）或地点。")
    if errors:
        raise ValidationError(errors)


def _clean_opinions(opinions: Sequence[OpinionInput]) -> list[OpinionInput]:
    cleaned = [o for o in opinions if (o.content or "").strip()]
    if len(cleaned) > MAX_OPINIONS_PER_VISIT:
        raise ValidationError(_("一次走访最多登记 %(n)d 条意见。") % {"n": MAX_OPINIONS_PER_VISIT})
    for opinion in cleaned:
        if opinion.category not in OpinionCategory.values:
            raise ValidationError(_("意见类别无效。"))
    return cleaned


def _clean_photos(visit: Visit | None, files) -> list:
    """Check and re-encode uploads, and make their thumbnails, before any row is written (CPU work
    outside the transaction). Returns (picture, thumbnail) pairs."""
    files = [f for f in (files or []) if f]
    if not files:
        return []
    existing = visit.photos.count() if visit is not None and visit.pk else 0
    if existing + len(files) > MAX_PHOTOS_PER_VISIT:
        raise ValidationError({"photos": _("每次走访最多上传 %(n)d 张照片（已有 %(e)d 张）。")
                               % {"n": MAX_PHOTOS_PER_VISIT, "e": existing}})
    cleaned = []
    for position, upload in enumerate(files, start=1):
        try:
            image = clean_image(upload)
        except ValidationError as error:
            # Say which one: a phone's files are all called IMG_2026….jpg, the position is what a person sees.
            raise ValidationError({"photos": [_("第 %(n)d 张照片：%(error)s") % {"n": position, "error": message}
                                              for message in error.messages]}) from None
        cleaned.append((image, make_thumbnail(image.content.file.getvalue())))
    return cleaned


def _store_photos(visit: Visit, by, images, written: list) -> list[VisitPhoto]:
    photos = []
    for image, thumbnail in images:
        photo = VisitPhoto(visit=visit, width=image.width, height=image.height, size_bytes=image.size, uploaded_by=by)
        photo.image.save("photo.jpg", image.content, save=False)
        written.append((photo.image.storage, photo.image.name))
        photo.thumbnail.save("thumb.jpg", thumbnail, save=False)
        written.append((photo.thumbnail.storage, photo.thumbnail.name))
        photo.full_clean()
        photo.save()
        photos.append(photo)
    return photos


def visit_create(*, deputy: Deputy, by, visited_on: dt.date, place: str, method: str, households: int, people: int,
                 summary: str = "", follow_up: str = "", opinions: Sequence[OpinionInput] = (), photos=()) -> Visit:
    """Record a visit with its opinions and photos, all or nothing."""
    ensure_may_record_for(by, deputy)
    images = _clean_photos(None, photos)
    with RemoveFilesOnError() as written, transaction.atomic():
        visit = Visit(township_id=deputy.township_id, deputy=deputy, visited_on=visited_on, place=place or "",
                      method=method, households=households or 0, people=people or 0, summary=(summary or "").strip(),
                      follow_up=(follow_up or "").strip(), recorded_by=by)
        _check_visit(visit)
        cleaned = _clean_opinions(opinions)
        visit.opinion_count = len(cleaned)
        save(visit, by=by)
        for position, opinion in enumerate(cleaned, start=1):
            save(VisitOpinion(visit=visit, position=position, content=opinion.content.strip(),
                              category=opinion.category, raised_by=(opinion.raised_by or "").strip()), by=by)
        visit_years.refresh(visit.deputy_id, [visit.visited_on.year])
        _store_photos(visit, by, images, written)
    return visit


def visit_update(*, visit: Visit, by, opinions: Sequence[OpinionInput] | None = None, photos=(), **changes) -> Visit:
    """Edit a visit. Opinions given replace the old ones, except those already converted (kept as they are)."""
    allowed = {"visited_on", "place", "method", "households", "people", "summary", "follow_up"}
    if set(changes) - allowed:
        raise TypeError(f"unknown fields: {sorted(set(changes) - allowed)}")
    ensure_may_record_for(by, visit.deputy)
    images = _clean_photos(visit, photos)
    with RemoveFilesOnError() as written, transaction.atomic():
        visit = Visit.objects.select_for_update(of=("self",)).select_related("deputy").get(pk=visit.pk)
        years = {visit.visited_on.year}
        for field, value in changes.items():
            setattr(visit, field, value.strip() if isinstance(value, str) else value)
        _check_visit(visit)
        if opinions is not None:
            cleaned = _clean_opinions(opinions)
            _replace_opinions(visit, by, cleaned)
            visit.opinion_count = len(cleaned)  # every item kept, changed or added; the others deleted
        save(visit, by=by)
        visit_years.refresh(visit.deputy_id, years | {visit.visited_on.year})
        _store_photos(visit, by, images, written)
    return visit


def _replace_opinions(visit: Visit, by, cleaned: list[OpinionInput]) -> None:
    current = {o.pk: o for o in visit.opinions.all()}
    kept_ids = {o.pk for o in cleaned if o.pk}
    for pk, opinion in current.items():
        if pk not in kept_ids:
            if opinion.is_converted:
                raise ValidationError(_("意见“%(c)s”已转为%(k)s，不能删除。") % {"c": str(opinion), "k": opinion.converted_kind})
            opinion._history_user = by
            opinion.delete()
    for position, item in enumerate(cleaned, start=1):
        if item.pk and item.pk in current:
            opinion = current[item.pk]
            if opinion.is_converted:
                if opinion.position != position:
                    opinion.position = position
                    save(opinion, by=by, fields=["position"])
                continue
            opinion.position, opinion.content = position, item.content.strip()
            opinion.category, opinion.raised_by = item.category, (item.raised_by or "").strip()
            save(opinion, by=by, fields=["position", "content", "category", "raised_by"])
        elif item.pk:
            raise ValidationError(_("要修改的意见不属于这次走访。"))
        else:
            save(VisitOpinion(visit=visit, position=position, content=item.content.strip(), category=item.category,
                              raised_by=(item.raised_by or "").strip()), by=by)


@transaction.atomic
def visit_delete(*, visit: Visit, by) -> None:
    """Delete a visit recorded in error; refused once one of its opinions was converted."""
    ensure_may_record_for(by, visit.deputy)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.opinions.exclude(converted_kind="").exists():
        raise ValidationError(_("这次走访的意见已转为代表建议或信访登记，不能删除。"))
    files = [file for p in visit.photos.all() for file in p.stored_files()]
    for opinion in visit.opinions.all():
        opinion._history_user = by
        opinion.delete()
    visit.photos.all().delete()
    visit._history_user = by
    deputy_id, year = visit.deputy_id, visit.visited_on.year
    visit.delete()
    visit_years.refresh(deputy_id, [year])
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def visit_add_photos(*, visit: Visit, by, files) -> list[VisitPhoto]:
    ensure_may_record_for(by, visit.deputy)
    images = _clean_photos(visit, files)
    with RemoveFilesOnError() as written, transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        return _store_photos(visit, by, images, written)


@transaction.atomic
def visit_photo_delete(*, photo: VisitPhoto, by) -> None:
    ensure_may_record_for(by, photo.visit.deputy)
    files = photo.stored_files()
    photo.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def visit_photo_thumbnail_ensure(*, photo: VisitPhoto) -> VisitPhoto:
    """Give a photo stored before thumbnails existed its thumbnail (derived data: nobody to record).

    Two requests for the same new thumbnail may race: the row is locked and checked again, and the
    loser's file is removed, so a photo ends with exactly one thumbnail file.
    """
    if photo.thumbnail:
        return photo
    with photo.image.open("rb") as handle:
        content = make_thumbnail(handle.read())  # decoding outside the transaction
    with RemoveFilesOnError() as written, transaction.atomic():
        locked = VisitPhoto.objects.select_for_update(of=("self",)).select_related("visit").get(pk=photo.pk)
        if locked.thumbnail:
            return locked
        locked.thumbnail.save("thumb.jpg", content, save=False)
        written.append((locked.thumbnail.storage, locked.thumbnail.name))
        locked.save(update_fields=["thumbnail"])
    return locked


@transaction.atomic
def visit_opinion_convert(*, opinion: VisitOpinion, by, kind: str) -> VisitOpinion:
    """Turn an opinion into whatever the registered conversion ``kind`` creates, and link it."""
    from deputies.conversions import get_conversion

    conversion = get_conversion(kind)
    if conversion is None:
        raise ValidationError(_("没有这种转办方式。"))
    opinion = VisitOpinion.objects.select_for_update(of=("self",)).select_related("visit__deputy__township").get(pk=opinion.pk)
    if opinion.is_converted:
        raise ValidationError(_("这条意见已于 %(d)s 转为%(k)s。")
                              % {"d": timezone.localtime(opinion.converted_at).strftime("%Y-%m-%d"),
                                 "k": opinion.converted_kind})
    if not conversion.allowed(by, opinion):
        raise PermissionDenied
    target = conversion.convert(opinion=opinion, by=by)
    opinion.converted_kind = conversion.key
    opinion.converted_content_type = ContentType.objects.get_for_model(target) if target is not None else None
    opinion.converted_object_id = getattr(target, "pk", None)
    opinion.converted_at = timezone.now()
    opinion.converted_by = by
    return save(opinion, by=by, fields=["converted_kind", "converted_content_type", "converted_object_id",
                                        "converted_at", "converted_by"])


@transaction.atomic
def visit_target_set(*, township, by, year: int, visits_per_month: int, people_per_year: int,
                     households_per_year: int = 0) -> VisitTarget:
    """Set (or change) the township's visit targets for a year."""
    if not has_perm(by, access.MANAGE_TARGETS, township):
        raise PermissionDenied
    if visits_per_month == 0 and people_per_year == 0 and households_per_year == 0:
        raise ValidationError(_("请至少设定一项目标。"))
    target = VisitTarget.objects.select_for_update().filter(township=township, year=year).first()
    if target is None:
        target = VisitTarget(township=township, year=year, set_by=by)
    target.visits_per_month, target.people_per_year = visits_per_month, people_per_year
    target.households_per_year, target.set_by = households_per_year, by
    return save(target, by=by)
