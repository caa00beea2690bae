"""What the proposals app puts on people's home pages beyond counts: the chair's desk and the deputy's items.

* the chair (主席团主席) decides: motions for the agenda, extensions and hand-backs, and watches the key
  suggestions led by leaders, the units about to lose 评先 and the county's 督办意见;
* a deputy sees each of their items: its step, its unit, its deadline ("我的建议办到哪一步了").

Each section is a few bounded queries (``LIMIT``), whatever the number of items.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import townships_where
from presidium.registry import ChairSection, DecisionRow
from proposals.access import MANAGE, OPINION_ANSWER
from proposals.choices import (
    OPEN_HANDLING,
    STILL_OPEN,
    ExtensionStatus,
    HandBackStatus,
    OpinionStatus,
    SuggestionKind,
    SuggestionStatus,
)

LIMIT = 8
S = SuggestionStatus


def _line(row: dict, prefix: str = "") -> str:
    """An item's serial and title (as ``Suggestion.serial`` and ``title`` read), from a desk line's columns."""
    from proposals.models.suggestion import format_serial

    serial = format_serial(row[prefix + "kind"], row[prefix + "serial_year"], row[prefix + "serial_number"])
    return f"{serial} {row[prefix + 'title']}".strip()


def _item_url(pk) -> str:
    return reverse("proposals:detail", args=[pk])


def _kept(key: str, build, user) -> list[dict]:
    """A desk section's lines: ``build(user)``'s SQL kept for the chair's roles and the day, read fresh on every
    page (:func:`presidium.home_cards.kept_rows`; building and compiling these querysets cost more than running
    them)."""
    from presidium.home_cards import kept_today

    return kept_today(key, build, user)


def _chair_items(user):
    from proposals.selectors import suggestions_visible_to

    townships = townships_where(user, MANAGE)
    return suggestions_visible_to(user).filter(township__in=townships)


# What the desk shows of an item (and orders by): not the visible items' four joined tables nor their texts.
DESK_FIELDS = ("pk", "kind", "status", "title", "serial_year", "serial_number", "is_key", "leading_leader",
               "deadline", "lead_unit_id", "lead_unit__name")


def _desk_query(user):
    """The motions waiting for the agenda decision (by registration) and the open key suggestions (by deadline),
    the first ``LIMIT`` of each, in one query: a row number per list, computed by the database."""
    from django.db.models import BooleanField, ExpressionWrapper, F, Q, Window
    from django.db.models.functions import RowNumber

    motion = Q(kind=SuggestionKind.MOTION, status=S.REGISTERED)
    key = Q(is_key=True, status__in=[v.value for v in STILL_OPEN])
    return (
        _chair_items(user).filter(motion | key).select_related(None)
        .annotate(desk_motion=ExpressionWrapper(motion, output_field=BooleanField()),
                  desk_key=ExpressionWrapper(key, output_field=BooleanField()))
        .annotate(motion_rank=Window(RowNumber(), partition_by=[F("desk_motion")],
                                     order_by=[F("registered_at").asc(), F("pk").asc()]),
                  key_rank=Window(RowNumber(), partition_by=[F("desk_key")],
                                  order_by=[F("deadline").asc(), F("pk").asc()]))
        .filter(Q(motion_rank__lte=LIMIT) | Q(key_rank__lte=LIMIT))
        .values(*DESK_FIELDS, "desk_motion", "desk_key", "motion_rank", "key_rank")
    )


def _desk_items(user) -> tuple[list[dict], list[dict]]:
    """The desk's motions and key items (``_desk_query``'s rows), kept on the user object for the request, since
    two sections of the desk read them."""
    cached = getattr(user, "_proposals_desk_items", None)
    if cached is not None:
        return cached
    rows = _kept("proposals_desk_items", _desk_query, user)
    motions = sorted((s for s in rows if s["desk_motion"] and s["motion_rank"] <= LIMIT),
                     key=lambda s: s["motion_rank"])
    keys = sorted((s for s in rows if s["desk_key"] and s["key_rank"] <= LIMIT), key=lambda s: s["key_rank"])
    user._proposals_desk_items = (motions, keys)
    return motions, keys


# What a desk line shows of an item (its serial and title, its link) and of the unit (its name): a request's
# query reads these, not the item's texts and every column of four joined tables (whose planning was most of
# the query's time: the 督办意见's 3.0 ms planning for 0.35 ms of execution).
ITEM_LINE = ("suggestion__kind", "suggestion__serial_year", "suggestion__serial_number", "suggestion__title")
REQUEST_FIELDS = ("suggestion_id", *ITEM_LINE, "unit__name")


def _extensions(user):
    from proposals.models import Extension

    return (Extension.objects.filter(suggestion__township__in=townships_where(user, MANAGE),
                                     status=ExtensionStatus.PENDING)
            .order_by("requested_at", "pk").values(*REQUEST_FIELDS, "requested_deadline")[:LIMIT])


def _hand_backs(user):
    from proposals.models import HandBackRequest

    return (HandBackRequest.objects.filter(suggestion__township__in=townships_where(user, MANAGE),
                                           status=HandBackStatus.PENDING)
            .order_by("requested_at", "pk").values(*REQUEST_FIELDS)[:LIMIT])


def decisions(user) -> list[DecisionRow]:
    """Waiting for the presidium: motions to put on the agenda or not, extension and hand-back requests.

    The requests by their item's township, not among the visible items: they exist only on assigned items, which
    the township's staff and chair all see, and the visibility's conditions were compiled twice more a page."""
    rows = [
        DecisionRow(title=_line(s), detail=_("议案：决定是否列入大会议程"), url=_item_url(s["pk"]))
        for s in _desk_items(user)[0]
    ]
    for ext in _kept("proposals_desk_extensions", _extensions, user):
        rows.append(DecisionRow(
            title=_line(ext, "suggestion__"), url=_item_url(ext["suggestion_id"]), when=ext["requested_deadline"],
            detail=_("延期申请：%(unit)s申请延至 %(d)s") % {"unit": ext["unit__name"], "d": ext["requested_deadline"]}))
    for hb in _kept("proposals_desk_hand_backs", _hand_backs, user):
        rows.append(DecisionRow(title=_line(hb, "suggestion__"), url=_item_url(hb["suggestion_id"]),
                                detail=_("退办申请：%(unit)s认为不属于本单位职责") % {"unit": hb["unit__name"]}))
    return rows


def key_suggestions(user) -> list[DecisionRow]:
    """重点建议 led by a named leader (领办), still open, the nearest deadline first."""
    today = timezone.localdate()
    rows = []
    for s in _desk_items(user)[1]:
        deadline = s["deadline"]
        overdue = bool(deadline and s["status"] in OPEN_HANDLING and deadline < today)
        leader = s["leading_leader"] or _("未定领办领导")
        unit = s["lead_unit__name"] if s["lead_unit_id"] else _("未交办")
        rows.append(DecisionRow(title=_line(s), url=_item_url(s["pk"]), when=deadline,
                                tone="danger" if overdue else "secondary",
                                detail=_("领办：%(leader)s · 主办：%(unit)s · %(status)s") % {
                                    "leader": leader, "unit": unit, "status": S(s["status"]).label}))
    return rows


def _units(user):
    from proposals.selectors import UNIT_FLAG_THRESHOLD
    from proposals.selectors.figures import unsatisfied_units_rows

    return unsatisfied_units_rows(township_ids=townships_where(user, MANAGE).order_by().values("pk"),
                                  year=timezone.localdate().year, at_least=UNIT_FLAG_THRESHOLD)


def units_flagged(user) -> list[DecisionRow]:
    """Units that lose 评先 this year (more than 2 unsatisfied items without accepted reason), and those at 2."""
    from proposals.selectors import UNIT_FLAG_THRESHOLD

    units = [(row["unit_id"], row["unit__name"], row["n"]) for row in _kept("proposals_desk_units", _units, user)]
    figures = reverse("proposals:figures")
    rows = []
    for _pk, name, n in sorted(units, key=lambda unit: (-unit[2], unit[1])):
        lost = n > UNIT_FLAG_THRESHOLD
        rows.append(DecisionRow(
            title=name, url=figures, tone="danger" if lost else "warning",
            detail=(_("本年不满意（无正当理由）%(n)s 件：取消评先资格") if lost
                    else _("本年不满意（无正当理由）%(n)s 件：再有 1 件即取消评先资格")) % {"n": n}))
    return rows[:LIMIT]


def _opinions(user):
    from proposals.selectors import opinions_visible_to

    return (opinions_visible_to(user)
            .filter(township__in=townships_where(user, OPINION_ANSWER), status=OpinionStatus.SENT)
            .order_by("answer_by", "sent_at", "pk")
            .values("pk", "title", "answer_by", "suggestion_id", *ITEM_LINE, "unit_id", "unit__name")[:LIMIT])


def county_opinions(user) -> list[DecisionRow]:
    """督办意见 from the county that still wait for the township's answer."""
    today = timezone.localdate()
    return [
        DecisionRow(title=o["title"], detail=_opinion_subject(o), url=_opinion_url(o["pk"]),
                    when=o["answer_by"], tone="danger" if o["answer_by"] and o["answer_by"] < today else "secondary")
        for o in _kept("proposals_desk_opinions", _opinions, user)
    ]


