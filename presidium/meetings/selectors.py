"""Reads that encode a rule: which meetings a user sees, a meeting's quorum, a deputy's invitations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from presidium.meetings.access import meetings_q
from presidium.meetings.choices import (
    QUORUM_KINDS,
    AttendanceStatus,
    InvitationRole,
    MeetingKind,
    MeetingStatus,
)
from presidium.meetings.models import Invitation, Meeting


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Meetings ``user`` may open: their townships' (staff, county), or those they are invited to or open to them."""
    return Meeting.objects.filter(meetings_q(user)).select_related("township", "term", "group")


MEMBERS_FIRST = Case(When(role=InvitationRole.MEMBER, then=Value(0)), default=Value(1))


def invitations_prefetch() -> Prefetch:
    """The invitation list as the page shows it: members (出席) first, then those sitting in (列席).

    Each with ``deputy_user_id``, the account of the invitee's deputy (to find the viewer's own), and nothing
    else of the deputy, member or account: the page shows none of them, and joining them hashed a county's
    2,109 whole deputies and 2,400 accounts for a list of 89 (8 ms).
    """
    return Prefetch("invitations", queryset=Invitation.objects.annotate(deputy_user_id=F("deputy__user_id"))
                    .order_by(MEMBERS_FIRST, "position", "pk"), to_attr="invitation_list")


