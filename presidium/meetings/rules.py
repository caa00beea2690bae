"""The rules on how often bodies meet, checked as gaps for the staff home page.

* The congress meets at least once a year (组织法: 一般每年两次): none this year is a gap; one only, in the
  second half of the year, is a note.
* The presidium meets at least once a quarter (seed 002: 每三个月至少召开一次): a past quarter of this year
  without one is behind; the current quarter without one is a warning while there is still time.
* Each deputy group is active at least once a quarter: the same, per group, for the current quarter and
  the last completed one (a big group's activity counts for its small groups, a small group's for its big
  group).

A meeting counts from its start date in Asia/Shanghai, unless cancelled. The check costs three queries
whatever the numbers of meetings and groups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.meetings.choices import MeetingKind, MeetingStatus
from presidium.meetings.models import Meeting

QUARTER_NAMES = {1: _l("第一季度"), 2: _l("第二季度"), 3: _l("第三季度"), 4: _l("第四季度")}


@dataclass(frozen=True)
class Gap:
    """One rule that is behind (danger), at risk (warning) or worth a note (info), in a sentence."""

    rule: str  # "congress" | "presidium" | "group"
    text: str
    tone: str = "warning"
    group_id: int | None = None
    quarter: int | None = None


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_name(quarter: int) -> str:
    return str(QUARTER_NAMES[quarter])


def _year_start(year: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 1, 1))


def held_meetings(township, year: int):
    """The year's congress sessions, presidium meetings and group activities of ``township`` not cancelled: what
    :func:`rule_gaps` counts (``kind``, ``group_id``, ``starts_at``)."""
    return (Meeting.objects.filter(township=township, starts_at__gte=_year_start(year),
                                   starts_at__lt=_year_start(year + 1),
                                   kind__in=[MeetingKind.CONGRESS_SESSION, MeetingKind.PRESIDIUM_MEETING,
                                             MeetingKind.GROUP_ACTIVITY])
            .exclude(status=MeetingStatus.CANCELLED).order_by().values("kind", "group_id", "starts_at"))


def active_groups(township):
    """The current term's groups of ``township`` with a serving deputy (in the group or one of its small groups),
    in their order (``pk``, ``name``, ``parent_id``). After the next term is opened, its copies wait for the
    switch."""
    from deputies.choices import DeputyStatus
    from deputies.models import Deputy, DeputyGroup
    from deputies.selectors import CURRENT_TERM, term_q

    serving = Deputy.objects.filter(group=OuterRef("pk"), status=DeputyStatus.SERVING)
    serving_in_subgroup = Deputy.objects.filter(group__parent=OuterRef("pk"), status=DeputyStatus.SERVING)
    return (DeputyGroup.objects.filter(term_q(CURRENT_TERM), township=township)
            .filter(Exists(serving) | Exists(serving_in_subgroup))
            .order_by("sort_order", "name_sort_key", "name", "pk").values("pk", "name", "parent_id"))


def _read(name: str, build) -> list[dict]:
    return list(build())


def rule_gaps(township, *, today: dt.date | None = None, read=_read) -> list[Gap]:
    """What is behind in ``township`` (a Township or its id) this year, as of ``today``.

    ``read(name, build)`` gives the rows of ``build()`` (``held`` then ``groups``): the home page's block reads
    them through SQL it keeps for the day (:func:`presidium.home_cards.kept_today`)."""
    today = today or timezone.localdate()
    year, current = today.year, quarter_of(today)
    held = [(row["kind"], row["group_id"], row["starts_at"])
            for row in read("held", lambda: held_meetings(township, year))]
    sessions, presidium_quarters, group_quarters = 0, set(), set()
    for kind, group_id, starts_at in held:
        quarter = quarter_of(timezone.localdate(starts_at))
        if kind == MeetingKind.CONGRESS_SESSION:
            sessions += 1
        elif kind == MeetingKind.PRESIDIUM_MEETING:
            presidium_quarters.add(quarter)
        elif group_id:
            group_quarters.add((group_id, quarter))
    gaps: list[Gap] = []
    if sessions == 0:
        gaps.append(Gap("congress", _("%(year)s 年尚未召开人代会（每年至少召开一次，一般两次）。") % {"year": year},
                        tone="danger" if current == 4 else "warning"))
    elif sessions == 1 and current >= 3:
        gaps.append(Gap("congress", _("%(year)s 年已召开一次人代会；组织法规定一般每年举行两次。") % {"year": year},
                        tone="info"))
    for quarter in range(1, current + 1):
        if quarter in presidium_quarters:
            continue
        if quarter < current:
            gaps.append(Gap("presidium", _("%(q)s没有召开主席团会议（每季度至少一次）。") % {"q": quarter_name(quarter)},
                            tone="danger", quarter=quarter))
        else:
            gaps.append(Gap("presidium", _("%(q)s尚无主席团会议。") % {"q": quarter_name(quarter)}, quarter=quarter))
    groups = [(row["pk"], row["name"], row["parent_id"]) for row in read("groups", lambda: active_groups(township))]
    quarters = [q for q in (current - 1, current) if q >= 1]
    children: dict[int, list[int]] = {}
    for pk, _name, parent_id in groups:
        if parent_id:
            children.setdefault(parent_id, []).append(pk)
    for pk, name, parent_id in groups:
        for quarter in quarters:
            # A big group's activity counts for its small groups, and a small group's for its big group.
            related = [pk, *([parent_id] if parent_id else []), *children.get(pk, [])]
            if any((group_id, quarter) in group_quarters for group_id in related):
                continue
            if quarter < current:
                gaps.append(Gap("group", _("%(group)s%(q)s没有活动（每季度至少一次）。") % {
                    "group": name, "q": quarter_name(quarter)}, tone="danger", group_id=pk, quarter=quarter))
            else:
                gaps.append(Gap("group", _("%(group)s本季度尚无活动。") % {"group": name}, group_id=pk,
                                quarter=quarter))
    return gaps