def _opinion_subject(o: dict) -> str:
    """``SupervisionOpinion.subject`` of a desk line's columns: the item (serial and title) or the unit."""
    if o["suggestion_id"]:
        return _line(o, "suggestion__")
    return o["unit__name"] if o["unit_id"] else ""


def _opinion_url(pk) -> str:
    return reverse("proposals:opinion_detail", args=[pk])


CHAIR_SECTIONS = [
    ChairSection(key="proposals_decisions", title=_l("待主席团决定"), rows=decisions, order=10,
                 empty=_l("没有等待决定的议案、延期或退办申请。")),
    ChairSection(key="proposals_key", title=_l("领导领办的重点建议"), rows=key_suggestions, order=20,
                 empty=_l("没有未办结的重点建议。"),
                 more_url=lambda user: reverse("proposals:list") + "?is_key=true"),
    ChairSection(key="proposals_units", title=_l("取消或临近取消评先的承办单位"), rows=units_flagged, order=30,
                 empty=_l("本年度没有承办单位达到不满意件数的界限。"),
                 more_url=lambda user: reverse("proposals:figures")),
    ChairSection(key="proposals_opinions", title=_l("县人大常委会督办意见（待答复）"), rows=county_opinions, order=40,
                 empty=_l("没有待答复的督办意见。"), more_url=lambda user: reverse("proposals:opinion_list")),
]


