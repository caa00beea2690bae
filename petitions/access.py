"""The petitions app's actions on the floor's access rules, who stands in which relation to a case,
and the petitioner's personal data: keyed digests for look-ups, masks, and who may see it unmasked.

Role-level rules ("staff may register") are actions defined with :func:`presidium.access.define_action`;
row-level rules (a liaison handles only the cases transferred to their unit) come from the user's
*relation* to one case (:func:`relations`). Which rows a user sees at all is
:func:`petitions.selectors.petitions_visible_to`.

Personal data (PIPL): the petitioner's ID number, mobile and address are shown in full only to the
staff of the case's township and the liaisons of the unit it is *currently* transferred to
(:func:`sees_petitioner_data`); everyone else gets the masks below, and every unmasked view is logged
(``petitions.services.petition_data_access_record_many``).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from deputies.selectors import is_own_deputy
from presidium.access import ALL_ROLES, STAFF_ROLES, define_action, has_perm, scope_of
from presidium.choices import COUNTY_ROLES, Role

VIEW = define_action("petitions.view", ALL_ROLES,
                     "查看信访件（人大办：本乡镇的；县级：本县的；联络员：转本单位办理的；代表：本人代言的）")
REGISTER = define_action("petitions.register", STAFF_ROLES, "登记信访件、关联重复信访")
HANDLE = define_action("petitions.handle", STAFF_ROLES,
                       "受理、不予受理、转办、答复、延期、回访、息访、复查复核、重点督办、领导包案")
UNIT_REPLY = define_action("petitions.unit_reply", {Role.UNIT_LIAISON}, "回复转本单位办理的信访件")
FIGURES = define_action("petitions.figures", STAFF_ROLES | COUNTY_ROLES, "查看信访统计和台账")
CONFIGURE = define_action("petitions.configure", STAFF_ROLES, "维护信访类别")
RECEPTION = define_action("petitions.reception", STAFF_ROLES, "安排接待日和值班代表")

UNIT = "unit"  # relation: liaison of the unit the case is currently transferred to


def relations(user, petition) -> frozenset:
    """The roles ``user`` holds *for this case*: staff of its township, the current unit's liaison,
    the deputy who raised it. A superuser stands in every relation."""
    scope = scope_of(user)
    if scope.user_id is None:
        return frozenset()
    if scope.is_superuser:
        return frozenset({Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR, Role.UNIT_LIAISON, Role.DEPUTY})
    held: set = set()
    for grant in scope.grants:
        if grant.role in STAFF_ROLES and grant.township_id == petition.township_id:
            held.add(grant.role)
    if petition.current_unit_id and petition.current_unit_id in scope.unit_ids():
        held.add(Role.UNIT_LIAISON)
    if (petition.raised_by_deputy_id and scope.has_role(Role.DEPUTY)
            and is_own_deputy(petition.raised_by_deputy, user.pk)):
        held.add(Role.DEPUTY)
    return frozenset(held)


def is_staff_for(user, petition) -> bool:
    """May ``user`` handle this case (staff or chair of its township, or a superuser)?"""
    return scope_of(user).is_superuser or has_perm(user, HANDLE, petition.township_id)


def sees_petitioner_data(user, petition) -> bool:
    """Unmasked personal data: the staff of the township who handle the case, and the liaisons of the
    unit it is currently transferred to. County roles, the deputy who raised it, other units: masked."""
    scope = scope_of(user)
    if scope.user_id is None:
        return False
    if scope.is_superuser or has_perm(user, HANDLE, petition.township_id):
        return True
    return bool(petition.current_unit_id and petition.current_unit_id in scope.unit_ids())


def unmasked_petition_ids(user, petitions) -> set[int]:
    """The ids among ``petitions`` (loaded rows) whose personal data ``user`` sees unmasked; no queries
    beyond the user's scope."""
    scope = scope_of(user)
    if scope.user_id is None:
        return set()
    if scope.is_superuser:
        return {p.pk for p in petitions}
    staff_townships = {g.township_id for g in scope.grants if g.role in STAFF_ROLES and g.township_id}
    units = scope.unit_ids()
    return {p.pk for p in petitions if p.township_id in staff_townships or (p.current_unit_id and p.current_unit_id in units)}


# --- personal data: digests and masks -------------------------------------------------------------


