"""Meetings and activities: scheduling, changing, cancelling, marking held, the agenda and the invitation list.

Every state change is one function here (DESIGN rule 1); the status moves only as
:data:`presidium.meetings.choices.MEETING_TRANSITIONS` allows. A change the invitees' calendars must
take over (time, place, title, cancellation) raises ``ical_sequence`` and tells them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.meetings.choices import (
    MEETING_TRANSITIONS,
    QUORUM_KINDS,
    TERM_KINDS,
    AttendanceStatus,
    InvitationRole,
    MeetingKind,
    MeetingStatus,
)
from presidium.meetings.models import AgendaItem, Invitation, Meeting
from presidium.meetings.services.common import clean, require_manage, tell_invitees
from presidium.models import chinese_ordinal
from presidium.records import record

CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place")
EDITABLE_FIELDS = ("title", "starts_at", "ends_at", "place", "organiser", "note", "open_to_deputies")
MAX_DAYS = 15  # a session lasts days, not weeks: a longer span is a typo


@dataclass(frozen=True)
class Attendee:
    """A person who sits in (列席) without being a deputy on the list: a unit head, a township leader."""

    name: str
    post: str = ""
    user: object = None


def session_title(township, term, number: int) -> str:
    """青石镇第十八届人民代表大会第二次会议."""
    return f"{township.name}第{chinese_ordinal(term.ordinal)}届人民代表大会第{chinese_ordinal(number)}次会议"


def next_session_number(term) -> int:
    return (Meeting.objects.filter(term=term, kind=MeetingKind.CONGRESS_SESSION)
            .aggregate(n=Max("session_number"))["n"] or 0) + 1


def _default_title(kind: str, township, starts_at: dt.datetime, group) -> str:
    day = timezone.localtime(starts_at)
    if kind == MeetingKind.GROUP_ACTIVITY and group is not None:
        return f"{group.name}活动（{day.year}年{day.month}月{day.day}日）"
    return f"{day.year}年{day.month}月{day.day}日{MeetingKind(kind).label}"


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("请填写开始和结束时间。")})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("meeting times must be aware datetimes")
    if ends_at < starts_at:
        raise ValidationError({"ends_at": _("结束时间不能早于开始时间。")})
    if ends_at - starts_at > dt.timedelta(days=MAX_DAYS):
        raise ValidationError({"ends_at": _("会议活动最长 %(n)s 天，请检查结束时间。") % {"n": MAX_DAYS}})


def _member_invitations(meeting: Meeting) -> list[Invitation]:
    """The body a meeting of this kind invites by default: the deputies, the presidium, the group's members."""
    from deputies.choices import DeputyStatus
    from deputies.models import Deputy
    from presidium.meetings.selectors import session_deputies, sitting_members

    counts = meeting.kind in QUORUM_KINDS
    if meeting.kind == MeetingKind.CONGRESS_SESSION:
        return [Invitation(meeting=meeting, deputy=d, user=d.user, name=d.name, post=d.work_unit_and_post[:100],
                           counts_for_quorum=True, position=i)
                for i, d in enumerate(session_deputies(meeting.township, meeting.term).select_related("user"))]
    if meeting.kind == MeetingKind.PRESIDIUM_MEETING:
        members = list(sitting_members(meeting.term, on=timezone.localdate(meeting.starts_at)))
        user_ids = [m.user_id for m in members if m.user_id]
        deputies = {d.user_id: d for d in Deputy.objects.filter(user_id__in=user_ids, township=meeting.township)}
        return [Invitation(meeting=meeting, membership=m, user=m.user, deputy=deputies.get(m.user_id), name=m.name,
                           post=str(m.get_position_display()), counts_for_quorum=True, position=i)
                for i, m in enumerate(members)]
    if meeting.kind == MeetingKind.GROUP_ACTIVITY and meeting.group is not None:
        members = meeting.group.members.filter(status=DeputyStatus.SERVING).select_related("user")
        return [Invitation(meeting=meeting, deputy=d, user=d.user, name=d.name, post=d.work_unit_and_post[:100],
                           counts_for_quorum=counts, position=i)
                for i, d in enumerate(members.order_by("name_pinyin", "pk"))]
    return []


