"""Every deputies URL as every role, on township A's rows and on another county's (see tests/access_matrix.py).

Township A's deputy is linked to the world's deputy account, so the deputy role meets "their own"
rows; a colleague's rows are covered by tests/deputies/test_visibility.py. Objects that a POST
consumes (deletions) are built fresh for every request; the others once per test.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from presidium.choices import Role
from tests.access_matrix import COUNTY, STAFF, Case, allow, expect

CA, CR = Role.COUNTY_ADMIN.value, Role.COUNTY_REVIEWER.value
DEPUTY = Role.DEPUTY.value
REGISTRY = (*COUNTY, *STAFF)
MANAGERS = (CA, *STAFF)


def _cache(w) -> dict:
    return w.__dict__.setdefault("_deputies_access_cache", {})


def _admin():
    from presidium.models import User
    from tests.factories import PASSWORD

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "deputies_matrix_admin", "dm@example.invalid", PASSWORD)


def _png() -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "p.png"
    buffer.size = len(buffer.getvalue())
    return buffer


def own_deputy(w):
    """Township A's deputy, linked to the deputy account (with a photo and a visit)."""
    from deputies import services
    from deputies.models import Deputy

    cache = _cache(w)
    if "deputy" not in cache:
        deputy = Deputy.objects.filter(user=w.user(DEPUTY)).first()
        if deputy is None:
            deputy = services.deputy_create(township=w.township, by=None, name="冯国强", gender="male",
                                            mobile="13812345678")
            deputy = services.deputy_link_user(deputy=deputy, by=None, user=w.user(DEPUTY))
        elif not deputy.name_pinyin:  # made by another app's factory: bring it up to our services' standard
            deputy = services.deputy_update(deputy=deputy, by=None, mobile="13812345678")
        if not deputy.photo:
            deputy = services.deputy_set_photo(deputy=deputy, by=None, upload=_png())
        cache["deputy"] = deputy
    return cache["deputy"]


def foreign_deputy(w):
    from deputies import services

    cache = _cache(w)
    if "foreign" not in cache:
        deputy = services.deputy_create(township=w.foreign_township, by=None, name="赵敏", gender="female")
        cache["foreign"] = services.deputy_set_photo(deputy=deputy, by=None, upload=_png())
    return cache["foreign"]


def _visit(deputy, by, *, photo=True):
    from deputies import services
    from deputies.services import OpinionInput

    return services.visit_create(deputy=deputy, by=by, visited_on=timezone.localdate() - dt.timedelta(days=1),
                                 place="东风村三组", method="home", households=1, people=2,
                                 opinions=[OpinionInput("道路积水")], photos=[_png()] if photo else [])


def own_visit(w):
    cache = _cache(w)
    if "visit" not in cache:
        cache["visit"] = _visit(own_deputy(w), w.user(DEPUTY))
    return cache["visit"]


def foreign_visit(w):
    cache = _cache(w)
    if "foreign_visit" not in cache:
        cache["foreign_visit"] = _visit(foreign_deputy(w), _admin())
    return cache["foreign_visit"]


def _organisation(w, township, key):
    from deputies import services

    cache = _cache(w)
    if key not in cache:
        constituency = services.constituency_create(township=township, by=None, name=f"{key}选区", seats=3)
        group = services.deputy_group_create(township=township, by=None, name=f"{key}小组")
        station = services.liaison_station_create(township=township, by=None, name=f"{key}联络站")
        cache[key] = {"constituency": constituency, "group": group, "station": station}
    return cache[key]


def own_org(kind):
    return lambda w: [_organisation(w, w.township, "甲")[kind].pk]


def foreign_org(kind):
    return lambda w: [_organisation(w, w.foreign_township, "丙")[kind].pk]


def fresh_staff(township_attr):
    def build(w):
        from deputies import services

        station = _organisation(w, getattr(w, township_attr), "甲" if township_attr == "township" else "丙")["station"]
        return [services.station_staff_add(station=station, by=None, role="liaison", name="联络员").pk]
    return build


def fresh_visit(deputy_of):
    def build(w):
        deputy = deputy_of(w)
        by = w.user(DEPUTY) if deputy.user_id == w.user(DEPUTY).pk else _admin()
        return [_visit(deputy, by, photo=False).pk]
    return build