def _hmac_key(purpose: str) -> bytes:
    # The deputies' key (DEPUTIES_ID_HMAC_KEY, else SECRET_KEY) in a derivation of its own: a petitioner's digest
    # never matches a deputy's. After that key changes, run ``manage.py rehash_petition_digests``.
    base = getattr(settings, "DEPUTIES_ID_HMAC_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(f"petitions.{purpose}:{base}".encode()).digest()


def _digest(purpose: str, value: str) -> str:
    if not value:
        return ""
    return hmac.new(_hmac_key(purpose), value.encode(), hashlib.sha256).hexdigest()


def normalize_mobile(value: str | None) -> str:
    """Digits only (spaces, dashes and a leading +86 dropped), so 138-1234-5678 and 13812345678 match."""
    digits = re.sub(r"\D", "", str(value or "").translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def mobile_digest(value: str | None) -> str:
    return _digest("mobile", normalize_mobile(value))


def id_number_digest(value: str | None) -> str:
    from deputies.pii import normalize_id_number

    return _digest("id_number", normalize_id_number(value))


def normalize_query_code(value: str | None) -> str:
    """Upper-case, without spaces or dashes (people type ``ab12-cd34``)."""
    return re.sub(r"[\s\-－]", "", str(value or "")).upper()


def query_code_digest(value: str | None) -> str:
    return _digest("query_code", normalize_query_code(value))


def mask_name(value: str) -> str:
    """张三丰 → 张**; 张三 → 张*; an empty name stays empty."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


def mask_mobile(value: str) -> str:
    """13812341234 → 138****1234."""
    from deputies.pii import mask_phone

    return mask_phone(value)


def mask_id_number(value: str) -> str:
    """330102199001011234 → 3301**********1234 (province and city only, and the last four)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_address(value: str) -> str:
    """The first six characters (township and village), the rest hidden."""
    from deputies.pii import mask_address as mask

    return mask(value)


class PetitionerView:
    """The petitioner's personal data as one viewer may see it: full or masked, field by field."""

    __slots__ = ("address", "id_number", "masked", "mobile", "name")

    def __init__(self, petition, *, unmasked: bool):
        self.masked = not unmasked
        if unmasked:
            self.name, self.mobile = petition.name, petition.mobile
            self.id_number, self.address = petition.id_number, petition.address
        else:
            self.name, self.mobile = mask_name(petition.name), mask_mobile(petition.mobile)
            self.id_number, self.address = mask_id_number(petition.id_number), mask_address(petition.address)


def petitioner_view(user, petition) -> PetitionerView:
    """What ``user`` may see of the petitioner (log the unmasked case with the data-access service)."""
    return PetitionerView(petition, unmasked=sees_petitioner_data(user, petition))


# --- screen steps: which buttons a user gets on a case, and why a button is disabled ----------------------
# Mirrors proposals.permissions: the lifecycle table plus the user's relation to the case. :func:`can` before
# showing a form; :func:`available` for the buttons; :func:`why_not` tells a *state* that does not allow the step
# yet (shown as a disabled button with the reason) from a *role* that never may (None: a 403); :func:`upcoming`
# lists the steps still ahead. The services check the same rules again when they write.

TRANSITION_KEYS = {
    "answer_on_spot": "answer_on_spot", "accept": "accept", "reject": "reject", "transfer": "transfer",
    "reply": "reply", "close": "close", "review_request": "request_review", "review_decide": "decide_review",
}
OTHER_KEYS = ("edit", "link_repeat", "unit_reply", "extend", "return_visit", "key_supervision", "lead_leader",
              "referral_result")
ORDER = ["edit", "answer_on_spot", "accept", "reject", "transfer", "unit_reply", "extend", "reply", "return_visit",
         "close", "review_request", "review_decide", "key_supervision", "lead_leader", "referral_result",
         "link_repeat"]
UPCOMING_KEYS = ("accept", "transfer", "reply", "close")


def _action_for(key: str, petition):
    """The lifecycle action a screen step asks about (the review steps follow the level the case is at)."""
    from petitions.choices import Action
    from petitions.choices import PetitionStatus as S

    action = Action(TRANSITION_KEYS[key])
    if petition.status in (S.REVIEWED, S.RE_REVIEW_REQUESTED, S.RE_REVIEWED):
        action = {Action.REQUEST_REVIEW: Action.REQUEST_RE_REVIEW,
                  Action.DECIDE_REVIEW: Action.DECIDE_RE_REVIEW}.get(action, action)
    return action


def _loaded(petition, name: str):
    """The case's ``name`` rows when the page already read them all (``prefetch_related_objects``), else None."""
    return getattr(petition, "_prefetched_objects_cache", {}).get(name)


def _open_transfer_waiting(petition) -> bool:
    transfers = _loaded(petition, "transfers")
    if transfers is not None:
        return any(t.replied_at is None and t.cancelled_at is None for t in transfers)
    return petition.transfers.filter(replied_at__isnull=True, cancelled_at__isnull=True).exists()


def _extended(petition) -> bool:
    from petitions.choices import NoticeKind

    notices = _loaded(petition, "notices")
    if notices is not None:
        return any(n.kind == NoticeKind.EXTENSION for n in notices)
    return petition.notices.filter(kind=NoticeKind.EXTENSION).exists()


def _state_refusal(key: str, petition) -> str | None:
    """Why the case's state does not allow ``key`` now (None: it does). Only for the case's staff."""
    from django.utils.translation import gettext as _

    from petitions import lifecycle
    from petitions.choices import PetitionStatus as S

    if key in TRANSITION_KEYS:
        action = _action_for(key, petition)
        if lifecycle.find(petition.status, action) is None:
            return lifecycle.refusal_reason(petition.status, action)
        if key == "reply" and petition.status == S.TRANSFERRED and _open_transfer_waiting(petition):
            return _("承办单位还没有回复办理情况。请等承办单位回复（或代为登记其书面回复）后再出具答复意见书。")
        if key == "review_request":
            from petitions.services.review import review_request_refusal

            return review_request_refusal(petition)
        return None
    if key == "edit":
        return None if petition.status == S.REGISTERED else _("已受理（或已答复）的信访件不能再修改登记内容。")
    if key == "extend":
        return lifecycle.extension_refusal(petition.status, already_extended=_extended(petition))
    if key == "unit_reply":
        if petition.status == S.TRANSFERRED and _open_transfer_waiting(petition):
            return None
        return _("这件信访件当前没有等待回复的转办。")
    if key == "return_visit":
        from petitions.services.handling import RETURN_VISIT_STATUSES

        if petition.status in RETURN_VISIT_STATUSES:
            return None
        return _("答复之后才能回访；“%(status)s”状态还没有答复。") % {"status": S(petition.status).label}
    if key == "referral_result":
        from petitions.choices import Channel
        from petitions.services.handling import REPORTABLE

        if petition.channel != Channel.REFERRED:
            return _("只有上级转办的信访件需要向上报送办理结果。")
        return None if petition.status in REPORTABLE else _("答复信访人之后才能报送办理结果。")
    return None  # key_supervision, lead_leader, link_repeat: any time


def _may_ever(user, key: str, petition, held: frozenset) -> bool:
    if key == "unit_reply":
        return bool(held & {Role.UNIT_LIAISON, *STAFF_ROLES})
    return bool(held & STAFF_ROLES)


def can(user, key: str, petition, *, held: frozenset | None = None) -> bool:
    """May ``user`` take screen step ``key`` on ``petition`` now?"""
    if key not in TRANSITION_KEYS and key not in OTHER_KEYS:
        raise KeyError(key)
    held = relations(user, petition) if held is None else held
    return _may_ever(user, key, petition, held) and _state_refusal(key, petition) is None


def available(user, petition) -> list[str]:
    held = relations(user, petition)
    return [key for key in ORDER if can(user, key, petition, held=held)]


def why_not(user, key: str, petition, *, held: frozenset | None = None) -> str | None:
    """Why ``user`` cannot take ``key`` *now* although their relation lets them at some point (a disabled button
    with this reason); None when the step is possible or never theirs (then it is a 403)."""
    held = relations(user, petition) if held is None else held
    if not _may_ever(user, key, petition, held):
        return None
    return _state_refusal(key, petition)


def upcoming(user, petition, *, actions: list[str] | None = None) -> list[tuple[str, str]]:
    """(key, reason) of the main steps still ahead on the case that the user cannot take yet."""
    from petitions import lifecycle

    held = relations(user, petition)
    actions = available(user, petition) if actions is None else actions
    result = []
    for key in UPCOMING_KEYS:
        if key in actions or lifecycle.path_to(petition.status, _action_for(key, petition)) is None:
            continue
        reason = why_not(user, key, petition, held=held)
        if reason:
            result.append((key, reason))
    return result
