"""Every petitions URL as every role, on township A's case and on another county's (see tests/access_matrix.py).

A case in A is registered by A's staff; where the liaison's relation matters it is transferred to the
world's unit, so each role meets it in its real relation: staff of the township, the county, the unit's
liaison, a deputy who did not raise it (404). Another county's case is a 404 for everyone.

The other branches add their URLs' cases in ``tests/petitions/access_cases_<branch>.py`` (a module-level
``CASES`` list); they are collected here, so the matrix (which imports ``tests.<app>.access_cases``) sees them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from pathlib import Path

from django.utils import timezone

from presidium.choices import Role
from tests.access_matrix import STAFF, Case, allow, expect

COUNTY_ALL = (Role.COUNTY_ADMIN.value, Role.COUNTY_REVIEWER.value)
FIGURES = (*STAFF, *COUNTY_ALL)
LIAISON = Role.UNIT_LIAISON.value
DEPUTY = Role.DEPUTY.value
ALL_200 = expect(200)


def _staff_of(w, township):
    from presidium.models import User
    from tests.factories import PASSWORD

    if township == w.township:
        return w.user(Role.PRESIDIUM_STAFF)
    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "petitions_admin", "petitions@example.invalid", PASSWORD)


def _at(status: str, *, unit: bool = False, back: int = 10, **extra):
    """URL args builder: a case of the township (A, or the foreign one) walked to ``status``."""

    def build(w, township):
        from tests.factories import petition_at

        received = timezone.localdate() - dt.timedelta(days=back)
        chosen_unit = (w.unit if township == w.township else w.foreign_unit) if unit else None
        return petition_at(status, township, by=_staff_of(w, township), unit=chosen_unit, received_on=received,
                           **extra)

    return build


def _own(build):
    return lambda w: [build(w, w.township).pk]


def _other(build):
    return lambda w: [build(w, w.foreign_township).pk]


def _case(name: str, expected: dict, build, **kwargs) -> Case:
    return Case(name, expected, own=_own(build), other=_other(build), **kwargs)


def _attachment(township_of):
    def make(w):
        from django.core.files.base import ContentFile

        from petitions.models import PetitionAttachment

        township = township_of(w)
        petition = _at("transferred", unit=True)(w, township)
        attachment = PetitionAttachment(petition=petition, original_name="来信.pdf", content_type="application/pdf",
                                        size_bytes=8, content_checked=False)
        attachment.file.save("upload.pdf", ContentFile(b"%PDF-1.4"), save=False)
        attachment.save()
        return [attachment.pk]

    return make


# Staff and chair take the steps; the county sees the case but takes none (403); a deputy who did not
# raise it and a liaison whose unit never had it do not see it (404).
STEP = expect(404, **dict.fromkeys(STAFF, 200), **dict.fromkeys(COUNTY_ALL, 403))
# The same on a case that was transferred to the liaison's unit: the liaison sees it, may not take the step.
STEP_SEEN_BY_UNIT = expect(404, **dict.fromkeys(STAFF, 200), **dict.fromkeys(COUNTY_ALL, 403), **{LIAISON: 403})

OWN_CASES = [
    Case("petitions:list", ALL_200, note="each role sees its own cases (a deputy: those raised; a liaison: its unit's)"),
    Case("petitions:unit_list", allow((LIAISON,))),
    Case("petitions:register", allow(STAFF)),
    Case("petitions:repeats", allow(STAFF)),
    Case("petitions:figures", allow(FIGURES)),
    Case("petitions:attachment", expect(404, **dict.fromkeys(FIGURES, 200), **{LIAISON: 200}),
         own=_attachment(lambda w: w.township), other=_attachment(lambda w: w.foreign_township)),
    _case("petitions:detail", expect(404, **dict.fromkeys(FIGURES, 200), **{LIAISON: 200}),
          _at("transferred", unit=True)),
    _case("petitions:answer_on_spot", STEP, _at("registered")),
    _case("petitions:accept", STEP, _at("registered")),
    _case("petitions:reject", STEP, _at("registered")),
    _case("petitions:link_repeat", STEP, _at("registered")),
    _case("petitions:edit", STEP, _at("registered")),
    _case("petitions:query_code", STEP_SEEN_BY_UNIT, _at("transferred", unit=True),
          note="staff tell the code; the unit that handles the case sees the petitioner but not the code"),
    _case("petitions:transfer", STEP, _at("accepted")),
    _case("petitions:extend", STEP, _at("accepted")),
    _case("petitions:reply", STEP, _at("accepted")),
    _case("petitions:key_supervision", STEP, _at("accepted")),
    _case("petitions:lead_leader", STEP, _at("accepted")),
    _case("petitions:unit_reply", expect(404, **dict.fromkeys(STAFF, 200), **dict.fromkeys(COUNTY_ALL, 403),
                                         **{LIAISON: 200}), _at("transferred", unit=True),
          note="the unit's liaison answers; staff may enter a reply the unit sent on paper"),
    _case("petitions:return_visit", STEP_SEEN_BY_UNIT, _at("replied", unit=True, back=35)),
    _case("petitions:close", STEP_SEEN_BY_UNIT, _at("replied", unit=True, back=35)),
    _case("petitions:review_request", STEP, _at("replied", back=35)),
    _case("petitions:review_decide", STEP, _at("review_requested", back=45)),
    _case("petitions:review_request", STEP, _at("reviewed", back=55), note="a reviewed case asks for a re-review"),
    _case("petitions:review_decide", STEP, _at("re_review_requested", back=60),
          note="the re-review's opinion"),
    _case("petitions:referral_result", STEP, _at("replied", back=35, channel="referred", referral_body="县信访局")),
]


def _other_branches() -> list[Case]:
    """``CASES`` of every ``tests/petitions/access_cases_*.py`` (the public, reception and core branches')."""
    cases = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("access_cases_"):
            cases.extend(importlib.import_module(f"{__package__}.{module.name}").CASES)
    return cases


def _category(township_of):
    def make(w):
        from petitions import services

        return [services.categories_ensure(township=township_of(w))[0].pk]
    return make


OWN_CASES += [
    Case("petitions:category_list", allow(STAFF)),
    Case("petitions:category_create", allow(STAFF)),
    Case("petitions:category_update", expect(404, **dict.fromkeys(STAFF, 200)),
         own=_category(lambda w: w.township), other=_category(lambda w: w.foreign_township)),
]

CASES = [*OWN_CASES, *_other_branches()]