def with_attendance_counts(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Each meeting with its quorum figures as annotations (one query for a whole list).

    Each figure is a subquery on the meeting's own invitations, so a page of 30 meetings counts the
    invitations of those 30 only; a join with ``Count`` grouped all 50,000 invitations of a county
    before the page's LIMIT (270 ms, docs/performance.md).
    """
    counted = Q(counts_for_quorum=True)

    def count(condition: Q | None = None) -> Coalesce:
        rows = (Invitation.objects.filter(condition or Q(), meeting=OuterRef("pk")).order_by()
                .values("meeting").annotate(n=Count("pk")).values("n"))
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return queryset.annotate(
        n_invited=count(),
        n_attended=count(Q(status=AttendanceStatus.PRESENT)),
        n_entitled=count(counted),
        n_present=count(counted & Q(status=AttendanceStatus.PRESENT)),
        n_leave=count(counted & Q(status=AttendanceStatus.LEAVE)),
        n_absent=count(counted & Q(status=AttendanceStatus.ABSENT)),
    )


@dataclass(frozen=True)
class Quorum:
    """应到 / 实到 / 请假 / 缺席 of a meeting with a quorum, and whether more than half are present.

    应到 is the members invited to count (the deputies at a session, the presidium's members at its
    meeting), as the invitation list stood: a deputy who left before the meeting is removed from it.
    ``body`` is the size of the body today (serving deputies, sitting members), to warn when someone
    is missing from the list.
    """

    kind: str
    entitled: int
    present: int
    leave: int
    absent: int
    body: int | None = None

    @property
    def needed(self) -> int:
        """More than half: the smallest number of members present that is more than half of 应到."""
        return self.entitled // 2 + 1

    @property
    def met(self) -> bool:
        return self.entitled > 0 and self.present * 2 > self.entitled

    @property
    def unrecorded(self) -> int:
        return self.entitled - self.present - self.leave - self.absent

    @property
    def basis(self) -> str:
        if self.kind == MeetingKind.PRESIDIUM_MEETING:
            return _("主席团成员")
        return _("全体代表")

    @property
    def line(self) -> str:
        """应到 N 人，实到 M 人，请假 L 人，缺席 A 人 — as the minutes print it."""
        return _("应到 %(n)s 人，实到 %(m)s 人，请假 %(l)s 人，缺席 %(a)s 人") % {
            "n": self.entitled, "m": self.present, "l": self.leave, "a": self.absent}

    @property
    def planned_line(self) -> str:
        """Before the meeting is held: who should come and who has asked for leave (no 实到 yet)."""
        if self.leave:
            return _("应到 %(n)s 人，已请假 %(l)s 人") % {"n": self.entitled, "l": self.leave}
        return _("应到 %(n)s 人") % {"n": self.entitled}

    @property
    def verdict(self) -> str:
        if self.entitled == 0:
            return _("尚未邀请计入法定人数的人员。")
        if self.met:
            return _("实到超过%(basis)s半数（至少 %(k)s 人），符合法定人数。") % {"basis": self.basis, "k": self.needed}
        return _("实到未超过%(basis)s半数（至少需 %(k)s 人），不足法定人数。") % {"basis": self.basis, "k": self.needed}

    @property
    def missing_from_list(self) -> int:
        return max((self.body or 0) - self.entitled, 0) if self.body is not None else 0


def quorum_of(meeting: Meeting, *, with_body: bool = True) -> Quorum | None:
    """The quorum figures of a session or presidium meeting (None for activities), in one or two queries."""
    if meeting.kind not in QUORUM_KINDS:
        return None
    figures = meeting.members_entitled().aggregate(
        entitled=Count("pk"),
        present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        leave=Count("pk", filter=Q(status=AttendanceStatus.LEAVE)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
    )
    body = body_size(meeting) if with_body else None
    return Quorum(kind=meeting.kind, body=body, **figures)


def quorum_from_annotations(meeting: Meeting) -> Quorum | None:
    """:func:`quorum_of` from :func:`with_attendance_counts` annotations (no query)."""
    if meeting.kind not in QUORUM_KINDS:
        return None
    return Quorum(kind=meeting.kind, entitled=meeting.n_entitled, present=meeting.n_present, leave=meeting.n_leave,
                  absent=meeting.n_absent)


def body_size(meeting: Meeting) -> int | None:
    if meeting.kind == MeetingKind.PRESIDIUM_MEETING:
        return sitting_members(meeting.term, on=timezone.localdate(meeting.starts_at)).count()
    if meeting.kind == MeetingKind.CONGRESS_SESSION:
        return session_deputies(meeting.township, meeting.term).count()
    return None


def sitting_members(term, *, on: dt.date):
    """The presidium's members (chair, vice-chairs, members) sitting on ``on``."""
    from presidium.models import PresidiumMembership

    if term is None:
        return PresidiumMembership.objects.none()
    return (PresidiumMembership.objects.filter(term=term)
            .filter(Q(since__isnull=True) | Q(since__lte=on)).filter(Q(until__isnull=True) | Q(until__gte=on))
            .select_related("user").order_by("position", "name", "pk"))


def session_deputies(township, term):
    """The deputies who sit in the township congress of ``term``: serving township-level deputies (vacancies excluded)."""
    from deputies.choices import DeputyLevel, DeputyStatus
    from deputies.models import Deputy

    queryset = Deputy.objects.filter(township=township, status=DeputyStatus.SERVING,
                                     level__in=[DeputyLevel.TOWNSHIP, DeputyLevel.BOTH])
    if term is not None:
        queryset = queryset.filter(Q(term=term) | Q(term__isnull=True))
    return queryset.order_by("name_pinyin", "pk")


def invitations_of(user) -> QuerySet[Invitation]:
    """The user's own invitations (through their account or their deputy), newest meeting first."""
    if user is None or not user.is_authenticated:
        return Invitation.objects.none()
    from deputies.models import Deputy

    # The account's deputy (one at most: a one-to-one link) as a scalar subquery, not a join: PostgreSQL
    # answers the OR with two index lookups instead of reading every invitation (county: 36 ms → 1 ms).
    own_deputy = Deputy.objects.filter(user=user).order_by().values("pk")[:1]
    return (Invitation.objects.filter(Q(user=user) | Q(deputy_id=Subquery(own_deputy)))
            .select_related("meeting__township", "deputy").order_by("-meeting__starts_at", "pk"))


def upcoming_invitations(user, *, now=None, limit: int = 5) -> list[Invitation]:
    """The user's next meetings (not cancelled, not yet over), soonest first."""
    now = now or timezone.now()
    return list(invitations_of(user).filter(meeting__ends_at__gte=now)
                .exclude(meeting__status=MeetingStatus.CANCELLED).order_by("meeting__starts_at", "pk")[:limit])


# What the home's 我的会议 shows of an invitation and its meeting (and what ``leave_refusal`` reads).
UPCOMING_FIELDS = ("pk", "status", "meeting_id", "meeting__title", "meeting__starts_at", "meeting__ends_at",
                   "meeting__place", "meeting__status")
SPARE = 5  # rows read beyond the limit, for the meetings of today that are already over


def _upcoming_from(user, day_start: dt.datetime, limit: int):
    """:func:`upcoming_invitations`' query with the start of the day for "now": its SQL depends on the user and the
    day only, so the home keeps it for the day; the exact time is compared in Python."""
    return (invitations_of(user).filter(meeting__ends_at__gte=day_start)
            .exclude(meeting__status=MeetingStatus.CANCELLED).order_by("meeting__starts_at", "pk")
            .values(*UPCOMING_FIELDS)[:limit + SPARE])


def upcoming_invitations_kept(user, *, now=None, limit: int = 5) -> list[Invitation]:
    """:func:`upcoming_invitations` for the home page (the same invitations, in the same order), read by SQL kept for
    the user's roles and the day (:func:`presidium.home_cards.kept_rows`): building and compiling the query cost more
    than running it, and its "now" made it new on every page.

    The kept query reads the meetings that end from the start of today, ``SPARE`` more than ``limit``; those already
    over are dropped here. Should today's finished meetings leave fewer than ``limit`` of a full read, the exact
    query is run instead. Each invitation carries its meeting's title, times, place and status, and nothing else
    (as ``only()`` reads them)."""
    from presidium.access import scope_of
    from presidium.home_cards import instance_from, kept_rows

    now = now or timezone.now()
    today = timezone.localdate(now)
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    rows = kept_rows(f"meetings_upcoming_invitations_{limit}", lambda alone: _upcoming_from(alone, day_start, limit),
                     user, scope_of(user), today)
    left = [row for row in rows if row["meeting__ends_at"] >= now]
    if len(rows) == limit + SPARE and len(left) < limit:
        return upcoming_invitations(user, now=now, limit=limit)
    alias = Invitation.objects.db
    invitations = []
    for row in left[:limit]:
        meeting = instance_from(Meeting, alias, {
            "id": row["meeting_id"], "title": row["meeting__title"], "starts_at": row["meeting__starts_at"],
            "ends_at": row["meeting__ends_at"], "place": row["meeting__place"], "status": row["meeting__status"]})
        invitation = instance_from(Invitation, alias, {"id": row["pk"], "status": row["status"],
                                                 "meeting_id": row["meeting_id"]})
        invitation.meeting = meeting
        invitations.append(invitation)
    return invitations
