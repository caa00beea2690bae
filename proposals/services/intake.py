"""Intake: drafting, co-signing, submitting, returning, converting, registering, the agenda decision."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from deputies.choices import TOWNSHIP_SEAT_LEVELS, DeputyStatus
from deputies.models import Deputy
from presidium.access import STAFF_ROLES, has_perm, scope_of
from presidium.choices import Role
from presidium.notifications.services import notify
from presidium.records import as_stored, label, record
from proposals.access import MANAGE, SUBMIT
from proposals.choices import (
    Action,
    AgendaDecision,
    RaisedDuring,
    SubmitterKind,
    SuggestionKind,
    SuggestionStatus,
)
from proposals.models import Category, Cosignature, SerialCounter, Suggestion
from proposals.selectors import deputy_user, township_staff
from proposals.services.common import clean_text, lock, log, move, require_relation, save

S = SuggestionStatus
MOTION_MIN_SIGNERS = 5  # 地方组织法: 乡镇人大代表五人以上联名 (county deputies based in the township do not count)
EDITABLE_FIELDS = ("kind", "submitter_kind", "raised_during", "session_name", "session", "title", "content", "measures",
                   "category")


# --- drafting ----------------------------------------------------------------------------------------


def _own_deputy(by, township) -> Deputy | None:
    return Deputy.objects.filter(user_id=by.pk, township=township, status=DeputyStatus.SERVING).first()


def _check_parties(*, township, kind, submitter_kind, lead_deputy, category, cosigners: list[Deputy]) -> None:
    errors = {}
    if kind == SuggestionKind.SUGGESTION and submitter_kind != SubmitterKind.DEPUTIES:
        errors["submitter_kind"] = _("建议、批评和意见由代表提出，主席团只能提出议案。")
    if submitter_kind == SubmitterKind.DEPUTIES and lead_deputy is None:
        errors["lead_deputy"] = _("请选择领衔代表。")
    if lead_deputy is not None and lead_deputy.township_id != township.pk:
        errors["lead_deputy"] = _("领衔代表必须是本乡镇的代表。")
    if lead_deputy is not None and lead_deputy.status != DeputyStatus.SERVING:
        errors["lead_deputy"] = _("%(name)s 已不在任，不能领衔提出。") % {"name": lead_deputy.name}
    if category is not None and category.township_id != township.pk:
        errors["category"] = _("请选择本乡镇的建议类别。")
    for deputy in cosigners:
        if deputy.township_id != township.pk or deputy.status != DeputyStatus.SERVING:
            errors["cosigners"] = _("联名代表必须是本乡镇在任的代表：%(name)s 不是。") % {"name": deputy.name}
        if lead_deputy is not None and deputy.pk == lead_deputy.pk:
            errors["cosigners"] = _("领衔代表不必再作为联名代表。")
    if errors:
        raise ValidationError(errors)


def _may_draft_for(by, township, lead_deputy) -> bool:
    """Staff enter for any deputy of their township; a deputy drafts only as the lead deputy."""
    scope = scope_of(by)
    if scope.is_superuser or has_perm(by, MANAGE, township):
        return True
    if not has_perm(by, SUBMIT, township):
        return False
    return lead_deputy is not None and lead_deputy.user_id == by.pk


@transaction.atomic
def suggestion_create(*, township, by, title: str, content: str, kind: str = SuggestionKind.SUGGESTION,
                      measures: str = "", category: Category | None = None, lead_deputy: Deputy | None = None,
                      submitter_kind: str = SubmitterKind.DEPUTIES, raised_during: str = RaisedDuring.RECESS,
                      session_name: str = "", cosigners: Iterable[Deputy] = (), source_opinion=None,
                      session=None) -> Suggestion:
    """A new draft. A deputy drafts their own; staff may enter one on a deputy's behalf (``entered_by``).

    Raised during a session: ``session`` is its meeting record (its title becomes ``session_name``), or the
    record is looked up from the typed ``session_name`` and linked when found.
    """
    cosigners = list(dict.fromkeys(cosigners))
    if lead_deputy is None and submitter_kind == SubmitterKind.DEPUTIES and not has_perm(by, MANAGE, township):
        lead_deputy = _own_deputy(by, township)
    if not _may_draft_for(by, township, lead_deputy):
        raise PermissionDenied(_("只有代表本人或本乡镇人大办可以录入议案建议。"))
    _check_parties(township=township, kind=kind, submitter_kind=submitter_kind, lead_deputy=lead_deputy,
                   category=category, cosigners=cosigners)
    suggestion = Suggestion(
        township=township, kind=kind, submitter_kind=submitter_kind, raised_during=raised_during,
        session_name=clean_text(session_name) if raised_during == RaisedDuring.SESSION else "",
        session=session if raised_during == RaisedDuring.SESSION else None,
        title=clean_text(title), content=clean_text(content), measures=clean_text(measures), category=category,
        lead_deputy=lead_deputy if submitter_kind == SubmitterKind.DEPUTIES else None,
        source_opinion=source_opinion, entered_by=by, status=S.DRAFT,
    )
    _link_session(suggestion)
    save(suggestion, by)
    for deputy in cosigners:
        Cosignature.objects.create(suggestion=suggestion, deputy=deputy)
    on_behalf = lead_deputy is not None and lead_deputy.user_id != by.pk
    log(suggestion, event="create", by=by,
        title=_l("代领衔代表录入草稿") if on_behalf else _("创建草稿"))
    return suggestion


@transaction.atomic
def suggestion_update(*, suggestion: Suggestion, by, cosigners: Iterable[Deputy] | None = None,
                      lead_deputy: Deputy | None = None, **changes) -> Suggestion:
    """Edit a draft (the lead deputy, whoever entered it, or staff)."""
    suggestion = lock(suggestion)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if suggestion.status != S.DRAFT:
        raise ValidationError(_("只有草稿可以修改；已提交的请联系人大办退回后再修改。"))
    if suggestion.entered_by_id != by.pk:
        require_relation(by, suggestion, STAFF_ROLES | {Role.DEPUTY})
    for name, value in changes.items():
        setattr(suggestion, name, clean_text(value) if isinstance(value, str) and name not in (
            "kind", "submitter_kind", "raised_during") else value)
    if lead_deputy is not None and has_perm(by, MANAGE, suggestion.township):
        suggestion.lead_deputy = lead_deputy
    if suggestion.submitter_kind == SubmitterKind.PRESIDIUM:
        suggestion.lead_deputy = None
    if suggestion.raised_during != RaisedDuring.SESSION:
        suggestion.session_name = ""
        suggestion.session = None
    elif "session" not in changes and "session_name" in changes:
        suggestion.session = None  # a retyped name is looked up again
    _link_session(suggestion)
    new_cosigners = list(dict.fromkeys(cosigners)) if cosigners is not None else None
    _check_parties(township=suggestion.township, kind=suggestion.kind, submitter_kind=suggestion.submitter_kind,
                   lead_deputy=suggestion.lead_deputy, category=suggestion.category,
                   cosigners=new_cosigners if new_cosigners is not None else [])
    save(suggestion, by, [*changes, "lead_deputy", "session_name", "session"])
    if new_cosigners is not None:
        keep = {d.pk for d in new_cosigners}
        suggestion.cosignatures.exclude(deputy_id__in=keep).delete()
        existing = set(suggestion.cosignatures.values_list("deputy_id", flat=True))
        for deputy in new_cosigners:
            if deputy.pk not in existing:
                Cosignature.objects.create(suggestion=suggestion, deputy=deputy)
    log(suggestion, event="edit", by=by, title=_l("修改草稿"))
    return suggestion


def _link_session(suggestion: Suggestion) -> None:
    """The session's record names the session; a typed name finds its record when there is one."""
    from presidium.meetings.sessions import session_for_name

    if suggestion.raised_during != RaisedDuring.SESSION:
        return
    session = suggestion.session
    if session is not None:
        if session.township_id != suggestion.township_id or session.kind != "congress_session":
            raise ValidationError({"session": _("请选择本乡镇的人代会。")})
        suggestion.session_name = session.title[:100]
    elif suggestion.session_name:
        suggestion.session = session_for_name(suggestion.township, suggestion.session_name)