def _check_deputies(township, deputies: Sequence) -> None:
    from deputies.choices import DeputyStatus

    wrong = [d.name for d in deputies if d.township_id != township.pk]
    if wrong:
        raise ValidationError({"deputies": _("%(names)s 不是本乡镇的代表。") % {"names": "、".join(wrong)}})
    gone = [d.name for d in deputies if d.status != DeputyStatus.SERVING]
    if gone:
        raise ValidationError({"deputies": _("%(names)s 不在任，不能邀请。") % {"names": "、".join(gone)}})


def meeting_schedule(*, township, kind: str, starts_at: dt.datetime, ends_at: dt.datetime, place: str, by,
                     title: str = "", term=None, session_number: int | None = None, organiser: str = "",
                     group=None, note: str = "", open_to_deputies: bool | None = None,
                     agenda: Iterable[str] = (), deputies: Iterable = (), attendees: Iterable[Attendee] = (),
                     invite_body: bool = True) -> Meeting:
    """安排会议活动: the meeting, its agenda and invitation list; the invitees are told.

    A session and a presidium meeting belong to the township's current term unless one is given; a session
    is numbered within the term (the next number unless given) and titled from it. With ``invite_body``
    the body invites itself: every serving township deputy to a session, the sitting presidium members to
    its meeting, a group's serving members to its activity. ``deputies`` are added as members
    (as 列席 at a presidium meeting, where only members count), ``attendees`` sit in (列席). A meeting
    entered after it ended (an activity recorded afterwards) tells nobody.
    """
    require_manage(by, township)
    kind = MeetingKind(kind)
    place = clean(place, 120)
    errors = {}
    if not place:
        errors["place"] = _("请填写地点。")
    if term is None:
        term = township.current_term()
    if term is not None and term.township_id != township.pk:
        errors["term"] = _("届次不属于本乡镇。")
    if kind in TERM_KINDS and term is None:
        errors["term"] = _("本乡镇还没有设置本届届次，不能安排人代会或主席团会议。")
    if kind == MeetingKind.GROUP_ACTIVITY and group is None:
        errors["group"] = _("代表小组活动请选择代表小组。")
    if group is not None and group.township_id != township.pk:
        errors["group"] = _("代表小组不属于本乡镇。")
    if errors:
        raise ValidationError(errors)
    _check_times(starts_at, ends_at)
    deputies = list(dict.fromkeys(deputies))
    _check_deputies(township, deputies)
    with transaction.atomic():
        if kind == MeetingKind.CONGRESS_SESSION:
            # Lock the term row: two clerks numbering sessions at once get one number each.
            type(term).objects.select_for_update().filter(pk=term.pk).first()
            session_number = session_number or next_session_number(term)
            if Meeting.objects.filter(term=term, session_number=session_number).exists():
                raise ValidationError({"session_number": _("本届第%(n)s次会议已经安排过。") % {
                    "n": chinese_ordinal(session_number)}})
            title = clean(title, 150) or session_title(township, term, session_number)
        else:
            session_number = None
            title = clean(title, 150) or _default_title(kind, township, starts_at, group)
        if open_to_deputies is None:
            open_to_deputies = kind == MeetingKind.CONGRESS_SESSION
        meeting = Meeting(township=township, term=term, kind=kind, session_number=session_number, title=title,
                          starts_at=starts_at, ends_at=ends_at, place=place, organiser=clean(organiser, 80),
                          group=group, note=clean(note), open_to_deputies=open_to_deputies,
                          status=MeetingStatus.SCHEDULED, created_by=by, updated_by=by)
        meeting.full_clean()
        meeting.save()
        _agenda_write(meeting, agenda)
        invitations = _member_invitations(meeting) if invite_body else []
        listed = {i.deputy_id for i in invitations if i.deputy_id}
        position = len(invitations)
        for deputy in deputies:
            if deputy.pk in listed:
                continue
            member = kind != MeetingKind.PRESIDIUM_MEETING
            invitations.append(Invitation(
                meeting=meeting, deputy=deputy, user=deputy.user, name=deputy.name,
                post=deputy.work_unit_and_post[:100],
                role=InvitationRole.MEMBER if member else InvitationRole.ATTENDEE,
                counts_for_quorum=member and kind in QUORUM_KINDS, position=position))
            position += 1
        for attendee in attendees:
            name = clean(attendee.name, 50)
            if name:
                invitations.append(Invitation(meeting=meeting, name=name, post=clean(attendee.post, 100),
                                              user=attendee.user, role=InvitationRole.ATTENDEE,
                                              counts_for_quorum=False, position=position))
                position += 1
        Invitation.objects.bulk_create(invitations)
        if meeting.ends_at > timezone.now():  # a meeting entered after it ended is a record: nobody is told
            tell_invitees(meeting, _invitation_title(meeting), by=by, kind="meetings.invited",
                          invitations=invitations)
        if kind == MeetingKind.CONGRESS_SESSION:
            from presidium.meetings.sessions import announce_session

            announce_session(meeting, by=by)
    return meeting