def fresh_photo(deputy_of):
    def build(w):
        from deputies import services

        deputy = deputy_of(w)
        by = w.user(DEPUTY) if deputy.user_id == w.user(DEPUTY).pk else _admin()
        visit = _visit(deputy, by, photo=False)
        return [services.visit_add_photos(visit=visit, by=by, files=[_png()])[0].pk]
    return build


def fresh_training(deputy_of):
    def build(w):
        from deputies import services

        return [services.training_add(deputy=deputy_of(w), by=_admin(), attended_on=timezone.localdate(),
                                      title="履职培训").pk]
    return build


def fresh_award(deputy_of):
    def build(w):
        from deputies import services

        return [services.award_add(deputy=deputy_of(w), by=_admin(), awarded_on=timezone.localdate(),
                                   title="优秀人大代表").pk]
    return build


def roster_batch(township_attr):
    def build(w):
        from presidium.documents import services as document_services
        from tests.deputies.test_import import messy_roster

        batch = document_services.import_batch_create(kind="deputy_roster", township=getattr(w, township_attr),
                                                      by=_admin(), content=messy_roster(), original_name="名册.xlsx")
        return [batch.pk]
    return build


def _deputy(fn):
    return lambda w: [fn(w).pk]


def _visit_pk(fn):
    return lambda w: [fn(w).pk]


def _photo_pk(fn):
    return lambda w: [fn(w).photos.first().pk]


def _opinion(fn):
    return lambda w: [fn(w).opinions.first().pk, "no-such-conversion"]


def _linked(w):
    own_deputy(w)
    return []


OWN, OTHER = _deputy(own_deputy), _deputy(foreign_deputy)
SEEN_BY_DEPUTY = expect(404, **dict.fromkeys(REGISTRY, 200), deputy=200)  # visible to registry roles and to self
MANAGE_OWN = expect(403, **dict.fromkeys(MANAGERS, 200), unit_liaison=404)
MANAGE_DUTY = MANAGE_OWN
POST_MANAGE = expect(403, **dict.fromkeys(MANAGERS, 302), unit_liaison=404)
ORG_EDIT = expect(403, **dict.fromkeys(MANAGERS, 200), deputy=404, unit_liaison=404)
ORG_POST = expect(403, **dict.fromkeys(MANAGERS, 302), deputy=404, unit_liaison=404)
VISIT_EDIT = expect(403, **dict.fromkeys(STAFF, 200), deputy=200, unit_liaison=404)
VISIT_POST = expect(403, **dict.fromkeys(STAFF, 302), deputy=302, unit_liaison=404)