def suggestions_link_session(*, session, by=None) -> int:
    """A congress session was scheduled: the suggestions that typed its name before it existed are linked to it."""
    from presidium.meetings.sessions import parse_session_name

    candidates = Suggestion.objects.filter(township_id=session.township_id, raised_during=RaisedDuring.SESSION,
                                           session__isnull=True).exclude(session_name="")
    names = {name for name in candidates.values_list("session_name", flat=True).distinct()
             if session.title.endswith(name.strip())
             or parse_session_name(name) == (session.term.ordinal, session.session_number)}
    if not names:
        return 0
    return candidates.filter(session_name__in=sorted(names)).update(session=session)


# --- co-signing -------------------------------------------------------------------------------------


def motion_signer_count(suggestion: Suggestion, *, confirmed_only: bool) -> int:
    """Signers who count for a motion: township deputies (level township or both), lead deputy included.

    组织法 asks for 乡镇人大代表五人以上联名; a county deputy based in the township (level county only)
    may co-sign, but is not a deputy of the township congress and is not counted.
    """
    signatures = suggestion.cosignatures.filter(declined_at__isnull=True, deputy__level__in=TOWNSHIP_SEAT_LEVELS)
    if confirmed_only:
        signatures = signatures.filter(confirmed_at__isnull=False)
    lead = suggestion.lead_deputy if suggestion.lead_deputy_id else None
    return (1 if lead is not None and lead.level in TOWNSHIP_SEAT_LEVELS else 0) + signatures.count()


