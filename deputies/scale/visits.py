"""Five years of visits of a scale township: yearly targets, visits with opinions, and a few photos."""

from __future__ import annotations

import datetime as dt
import io
import os
import random

from django.utils import timezone
from PIL import Image, ImageDraw

from deputies import visit_years
from deputies.choices import DeputyStatus, VisitMethod
from deputies.demo import FOLLOW_UPS, OPINIONS, SUMMARIES
from deputies.models import Visit, VisitOpinion, VisitPhoto, VisitTarget
from deputies.models.visits import visit_photo_path, visit_thumbnail_path
from deputies.scale.registry import Roster
from presidium.documents.uploads import make_thumbnail
from presidium.scale import ScalePlan, ScaleTownship

# (people, households) a deputy is expected to reach in a year; one visit a month everywhere, which is
# what ``plan.yearly("visits")`` gives a township of ``plan.deputies`` deputies.
TARGETS = [(20, 0), (24, 10), (30, 12)]
# How diligent deputies are: share of deputies, and their visits as a multiple of the yearly target.
DILIGENCE = [("idle", 10, (0.0, 0.4)), ("steady", 70, (0.97, 1.1)), ("active", 20, (1.1, 1.4))]  # mean ≈ 1
PHOTO_SHARE = 0.10


def build_visits(plan: ScalePlan, built: ScaleTownship, roster: Roster, written: list) -> None:
    township = built.township
    rng = plan.rng("visits", township.name)
    people, households = TARGETS[built.index % len(TARGETS)]
    plan.bulk(VisitTarget, [
        VisitTarget(township=township, year=year, visits_per_month=1, people_per_year=people,
                    households_per_year=households, set_by=built.staff,
                    updated_at=plan.at(min(dt.date(year, 1, 10), plan.today), 15))
        for year in plan.year_list])

    visits: list[Visit] = []
    opinion_specs: list[list[tuple[str, str, str]]] = []
    for year in plan.year_list:
        for deputy, count, first, last in _yearly_counts(plan, roster, rng, year):
            home = roster.home_village[deputy.pk]
            for _n in range(count):
                day = plan.random_day(rng, first, last)
                village = home if rng.random() < 0.7 else rng.choice(roster.villages)
                visits.append(_visit(plan, built, deputy, day, village, rng))
                picked = rng.sample(OPINIONS, k=rng.choices([1, 2, 3], [55, 30, 15])[0])
                opinion_specs.append([(cat, text.format(v=village, g=f"{rng.randint(1, 9)}组"),
                                       rng.choice(["村民", "群众", "种植户", "老党员", ""])) for cat, text in picked])
    for visit, items in zip(visits, opinion_specs, strict=True):
        visit.opinion_count = len(items)
    visits = plan.bulk(Visit, visits)
    visit_years.fill(Visit.objects.filter(township=township))
    plan.bulk(VisitOpinion, [
        VisitOpinion(visit=visit, position=position, content=content, category=category, raised_by=raised_by)
        for visit, items in zip(visits, opinion_specs, strict=True)
        for position, (category, content, raised_by) in enumerate(items, start=1)])
    _photos(plan, built, [v for v in visits if rng.random() < PHOTO_SHARE], rng, written)


def _yearly_counts(plan: ScalePlan, roster: Roster, rng: random.Random, year: int):
    """(deputy, visits, first day, last day) for each deputy who served in ``year``.

    The township makes about ``plan.yearly("visits")`` visits in a full year (in proportion this year); a
    deputy's share follows their diligence, so most are at or just above the target of one a month
    (prorated to today, as the duty overview measures it) and some far behind.
    """
    start, end = plan.year_span(year)
    year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    per_deputy = plan.yearly("visits") / max(1, len(roster.deputies))
    rows = []
    for deputy in roster.deputies:
        first = max(start, deputy.elected_on or start)
        last = end if deputy.status == DeputyStatus.SERVING else min(end, deputy.status_since - dt.timedelta(days=1))
        if last < first:
            continue
        low, high = rng.choices([r for _k, _s, r in DILIGENCE], [s for _k, s, _r in DILIGENCE])[0]
        served = ((last - first).days + 1) / year_days
        rows.append((deputy, int(rng.uniform(low, high) * served * per_deputy + 0.5), first, last))
    return rows


def _visit(plan: ScalePlan, built: ScaleTownship, deputy, day: dt.date, village: str, rng: random.Random) -> Visit:
    method = rng.choices(list(VisitMethod.values), [55, 15, 15, 12, 3])[0]
    households = rng.randint(1, 8) if method == VisitMethod.HOME else rng.randint(0, 3)
    people = max(1, households + rng.randint(0, 6)) if method != VisitMethod.FORUM else rng.randint(8, 30)
    # Most deputies record their own visits on the phone the same or the next day; staff record the rest.
    by_self = rng.random() < 0.75
    recorded = min(timezone.now(), plan.at(min(day + dt.timedelta(days=rng.choice([0, 0, 1, 2])), plan.today),
                                           rng.randint(9, 20), rng.randint(0, 59)))
    return Visit(township=built.township, deputy=deputy, visited_on=day, place=f"{village}{rng.randint(1, 9)}组",
                 method=method, households=households, people=people, summary=rng.choice(SUMMARIES),
                 follow_up=rng.choice(FOLLOW_UPS), recorded_by=deputy.user if by_self else built.staff,
                 created_at=recorded, updated_at=recorded)


def _photos(plan: ScalePlan, built: ScaleTownship, visits: list[Visit], rng: random.Random, written: list) -> None:
    """One to three photos on each of ``visits``; every photo its own pair of files.

    Deleting a photo or a visit deletes the photo's files (``VisitPhoto.stored_files``), so two rows must
    never share one: the picture is encoded once per township and written once per photo.
    """
    picture, thumbnail = _picture(built.index)
    storage = VisitPhoto._meta.get_field("image").storage
    photos = []
    for visit in visits:
        for _n in range(rng.choices([1, 2, 3], [60, 30, 10])[0]):
            photo = VisitPhoto(visit=visit, width=PICTURE_SIZE[0], height=PICTURE_SIZE[1], size_bytes=len(picture),
                               uploaded_by=visit.recorded_by, uploaded_at=visit.created_at)
            photo.image.name = _write(storage, visit_photo_path(photo, "photo.jpg"), picture, written)
            photo.thumbnail.name = _write(storage, visit_thumbnail_path(photo, "thumb.jpg"), thumbnail, written)
            photos.append(photo)
    plan.bulk(VisitPhoto, photos)


PICTURE_SIZE = (480, 360)


def _write(storage, name: str, data: bytes, written: list) -> str:
    """Write ``data`` as the private file ``name`` (a fresh uuid name: nothing to overwrite).

    ``storage.save`` would do the same with an existence check, a lock and a copy loop per file — about
    1.4 ms each, a second and a half per township; the private storage is a ``FileSystemStorage``.
    """
    path = storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "xb") as out:
        out.write(data)
    written.append((storage, name))
    return name


def _picture(seed: int) -> tuple[bytes, bytes]:
    """A small plain JPEG (a field, a house, the sky) and its thumbnail, made as uploads make them."""
    image = Image.new("RGB", PICTURE_SIZE, (135, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 360), fill=(90 + seed % 5 * 10, 150, 70))
    draw.rectangle((170, 150, 300, 250), fill=(200, 190, 170))
    draw.polygon([(160, 150), (235, 95), (310, 150)], fill=(150, 60, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    data = out.getvalue()
    return data, make_thumbnail(data).read()