# --- the deputy's home -------------------------------------------------------------------------------------

# The next step, in the deputy's words, for each state of their item.
NEXT_STEP = {
    S.DRAFT: _l("草稿：提交后人大办登记"),
    S.SUBMITTED: _l("等待人大办登记"),
    S.REGISTERED: _l("已登记，等待交办"),
    S.ON_AGENDA: _l("已列入大会议程"),
    S.NOT_ON_AGENDA: _l("不列入大会议程"),
    S.ASSIGNED: _l("已交办，等待承办单位签收"),
    S.IN_HANDLING: _l("承办单位办理中"),
    S.REPLIED: _l("已答复，请您评价"),
    S.RATED: _l("已评价，等待办结"),
    S.REHANDLING: _l("重新办理中"),
    S.CLOSED: _l("已办结"),
}
DEPUTY_LIMIT = 20


def deputy_items(user):
    """The items the deputy leads, unfinished first (then the latest), without withdrawn ones."""
    from django.db.models import Case, IntegerField, Value, When

    from proposals.selectors import suggestions_visible_to

    finished = Case(When(status=S.CLOSED, then=Value(1)), When(status=S.NOT_ON_AGENDA, then=Value(1)),
                    default=Value(0), output_field=IntegerField())
    from deputies.selectors import own_deputy_q

    return (suggestions_visible_to(user).filter(own_deputy_q(user.pk, prefix="lead_deputy__"))
            .exclude(status=S.WITHDRAWN)
            .annotate(finished=finished).order_by("finished", "-created_at", "-pk"))


def deputy_block(request) -> str | None:
    """我的建议办到哪一步了: each item the deputy leads, its step, its unit, its deadline."""
    user = request.user
    items = list(deputy_items(user)[:DEPUTY_LIMIT + 1])
    if not items:
        return None
    today = timezone.localdate()
    for s in items:
        s.next_step = NEXT_STEP.get(S(s.status), "")
        s.is_overdue = bool(s.deadline and s.status in OPEN_HANDLING and s.deadline < today)
    return render_to_string("proposals/home_deputy.html", {
        "items": items[:DEPUTY_LIMIT], "more": len(items) > DEPUTY_LIMIT, "today": today,
    }, request=request)