def _cosignature_check(cosignature: Cosignature, by) -> None:
    suggestion = cosignature.suggestion
    if suggestion.status in (S.DRAFT, S.WITHDRAWN, S.CLOSED, S.NOT_ON_AGENDA):
        raise ValidationError(_("这件议案建议当前不能确认或谢绝联名。"))
    if cosignature.confirmed_at or cosignature.declined_at:
        raise ValidationError(_("您已经答复过这次联名邀请。"))
    own = cosignature.deputy.user_id == by.pk and scope_of(by).has_role(Role.DEPUTY)
    if not (own or has_perm(by, MANAGE, suggestion.township) or scope_of(by).is_superuser):
        raise PermissionDenied(_("只有被邀请的代表本人（或人大办代为登记）可以确认联名。"))


@transaction.atomic
def cosignature_confirm(*, cosignature: Cosignature, by) -> Cosignature:
    cosignature = Cosignature.objects.select_for_update(of=("self",)).select_related("suggestion__township", "deputy").get(
        pk=cosignature.pk)
    _cosignature_check(cosignature, by)
    cosignature.confirmed_at = timezone.now()
    cosignature.confirmed_by = by
    cosignature.full_clean()
    cosignature.save(update_fields=["confirmed_at", "confirmed_by"])
    log(cosignature.suggestion, event="cosign_confirm", by=by,
        title=record(_l("%(name)s 确认联名"), {"name": cosignature.deputy.name}))
    return cosignature


@transaction.atomic
def cosignature_decline(*, cosignature: Cosignature, by) -> Cosignature:
    cosignature = Cosignature.objects.select_for_update(of=("self",)).select_related("suggestion__township", "deputy").get(
        pk=cosignature.pk)
    _cosignature_check(cosignature, by)
    cosignature.declined_at = timezone.now()
    cosignature.confirmed_by = by
    cosignature.full_clean()
    cosignature.save(update_fields=["declined_at", "confirmed_by"])
    log(cosignature.suggestion, event="cosign_decline", by=by,
        title=record(_l("%(name)s 谢绝联名"), {"name": cosignature.deputy.name}))
    return cosignature