def _when(meeting: Meeting) -> str:
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} 至 {end:%Y-%m-%d %H:%M}"


def _invitation_title(meeting: Meeting):
    return record(_l("会议通知：%(title)s，%(when)s，%(place)s"), {
        "title": meeting.title, "when": _when(meeting), "place": meeting.place})


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("township", "term", "group").get(pk=meeting.pk)


def _move(meeting: Meeting, to: str) -> None:
    if to not in MEETING_TRANSITIONS[MeetingStatus(meeting.status)]:
        raise ValidationError(_("当前状态为“%(status)s”，不能改为“%(to)s”。") % {
            "status": meeting.get_status_display(), "to": MeetingStatus(to).label})
    meeting.status = to


def meeting_update(*, meeting: Meeting, by, **changes) -> Meeting:
    """修改会议活动: title, time, place, organiser, note, who may see it. A calendar change is told to the invitees."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require_manage(by, meeting.township)
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("会议活动已取消，不能再修改。"))
        before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
        for name, value in changes.items():
            if isinstance(value, str):
                value = clean(value, meeting._meta.get_field(name).max_length)
            setattr(meeting, name, value)
        if not meeting.place:
            raise ValidationError({"place": _("请填写地点。")})
        if not meeting.title:
            raise ValidationError({"title": _("请填写名称。")})
        _check_times(meeting.starts_at, meeting.ends_at)
        moved = [name for name in CALENDAR_FIELDS if getattr(meeting, name) != before[name]]
        if moved:
            meeting.ical_sequence += 1
        meeting.updated_by = by
        meeting.full_clean()
        meeting.save(update_fields=[*changes, "ical_sequence", "updated_by", "updated_at"])
        if moved and meeting.status == MeetingStatus.SCHEDULED:
            tell_invitees(meeting, record(_l("会议变更：%(title)s，改为 %(when)s，%(place)s"), {
                "title": meeting.title, "when": _when(meeting), "place": meeting.place}),
                by=by, kind="meetings.changed")
    return meeting


def meeting_cancel(*, meeting: Meeting, reason: str, by) -> Meeting:
    """取消会议活动 with the reason; the invitees are told and their calendars drop it (STATUS:CANCELLED)."""
    require_manage(by, meeting.township)
    reason = clean(reason, 200)
    if not reason:
        raise ValidationError({"reason": _("请写明取消原因。")})
    with transaction.atomic():
        meeting = _lock(meeting)
        _move(meeting, MeetingStatus.CANCELLED)
        meeting.cancel_reason, meeting.cancelled_at, meeting.cancelled_by = reason, timezone.now(), by
        meeting.ical_sequence += 1
        meeting.updated_by = by
        meeting.full_clean()
        meeting.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "ical_sequence",
                                    "updated_by", "updated_at"])
        tell_invitees(meeting, record(_l("会议取消：%(title)s（原定 %(when)s）。原因：%(reason)s"), {
            "title": meeting.title, "when": _when(meeting), "reason": reason}), by=by, kind="meetings.cancelled")
    return meeting


def meeting_mark_held(*, meeting: Meeting, by, now: dt.datetime | None = None) -> Meeting:
    """确认已召开: once the meeting has begun (recording attendance does it too)."""
    require_manage(by, meeting.township)
    now = now or timezone.now()
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status == MeetingStatus.HELD:
            return meeting
        if now < meeting.starts_at:
            raise ValidationError(_("会议活动还没有开始（%(start)s），不能确认已召开。") % {
                "start": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"})
        _move(meeting, MeetingStatus.HELD)
        meeting.held_at, meeting.updated_by = now, by
        meeting.save(update_fields=["status", "held_at", "updated_by", "updated_at"])
    return meeting


# --- agenda ------------------------------------------------------------------------------------------


def _agenda_write(meeting: Meeting, items: Iterable[str]) -> list[AgendaItem]:
    rows = []
    for line in items:
        title, _sep, note = clean(line).partition("｜")
        title = clean(title, 200)
        if title:
            rows.append(AgendaItem(meeting=meeting, position=len(rows) + 1, title=title, note=clean(note, 300)))
    return AgendaItem.objects.bulk_create(rows)


def agenda_set(*, meeting: Meeting, items: Iterable[str], by) -> list[AgendaItem]:
    """议程: the whole agenda at once, one item per line (a note after "｜")."""
    require_manage(by, meeting.township)
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("会议活动已取消，不能再修改。"))
        meeting.agenda_items.all().delete()
        return _agenda_write(meeting, items)


# --- the invitation list -----------------------------------------------------------------------------


def invitation_add(*, meeting: Meeting, by, deputy=None, name: str = "", post: str = "",
                   role: str = InvitationRole.MEMBER, user=None) -> Invitation:
    """邀请: a deputy (出席, or 列席) or another person (列席); the invitee is told."""
    require_manage(by, meeting.township)
    role = InvitationRole(role)
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("会议活动已取消，不能再邀请。"))
        if deputy is not None:
            _check_deputies(meeting.township, [deputy])
            if meeting.invitations.filter(deputy=deputy).exists():
                raise ValidationError({"deputy": _("%(name)s 已在参会名单中。") % {"name": deputy.name}})
            name, user = deputy.name, deputy.user
            post = post or deputy.work_unit_and_post
        name = clean(name, 50)
        if not name:
            raise ValidationError({"name": _("请选择代表或填写姓名。")})
        if meeting.kind == MeetingKind.PRESIDIUM_MEETING and role == InvitationRole.MEMBER:
            # Only the sitting members count at a presidium meeting; they are invited when it is scheduled.
            role = InvitationRole.ATTENDEE
        counts = role == InvitationRole.MEMBER and meeting.kind in QUORUM_KINDS
        position = (meeting.invitations.aggregate(n=Max("position"))["n"] or 0) + 1
        invitation = Invitation(meeting=meeting, deputy=deputy, user=user, name=name, post=clean(post, 100),
                                role=role, counts_for_quorum=counts, position=position, recorded_by=by,
                                recorded_at=timezone.now())
        invitation.full_clean()
        invitation.save()
        if meeting.status == MeetingStatus.SCHEDULED:
            tell_invitees(meeting, _invitation_title(meeting), by=by, kind="meetings.invited",
                          invitations=[invitation])
    return invitation


def invitation_remove(*, invitation: Invitation, by) -> None:
    """移出参会名单 (a deputy who left before the meeting, a mistaken name): only while nothing is recorded."""
    meeting = invitation.meeting
    require_manage(by, meeting.township)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != AttendanceStatus.INVITED:
            raise ValidationError(_("%(name)s 的出席情况已登记，不能移出名单；请改登记。") % {"name": invitation.name})
        if meeting.status != MeetingStatus.SCHEDULED:
            raise ValidationError(_("只有尚未召开的会议可以调整参会名单。"))
        invitation.delete()
        Meeting.objects.filter(pk=meeting.pk).update(ical_sequence=F("ical_sequence") + 1, updated_by=by,
                                                     updated_at=timezone.now())


def require_staff_or_own(by, invitation: Invitation) -> bool:
    """True when ``by`` is staff of the township; the invitee themself → False; anyone else: 403."""
    from presidium.meetings.access import is_own_invitation, may_manage

    if may_manage(by, invitation.meeting.township_id):
        return True
    if is_own_invitation(by, invitation):
        return False
    raise PermissionDenied(_("只能由本人或本乡镇人大办办理。"))