CASES = [
    # registry
    Case("deputies:index", expect(403, **dict.fromkeys(REGISTRY, 302), deputy=302)),
    Case("deputies:deputy_list", allow(REGISTRY)),
    Case("deputies:deputy_create", allow(MANAGERS)),
    Case("deputies:me", expect(404, deputy=302), own=_linked, note="no linked deputy: an explanation, as a 404"),
    Case("deputies:composition", allow(REGISTRY)),
    Case("deputies:access_log", allow(MANAGERS)),
    Case("deputies:deputy_detail", SEEN_BY_DEPUTY, own=OWN, other=OTHER),
    Case("deputies:deputy_update", MANAGE_OWN, own=OWN, other=OTHER),
    Case("deputies:deputy_status", MANAGE_OWN, own=OWN, other=OTHER),
    Case("deputies:deputy_account", MANAGE_OWN, own=OWN, other=OTHER),
    Case("deputies:deputy_reveal_id", MANAGE_OWN, own=OWN, other=OTHER, method="post"),
    Case("deputies:deputy_photo", SEEN_BY_DEPUTY, own=OWN, other=OTHER),
    Case("deputies:deputy_photo_upload", MANAGE_OWN, own=OWN, other=OTHER),
    Case("deputies:deputy_photo_remove", POST_MANAGE, own=OWN, other=OTHER, method="post"),
    # duty archive and records
    Case("deputies:deputy_archive", SEEN_BY_DEPUTY, own=OWN, other=OTHER),
    Case("deputies:deputy_archive_pdf", SEEN_BY_DEPUTY, own=OWN, other=OTHER),
    Case("deputies:deputy_archive_docx", SEEN_BY_DEPUTY, own=OWN, other=OTHER),
    Case("deputies:pledge", MANAGE_DUTY, own=OWN, other=OTHER),
    Case("deputies:voter_report", MANAGE_DUTY, own=OWN, other=OTHER),
    Case("deputies:assessment", MANAGE_DUTY, own=OWN, other=OTHER),
    Case("deputies:training_add", MANAGE_DUTY, own=OWN, other=OTHER),
    Case("deputies:award_add", MANAGE_DUTY, own=OWN, other=OTHER),
    Case("deputies:training_remove", POST_MANAGE, own=fresh_training(own_deputy), other=fresh_training(foreign_deputy),
         method="post"),
    Case("deputies:award_remove", POST_MANAGE, own=fresh_award(own_deputy), other=fresh_award(foreign_deputy),
         method="post"),
    Case("deputies:duty_overview", allow(REGISTRY)),
    Case("deputies:targets", allow(STAFF)),
    # constituencies, groups, stations
    Case("deputies:constituency_list", allow(REGISTRY)),
    Case("deputies:constituency_create", allow(MANAGERS)),
    Case("deputies:constituency_update", ORG_EDIT, own=own_org("constituency"), other=foreign_org("constituency")),
    Case("deputies:group_list", allow(REGISTRY)),
    Case("deputies:group_create", allow(MANAGERS)),
    Case("deputies:group_detail", expect(404, **dict.fromkeys(REGISTRY, 200)), own=own_org("group"),
         other=foreign_org("group")),
    Case("deputies:group_update", ORG_EDIT, own=own_org("group"), other=foreign_org("group")),
    Case("deputies:group_members", ORG_EDIT, own=own_org("group"), other=foreign_org("group")),
    Case("deputies:station_list", allow(REGISTRY)),
    Case("deputies:station_create", allow(MANAGERS)),
    Case("deputies:station_detail", expect(404, **dict.fromkeys(REGISTRY, 200)), own=own_org("station"),
         other=foreign_org("station")),
    Case("deputies:station_update", ORG_EDIT, own=own_org("station"), other=foreign_org("station")),
    Case("deputies:station_staff_add", ORG_EDIT, own=own_org("station"), other=foreign_org("station")),
    Case("deputies:station_deputies", ORG_EDIT, own=own_org("station"), other=foreign_org("station")),
    Case("deputies:station_staff_remove", ORG_POST, own=fresh_staff("township"),
         other=fresh_staff("foreign_township"), method="post"),
    # visits
    Case("deputies:visit_list", expect(403, **dict.fromkeys(REGISTRY, 200), deputy=200)),
    Case("deputies:visit_create", expect(403, **dict.fromkeys(STAFF, 200), deputy=200), own=_linked),
    Case("deputies:visit_detail", SEEN_BY_DEPUTY, own=_visit_pk(own_visit), other=_visit_pk(foreign_visit)),
    Case("deputies:visit_update", VISIT_EDIT, own=_visit_pk(own_visit), other=_visit_pk(foreign_visit)),
    Case("deputies:visit_delete", VISIT_POST, own=fresh_visit(own_deputy), other=fresh_visit(foreign_deputy),
         method="post"),
    Case("deputies:visit_photo", SEEN_BY_DEPUTY, own=_photo_pk(own_visit), other=_photo_pk(foreign_visit)),
    Case("deputies:visit_photo_thumbnail", SEEN_BY_DEPUTY, own=_photo_pk(own_visit),
         other=_photo_pk(foreign_visit)),
    Case("deputies:visit_photo_delete", VISIT_POST, own=fresh_photo(own_deputy), other=fresh_photo(foreign_deputy),
         method="post"),
    Case("deputies:opinion_convert", expect(404), own=_opinion(own_visit), other=_opinion(foreign_visit),
         method="post", note="an unknown conversion is a 404; conversion rights: tests/deputies/test_visits.py"),
    # roster import (the foundation's flow checks the action first: another county's batch is in test_import)
    Case("deputies:roster_import", allow(MANAGERS)),
    Case("deputies:roster_import_template", allow(MANAGERS)),
    Case("deputies:roster_import_preview", allow(MANAGERS), own=roster_batch("township")),
    Case("deputies:roster_import_file", allow(MANAGERS), own=roster_batch("township")),
    Case("deputies:roster_import_commit", allow(MANAGERS, status=302), own=roster_batch("township"), method="post"),
    Case("deputies:roster_import_discard", allow(MANAGERS, status=302), own=roster_batch("township"), method="post"),
    Case("deputies:roster_import_reveal", allow(MANAGERS), own=roster_batch("township"), method="post"),
]