# --- submitting, returning, converting, registering ---------------------------------------------------


def _motion_signers_error(count: int) -> str:
    return _("议案须由本镇人大代表五人以上联名，还差 %(m)s 名乡镇人大代表（县人大代表不计入）。"
             "可以再邀请代表联名，或改作建议提出，或由主席团提出。") % {"m": MOTION_MIN_SIGNERS - count}


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, by) -> Suggestion:
    suggestion = lock(suggestion)
    if suggestion.kind == SuggestionKind.MOTION and suggestion.submitter_kind == SubmitterKind.DEPUTIES:
        count = motion_signer_count(suggestion, confirmed_only=False)
        if count < MOTION_MIN_SIGNERS:
            raise ValidationError(_motion_signers_error(count))
    if not suggestion.title or not suggestion.content:
        raise ValidationError(_("请填写标题和内容后再提交。"))
    if problems := draft_problems(suggestion):
        raise ValidationError(problems, code="draft_incomplete")
    move(suggestion, Action.SUBMIT, by=by)
    suggestion.submitted_at = timezone.now()
    suggestion.returned_reason = ""
    save(suggestion, by, ["status", "submitted_at", "returned_reason"])
    url = suggestion.get_absolute_url()
    notify(recipients=township_staff(suggestion.township_id), title=record(_l("新的%(kind)s待登记：「%(title)s」"), {
        "kind": label(suggestion, "kind"), "title": suggestion.title}), url=url, kind="proposals.submitted",
        target=suggestion, by=by)
    pending = suggestion.cosignatures.filter(confirmed_at__isnull=True, declined_at__isnull=True).select_related(
        "deputy__user")
    notify(recipients=[c.deputy.user for c in pending if c.deputy.user_id],
           title=record(_l("请确认联名：%(lead)s 邀请您联名提出「%(title)s」"), {
               "lead": suggestion.lead_deputy.name if suggestion.lead_deputy_id else _l("主席团"),
               "title": suggestion.title}),
           url=url, kind="proposals.cosign_invited", target=suggestion, by=by)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, by, reason: str = "") -> Suggestion:
    suggestion = lock(suggestion)
    move(suggestion, Action.WITHDRAW, by=by, note=clean_text(reason))
    save(suggestion, by, ["status"])
    return suggestion


@transaction.atomic
def suggestion_return(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Staff send a submitted item back to the deputy to revise, saying why."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请写明退回的理由，代表修改时能看到。")})
    suggestion = lock(suggestion)
    move(suggestion, Action.RETURN, by=by, note=reason)
    suggestion.returned_reason = reason
    save(suggestion, by, ["status", "returned_reason"])
    notify(recipients=[deputy_user(suggestion)], title=record(_l("您的%(kind)s「%(title)s」被退回修改"), {
        "kind": label(suggestion, "kind"), "title": suggestion.title}), body=reason,
        url=suggestion.get_absolute_url(), kind="proposals.returned", target=suggestion, by=by)
    return suggestion


