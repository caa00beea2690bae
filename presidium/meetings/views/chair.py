"""The chair's desk (主席团待决定事项): the meetings coming up, and deliberation opinions the government owes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import townships_where
from presidium.meetings.access import MANAGE
from presidium.meetings.choices import QUORUM_KINDS, MeetingStatus, OutcomeKind
from presidium.meetings.models import Meeting, Outcome
from presidium.registry import ChairSection, DecisionRow

LIMIT = 6
AHEAD = dt.timedelta(days=30)


SPARE = 4  # meetings read beyond LIMIT, for those of today already over


def _coming_from(user, day_start: dt.datetime, limit: int):
    """The coming meetings' query with day bounds for "now" (from the start of today to the start of the day 32 days
    on: more than the 30 days from any time of today), so its SQL depends on the chair's roles and the day only."""
    from django.db.models import Count, Q

    return (Meeting.objects.filter(township__in=townships_where(user, MANAGE), kind__in=sorted(QUORUM_KINDS),
                                   status=MeetingStatus.SCHEDULED, ends_at__gte=day_start,
                                   starts_at__lt=day_start + dt.timedelta(days=32))
            .values("pk", "title", "place", "starts_at", "ends_at")  # grouped by these, not every column
            .annotate(n_leave=Count("invitations", filter=Q(invitations__status="leave")))
            .order_by("starts_at", "pk")[:limit])


def _coming_exact(user, now: dt.datetime) -> list[dict]:
    """The same lines compared with ``now`` in SQL (when today's finished meetings fill the kept read)."""
    from django.db.models import Count, Q

    return list(Meeting.objects.filter(township__in=townships_where(user, MANAGE), kind__in=sorted(QUORUM_KINDS),
                                       status=MeetingStatus.SCHEDULED, ends_at__gte=now, starts_at__lt=now + AHEAD)
                .values("pk", "title", "place", "starts_at", "ends_at")
                .annotate(n_leave=Count("invitations", filter=Q(invitations__status="leave")))
                .order_by("starts_at", "pk")[:LIMIT])


def coming_up(user) -> list[DecisionRow]:
    """Sessions and presidium meetings in the next 30 days, with how many asked for leave so far.

    Read by SQL kept for the chair's roles and the day (:func:`presidium.home_cards.kept_rows`), with the day's bounds
    for "now": the meetings already over today and those starting more than 30 days from now are dropped here, and
    when the first are so many that fewer than ``LIMIT`` are left of a full read, the exact query runs instead."""
    from presidium.access import scope_of
    from presidium.home_cards import kept_rows

    now = timezone.now()
    today = timezone.localdate(now)
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    rows = kept_rows("meetings_desk_coming", lambda alone: _coming_from(alone, day_start, LIMIT + SPARE), user,
                     scope_of(user), today)
    meetings = [m for m in rows if m["ends_at"] >= now and m["starts_at"] < now + AHEAD]
    if len(rows) == LIMIT + SPARE and len(meetings) < LIMIT:
        meetings = _coming_exact(user, now)
    return [DecisionRow(title=m["title"], url=reverse("meetings:meeting_detail", args=[m["pk"]]),
                        when=timezone.localdate(m["starts_at"]),
                        detail=_("%(place)s · %(time)s · 已请假 %(n)s 人") % {
                            "place": m["place"], "time": f"{timezone.localtime(m['starts_at']):%H:%M}",
                            "n": m["n_leave"]})
            for m in meetings[:LIMIT]]


def _opinions_owed(user):
    return (Outcome.objects.filter(meeting__township__in=townships_where(user, MANAGE),
                                   kind=OutcomeKind.DELIBERATION_OPINION, sent_on__isnull=False,
                                   answered_on__isnull=True)
            .order_by("due_on", "pk")
            .values("title", "due_on", "meeting_id", "meeting__title", "unit_id", "unit__name")[:LIMIT])


def opinions_owed(user) -> list[DecisionRow]:
    """Deliberation opinions sent to the government and not answered yet, the earliest due first (the query's SQL
    kept for the chair's roles and the day: :func:`presidium.home_cards.kept_today`)."""
    from presidium.home_cards import kept_today

    today = timezone.localdate()
    return [DecisionRow(title=o["title"], url=reverse("meetings:meeting_detail", args=[o["meeting_id"]]),
                        when=o["due_on"], tone="danger" if o["due_on"] and o["due_on"] < today else "secondary",
                        detail=_("%(unit)s · %(meeting)s") % {"unit": o["unit__name"] if o["unit_id"] else "",
                                                             "meeting": o["meeting__title"]})
            for o in kept_today("meetings_desk_opinions", _opinions_owed, user)]


CHAIR_SECTIONS = [
    ChairSection(key="meetings_coming", title=_l("近期召开的人代会和主席团会议"), rows=coming_up, order=50,
                 empty=_l("未来 30 天没有安排人代会或主席团会议。"),
                 more_url=lambda user: reverse("meetings:calendar")),
    ChairSection(key="meetings_opinions", title=_l("审议意见（待政府答复）"), rows=opinions_owed, order=55,
                 empty=_l("没有待答复的审议意见。")),
]
