"""Every URL of the evaluation of units as every role, on township A's campaign and another county's.

Staff of A run the campaign (200 / 302 after a POST); the county sees it but changes nothing (403); a deputy
or a liaison does not see campaigns (404) — a deputy votes through the vote pages (the world's deputy account
has no deputy record, so the ballot refuses with the reason, 403); a liaison sees only its own unit's
rectification items and its own page. Another county's rows are 404 for everyone.
"""

from __future__ import annotations

import datetime as dt

from presidium.choices import Role
from tests.access_matrix import STAFF, Case, allow, expect

COUNTY_ALL = (Role.COUNTY_ADMIN.value, Role.COUNTY_REVIEWER.value)
SEES = (*STAFF, *COUNTY_ALL)
LIAISON = Role.UNIT_LIAISON.value
DEPUTY = Role.DEPUTY.value
STAFF_ONLY_ON_ROW = expect(404, **dict.fromkeys(STAFF, 200), **dict.fromkeys(COUNTY_ALL, 403))
STAFF_POST = expect(404, **dict.fromkeys(STAFF, 302), **dict.fromkeys(COUNTY_ALL, 403))


def _admin():
    from presidium.models import User
    from tests.factories import PASSWORD

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "units_admin", "units@example.invalid", PASSWORD)


def _by(w, township):
    return w.user(Role.PRESIDIUM_STAFF) if township == w.township else _admin()


def _unit(w, township):
    return w.unit if township == w.township else w.foreign_unit


def _campaign(w, township, **kwargs):
    from tests.factories import unit_campaign

    return unit_campaign(township, by=_by(w, township), units=[_unit(w, township)], **kwargs)


def _round(state: str, **kwargs):
    def build(w, township):
        from evaluations.units import services
        from tests.factories import unit_round_open, unit_voters

        campaign = _campaign(w, township, **kwargs)
        round_ = campaign.rounds.get(number=1)
        if state == "draft":
            return round_
        unit_voters(township, 1)
        round_ = unit_round_open(campaign, by=_by(w, township))
        if state in ("closed", "published"):
            round_ = services.round_close(round_=round_, by=_by(w, township))
        if state == "published":
            round_ = services.round_publish(round_=round_, by=_by(w, township))
        return round_

    return build


def _item(status: str):
    def build(w, township):
        from django.utils import timezone

        from evaluations.units import rectification

        by = _by(w, township)
        campaign = _campaign(w, township)
        item = rectification.rectification_open(campaign=campaign, unit=_unit(w, township), title="窗口服务整改",
                                                owner="李站长", by=by,
                                                due_on=timezone.localdate() + dt.timedelta(days=30))
        if status == "done":
            item = rectification.rectification_done(item=item, by=by, note="已整改")
        return item

    return build


def _evidence(w, township):
    from django.core.files.base import ContentFile

    from evaluations.models import RectificationEvidence

    item = _item("open")(w, township)
    evidence = RectificationEvidence(item=item, original_name="整改照片.pdf", content_type="application/pdf",
                                     size_bytes=8, uploaded_by=_by(w, township))
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    return evidence


def _deduction(w, township):
    from evaluations.units import services

    round_ = _round("draft")(w, township)
    return services.deduction_add(round_=round_, unit=_unit(w, township), points=1, reason="暗访脱岗",
                                  by=_by(w, township))


def _case(name, expected, build, **kwargs) -> Case:
    return Case(name, expected, own=lambda w: [build(w, w.township).pk],
                other=lambda w: [build(w, w.foreign_township).pk], **kwargs)


def _vote_unit(state):
    def args(w, township):
        round_ = _round(state, scheme_kind="indicators")(w, township)
        return [round_.pk, _unit(w, township).pk]

    return args


CASES = [
    Case("evaluations:units:campaign_list", allow(SEES)),
    Case("evaluations:units:campaign_create", allow(STAFF)),
    Case("evaluations:units:vote_home", allow((DEPUTY,))),
    Case("evaluations:units:unit_mine", allow((LIAISON,))),
    _case("evaluations:units:campaign_detail", expect(404, **dict.fromkeys(SEES, 200)), _campaign),
    _case("evaluations:units:cumulative", expect(404, **dict.fromkeys(SEES, 200)), _campaign),
    _case("evaluations:units:indicator_create", STAFF_ONLY_ON_ROW, _campaign),
    _case("evaluations:units:rectification_create", STAFF_ONLY_ON_ROW, _campaign),
    _case("evaluations:units:round_window", STAFF_ONLY_ON_ROW, _round("draft")),
    _case("evaluations:units:round_open", STAFF_POST, _round("draft"), method="post"),
    _case("evaluations:units:round_close", STAFF_POST, _round("open"), method="post"),
    _case("evaluations:units:round_publish", STAFF_POST, _round("closed"), method="post"),
    _case("evaluations:units:round_turnout", expect(404, **dict.fromkeys(SEES, 200)), _round("open")),
    _case("evaluations:units:round_results", expect(404, **dict.fromkeys(SEES, 200)), _round("published")),
    _case("evaluations:units:round_deductions", expect(404, **dict.fromkeys(SEES, 200)), _round("draft")),
    _case("evaluations:units:deduction_create", STAFF_ONLY_ON_ROW, _round("draft")),
    _case("evaluations:units:deductions_refresh", STAFF_POST, _round("draft"), method="post"),
    _case("evaluations:units:deduction_withdraw", STAFF_POST, _deduction, method="post"),
    # Every role of A finds the round; only the deputy role may vote, and the world's deputy account has no
    # deputy record: refused with the reason (403).
    _case("evaluations:units:vote_round", expect(403), _round("open", scheme_kind="grades"),
          note="a deputy without a deputy record is refused with the reason"),
    Case("evaluations:units:vote_unit", expect(403), own=lambda w: _vote_unit("open")(w, w.township),
         other=lambda w: _vote_unit("open")(w, w.foreign_township)),
    _case("evaluations:units:rectification_detail", expect(404, **dict.fromkeys(SEES, 200), **{LIAISON: 200}),
          _item("open")),
    _case("evaluations:units:rectification_done", expect(404, **dict.fromkeys(STAFF, 200),
                                                          **dict.fromkeys(COUNTY_ALL, 403), **{LIAISON: 200}),
          _item("open")),
    _case("evaluations:units:rectification_check", expect(404, **dict.fromkeys(STAFF, 200),
                                                           **dict.fromkeys(COUNTY_ALL, 403), **{LIAISON: 403}),
          _item("done")),
    _case("evaluations:units:evidence", expect(404, **dict.fromkeys(SEES, 200), **{LIAISON: 200}), _evidence),
]