def _allocate_serial(suggestion: Suggestion, year: int) -> int:
    """The next number for (township, kind, year), from a counter row locked for the transaction."""
    counter, _created = SerialCounter.objects.get_or_create(township_id=suggestion.township_id,
                                                             kind=suggestion.kind, year=year)
    counter = SerialCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def suggestion_convert(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Turn a motion into a suggestion or back (when submitted), or a registered motion into a suggestion.

    A registered motion keeps its old number in ``former_serial`` and gets a suggestion number.
    """
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("请写明转换的理由。")})
    suggestion = lock(suggestion)
    was_registered = suggestion.status == S.REGISTERED
    new_kind = SuggestionKind.SUGGESTION if suggestion.kind == SuggestionKind.MOTION else SuggestionKind.MOTION
    if new_kind == SuggestionKind.SUGGESTION and suggestion.lead_deputy_id is None:
        raise ValidationError(_("主席团提出的议案没有领衔代表，不能改作建议。"))
    title = record(_l("由%(old)s转为%(new)s"), {"old": label(suggestion, "kind"),
                                        "new": SuggestionKind(new_kind).label})
    move(suggestion, Action.CONVERT, by=by, title=title, note=reason)
    old_serial = suggestion.serial
    suggestion.kind = new_kind
    fields = ["status", "kind"]
    if was_registered:
        suggestion.former_serial = old_serial
        suggestion.agenda_decision = AgendaDecision.CONVERTED
        suggestion.agenda_reason = reason
        suggestion.agenda_decided_at = timezone.now()
        suggestion.serial_year = timezone.localdate().year
        suggestion.serial_number = _allocate_serial(suggestion, suggestion.serial_year)
        fields += ["former_serial", "agenda_decision", "agenda_reason", "agenda_decided_at", "serial_year",
                   "serial_number"]
    save(suggestion, by, fields)
    notify(recipients=[deputy_user(suggestion)], title=record(_l("「%(title)s」%(what)s"), {
        "title": suggestion.title, "what": title}), body=reason, url=suggestion.get_absolute_url(),
        kind="proposals.converted", target=suggestion, by=by)
    return suggestion


@transaction.atomic
def suggestion_register(*, suggestion: Suggestion, by, category: Category | None = None) -> Suggestion:
    """登记: allocate the serial number (per township, year and kind) and confirm the category."""
    suggestion = lock(suggestion)
    if suggestion.kind == SuggestionKind.MOTION and suggestion.submitter_kind == SubmitterKind.DEPUTIES:
        confirmed = motion_signer_count(suggestion, confirmed_only=True)
        if confirmed < MOTION_MIN_SIGNERS:
            raise ValidationError(
                _("议案须由本镇人大代表五人以上联名，已确认联名的乡镇人大代表只有 %(n)s 名（含领衔代表），"
                  "还差 %(m)s 名（县人大代表不计入）。请等联名代表确认，或转为建议登记。")
                % {"n": confirmed, "m": MOTION_MIN_SIGNERS - confirmed})
    if category is not None:
        if category.township_id != suggestion.township_id:
            raise ValidationError({"category": _("请选择本乡镇的建议类别。")})
        suggestion.category = category
    if suggestion.category_id is None:
        raise ValidationError({"category": _("登记前请选择类别。")})
    move(suggestion, Action.REGISTER, by=by)
    suggestion.registered_at = timezone.now()
    suggestion.registered_by = by
    suggestion.serial_year = timezone.localdate(suggestion.registered_at).year
    suggestion.serial_number = _allocate_serial(suggestion, suggestion.serial_year)
    save(suggestion, by, ["status", "registered_at", "registered_by", "serial_year", "serial_number", "category"])
    log(suggestion, event="serial", by=by, title=record(_l("编号 %(serial)s"), {"serial": suggestion.serial}))
    notify(recipients=[deputy_user(suggestion)], title=record(_l("您的%(kind)s已登记，编号 %(serial)s"), {
        "kind": label(suggestion, "kind"), "serial": suggestion.serial}), body=suggestion.title,
        url=suggestion.get_absolute_url(), kind="proposals.registered", target=suggestion, by=by)
    return suggestion


@transaction.atomic
def suggestion_decide_agenda(*, suggestion: Suggestion, by, decision: str, reason: str = "") -> Suggestion:
    """The presidium's decision on a registered motion: on the agenda, not on it (with reason), or a suggestion."""
    decision = AgendaDecision(decision)
    reason = clean_text(reason)
    if decision == AgendaDecision.CONVERTED:
        return suggestion_convert(suggestion=suggestion, by=by, reason=reason)
    if decision == AgendaDecision.NOT_PLACED and not reason:
        raise ValidationError({"reason": _("不列入大会议程的，请写明理由。")})
    suggestion = lock(suggestion)
    action = Action.PLACE_ON_AGENDA if decision == AgendaDecision.PLACED else Action.REFUSE_AGENDA
    move(suggestion, action, by=by, note=reason)
    suggestion.agenda_decision = decision
    suggestion.agenda_reason = reason
    suggestion.agenda_decided_at = timezone.now()
    save(suggestion, by, ["status", "agenda_decision", "agenda_reason", "agenda_decided_at"])
    signers = [deputy_user(suggestion)] + [c.deputy.user for c in suggestion.cosignatures.select_related(
        "deputy__user").filter(confirmed_at__isnull=False) if c.deputy.user_id]
    notify(recipients=signers, title=record(_l("议案「%(title)s」：%(decision)s"), {
        "title": suggestion.title, "decision": decision.label}), body=reason, url=suggestion.get_absolute_url(),
        kind="proposals.agenda", target=suggestion, by=by)
    return suggestion


def opinion_title(opinion) -> str:
    """The title a draft converted from a voter's opinion starts with: the opinion's first line, as said."""
    return opinion.content.strip().splitlines()[0][:60] if opinion.content.strip() else as_stored(_l("选民意见"))


def draft_problems(suggestion: Suggestion) -> list[str]:
    """What a draft still lacks before it can be submitted (a draft converted from an opinion starts incomplete).

    The form requires both for drafts typed in; a conversion pre-fills them from the voter's words, which
    the deputy (or staff) must turn into a suggestion's title and file under a category.
    """
    problems = []
    if suggestion.category_id is None:
        problems.append(_("请选择类别。"))
    opinion = suggestion.source_opinion if suggestion.source_opinion_id else None
    if opinion is not None and suggestion.title.strip() == opinion_title(opinion):
        problems.append(_("标题还是选民意见的原话：请改写成建议的标题（案由），例如“关于……的建议”。"))
    return problems


@transaction.atomic
def suggestion_draft_from_opinion(*, opinion, by) -> Suggestion:
    """A voter's opinion collected on a visit becomes a suggestion draft of the visiting deputy, origin kept.

    The title and category are pre-filled and must be reviewed (:func:`draft_problems`) before it is submitted.
    """
    visit = opinion.visit
    category = _category_like(visit.township, opinion.get_category_display())
    # The draft's text is a record like any other: written in the portal's language whoever converts it.
    title = opinion_title(opinion)
    content = as_stored(record(_l("%(date)s %(place)s走访选民时，%(who)s反映：\n%(text)s"), {
        "date": visit.visited_on, "place": visit.place, "who": opinion.raised_by or _l("选民"),
        "text": opinion.content.strip()}))
    return suggestion_create(township=visit.township, by=by, title=title, content=content, category=category,
                             lead_deputy=visit.deputy, source_opinion=opinion)


def suggestion_draft_from_finding(*, outcome, by) -> Suggestion:
    """A finding of an inspection or survey (视察调研意见) becomes a suggestion draft, led by a deputy who took part.

    The lead is the first deputy recorded present (else the first invited); staff review the draft and may
    change the lead and add co-signers before it is submitted.
    """
    meeting = outcome.meeting
    invitations = meeting.invitations.exclude(deputy=None).select_related("deputy").order_by("position", "pk")
    taking_part = [i.deputy for i in invitations if i.status == "present"] or [i.deputy for i in invitations]
    lead = next((d for d in taking_part if d.status == DeputyStatus.SERVING), None)
    if lead is None:
        raise ValidationError(_("该活动没有在任的代表参加，不能转为代表建议；请先登记参加的代表。"))
    day = timezone.localdate(meeting.starts_at)
    content = as_stored(record(_l("%(date)s %(meeting)s中发现：\n%(text)s"), {
        "date": day, "meeting": meeting.title, "text": (outcome.text or outcome.title).strip()}))
    return suggestion_create(township=meeting.township, by=by, title=outcome.title, content=content,
                             lead_deputy=lead)


def _category_like(township, label: str) -> Category | None:
    from proposals.services.config import categories_ensure

    categories = list(categories_ensure(township=township))
    for category in categories:
        if category.name in label or label in category.name:
            return category
    return None
