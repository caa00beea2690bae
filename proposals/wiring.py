"""What the proposals app plugs into the floor and the deputies app (called from ``AppConfig.ready()``).

Navigation, home cards and the chart block, history, the reminder handler, the calendar's
year-confirmed listener, the duty-archive provider, the "转为建议" conversion of a visit opinion,
and the demo data step.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from presidium.access import STAFF_ROLES, has_perm, townships_where
from presidium.choices import COUNTY_ROLES, Role
from presidium.registry import (
    HomeBlock,
    HomeCard,
    register_demo_step,
    register_home_block,
    register_home_card,
    register_nav,
    register_quick_action,
)

SECTION = _("议案建议")
ALL = frozenset(Role)
FIGURE_ROLES = frozenset(STAFF_ROLES | COUNTY_ROLES)
# What a clerk processes (登记, 延期, 退办) is the staff's card; the chair sees the decisions on the chair's desk.
STAFF_ONLY = frozenset({Role.PRESIDIUM_STAFF})


def register() -> None:
    register_quick_action("proposals_new", _("提出建议"), "proposals:create", {Role.DEPUTY}, icon="lightbulb",
                          order=20)
    _register_nav()
    _register_home()
    _register_history()
    _register_plugins()
    from proposals.demo import seed_proposals

    register_demo_step("proposals", seed_proposals, order=20)
    from presidium.registry import register_scale_step
    from proposals import scale

    register_scale_step(scale.STEP, scale.build, order=scale.ORDER)


def _register_nav() -> None:
    register_nav("proposals_new", _("提出建议"), "proposals:create", {Role.DEPUTY}, order=200, icon="lightbulb",
                 section=SECTION)
    register_nav("proposals_list", _("议案建议"), "proposals:list", ALL, order=202, icon="card-checklist",
                 section=SECTION)
    register_nav("proposals_hearing", _("办理进展"), "proposals:hearing", FIGURE_ROLES, order=204,
                 icon="hourglass-split", section=SECTION)
    register_nav("proposals_figures", _("办理统计"), "proposals:figures", FIGURE_ROLES, order=206,
                 icon="bar-chart", section=SECTION)
    register_nav("proposals_opinions", _("督办意见"), "proposals:opinion_list", FIGURE_ROLES, order=207,
                 icon="megaphone", section=SECTION)
    register_nav("proposals_county_report", _("全县办理情况"), "proposals:county_report", COUNTY_ROLES, order=207,
                 icon="table", section=SECTION)
    register_nav("proposals_config", _("类别与设置"), "proposals:category_list", STAFF_ROLES, order=208,
                 icon="sliders", section=SECTION)


# --- home cards ---------------------------------------------------------------------------------------


def _visible(user):
    from proposals.selectors import suggestions_visible_to

    return suggestions_visible_to(user)


def _staff_items(user):
    from proposals.access import MANAGE

    return _visible(user).filter(township__in=townships_where(user, MANAGE))


def _to_register_rows(user):
    return _staff_items(user).filter(status="submitted")


def _to_register(user) -> int:
    return _to_register_rows(user).count()


def _overdue_rows(user):
    from proposals.selectors import overdue_items

    return overdue_items(_visible(user).filter(township__in=townships_where(user, "proposals.figures")))


def _overdue(user) -> int:
    return _overdue_rows(user).count()


def _pending_rows(user, model):
    # The item's id among the pending requests (an uncorrelated IN, read once), not an EXISTS per item: the
    # county's home counts thousands of items, of which a handful have a pending request.
    pending = model.objects.filter(status="pending").values("suggestion_id")
    return _staff_items(user).filter(pk__in=pending)


def _pending_extensions_rows(user):
    from proposals.models import Extension

    return _pending_rows(user, Extension)


def _pending_extensions(user) -> int:
    return _pending_extensions_rows(user).count()


def _pending_hand_backs_rows(user):
    from proposals.models import HandBackRequest

    return _pending_rows(user, HandBackRequest)


def _pending_hand_backs(user) -> int:
    return _pending_hand_backs_rows(user).count()


STAFF_CARD_ROWS = {
    "proposals_to_register": _to_register_rows,
    "proposals_overdue": _overdue_rows,
    "proposals_extensions": _pending_extensions_rows,
    "proposals_hand_backs": _pending_hand_backs_rows,
}


def _staff_counts(user) -> dict[str, int]:
    """The staff's and county's suggestion cards in one query (``presidium.counting.count_each``)."""
    from presidium.counting import count_each

    return count_each(STAFF_CARD_ROWS, user)


def _my_unit_open(user) -> int | None:
    from presidium.access import scope_of
    from proposals.choices import OPEN_HANDLING

    units = sorted(scope_of(user).unit_ids())
    if not units:
        return None
    return _visible(user).filter(lead_unit_id__in=units, status__in=[s.value for s in OPEN_HANDLING]).count()


def _to_rate_rows(user):
    from deputies.selectors import own_deputy_q

    return _visible(user).filter(own_deputy_q(user.pk, prefix="lead_deputy__"), status="replied")


def _to_rate(user) -> int | None:
    return _to_rate_rows(user).count()


def _to_cosign_rows(user):
    from proposals.models import Cosignature

    return Cosignature.objects.filter(deputy__user_id=user.pk, confirmed_at__isnull=True, declined_at__isnull=True,
                                      suggestion__status__in=["submitted", "registered"])


def _to_cosign(user) -> int | None:
    return _to_cosign_rows(user).count() or None


def _opinions_to_answer_rows(user):
    from proposals.access import OPINION_ANSWER
    from proposals.selectors import opinions_visible_to

    return opinions_visible_to(user).filter(township__in=townships_where(user, OPINION_ANSWER), status="sent")


def _opinions_to_answer(user) -> int:
    return _opinions_to_answer_rows(user).count()


def _opinions_to_close_rows(user):
    from proposals.access import OPINION_SEND
    from proposals.selectors import opinions_visible_to

    return opinions_visible_to(user).filter(township__in=townships_where(user, OPINION_SEND), status="answered")


def _opinions_to_close(user) -> int:
    return _opinions_to_close_rows(user).count()


def _list_url(query: str):
    return lambda user: reverse("proposals:list") + query


def _register_home() -> None:
    from proposals.views.reports import home_block

    cards = [
        HomeCard(key="proposals_to_register", title=_("待登记的议案建议"), roles=STAFF_ONLY,
                 count=_to_register, rows=_to_register_rows, url=_list_url("?status=submitted"), order=30, tone="primary",
                 hint=_("登记编号后交办")),
        HomeCard(key="proposals_overdue", title=_("逾期未答复的建议"), roles=FIGURE_ROLES, count=_overdue, rows=_overdue_rows,
                 url=_list_url("?progress=overdue"), order=31, tone="danger", hint=_("已超过办理期限")),
        HomeCard(key="proposals_extensions", title=_("待审批的延期申请"), roles=STAFF_ONLY,
                 count=_pending_extensions, rows=_pending_extensions_rows, url=_list_url("?progress=extension"), order=32, tone="warning"),
        HomeCard(key="proposals_hand_backs", title=_("待处理的退办申请"), roles=STAFF_ONLY,
                 count=_pending_hand_backs, rows=_pending_hand_backs_rows, url=_list_url("?progress=hand_back"), order=33, tone="warning",
                 hint=_("同意并改办，或说明理由不同意")),
        HomeCard(key="proposals_unit_open", title=_("本单位办理中的建议"), roles=frozenset({Role.UNIT_LIAISON}),
                 count=_my_unit_open, url=_list_url("?progress=handling"), order=10, tone="primary",
                 hint=_("先面商，再答复")),
        HomeCard(key="proposals_to_rate", title=_("待我评价的答复"), roles=frozenset({Role.DEPUTY}),
                 count=_to_rate, rows=_to_rate_rows, url=_list_url("?progress=to_rate"), order=10, tone="warning"),
        HomeCard(key="proposals_opinions_to_answer", title=_("待答复的督办意见"), roles=STAFF_ONLY,
                 count=_opinions_to_answer, rows=_opinions_to_answer_rows, url=lambda user: reverse("proposals:opinion_list") + "?status=sent",
                 order=34, tone="danger", hint=_("县人大常委会发来，请书面答复")),
        HomeCard(key="proposals_opinions_to_close", title=_("乡镇已答复的督办意见"), roles=frozenset(COUNTY_ROLES),
                 count=_opinions_to_close, rows=_opinions_to_close_rows, url=lambda user: reverse("proposals:opinion_list") + "?status=answered",
                 order=35, tone="warning", hint=_("阅后确认办结")),
        HomeCard(key="proposals_to_cosign", title=_("待我确认的联名"), roles=frozenset({Role.DEPUTY}),
                 count=_to_cosign, rows=_to_cosign_rows, hide_zero=True, url=_list_url(""), order=11, tone="info"),
    ]
    for card in cards:
        register_home_card(card)
    from presidium.registry import register_chair_section
    from proposals.home import CHAIR_SECTIONS, deputy_block

    for section in CHAIR_SECTIONS:
        register_chair_section(section)
    register_home_block(HomeBlock(key="proposals_deputy_items", roles=frozenset({Role.DEPUTY}), render=deputy_block,
                                  order=5))
    register_home_block(HomeBlock(key="proposals_charts", roles=FIGURE_ROLES, render=home_block, order=20))
    from presidium.snapshots import register_figures_snapshot
    from proposals.selectors import HOME_SNAPSHOT, home_snapshot
    from proposals.selectors.figures_page import FIGURES_SNAPSHOT, figures_snapshot_data

    register_figures_snapshot(HOME_SNAPSHOT, home_snapshot)
    register_figures_snapshot(FIGURES_SNAPSHOT, figures_snapshot_data, townships=False)


# --- history, reminders, calendar, deputies ------------------------------------------------------------------


def _register_history() -> None:
    from presidium.history import register_history
    from proposals.models import (
        Category,
        Extension,
        HandBackRequest,
        ProposalSettings,
        Rating,
        Reply,
        Suggestion,
    )
    from proposals.selectors import suggestions_visible_to

    register_history(Suggestion, suggestions_visible_to, title=lambda s: f"{s.serial} {s.title}".strip())
    for model in (Reply, Rating, Extension, HandBackRequest):
        register_history(model, lambda user, m=model: m.objects.filter(suggestion__in=suggestions_visible_to(user)),
                         township_of=lambda obj: obj.suggestion.township)
    register_history(Category, lambda user: Category.objects.filter(
        township__in=townships_where(user, "proposals.view")))
    register_history(ProposalSettings, lambda user: ProposalSettings.objects.filter(
        township__in=townships_where(user, "proposals.configure")))
    from proposals.models import SupervisionOpinion
    from proposals.selectors import opinions_visible_to

    register_history(SupervisionOpinion, opinions_visible_to)


def _register_plugins() -> None:
    from deputies.archive import register_archive_provider
    from deputies.conversions import OpinionConversion, register_opinion_conversion
    from presidium.calendar.services import register_day_changed_listener, register_year_confirmed_listener
    from presidium.meetings.conversions import FindingConversion, register_finding_conversion
    from presidium.meetings.sessions import register_session_listener
    from presidium.notifications.reminders import register_reminder_handler
    from proposals import documents  # noqa: F401 - registers the batch 交办函 document job
    from proposals.services.deadlines import (
        SuggestionReminders,
        recompute_deadlines_for_day,
        recompute_provisional_deadlines,
    )
    from proposals.services.intake import (
        suggestion_draft_from_finding,
        suggestion_draft_from_opinion,
        suggestions_link_session,
    )

    register_reminder_handler("proposals.Suggestion", SuggestionReminders())
    register_year_confirmed_listener(recompute_provisional_deadlines)
    register_day_changed_listener(recompute_deadlines_for_day)
    register_archive_provider("proposals", ProposalsArchive())
    register_opinion_conversion(OpinionConversion(
        key="suggestion_draft", label=_("转为代表建议草稿"), kind_label=_("代表建议草稿"),
        convert=lambda *, opinion, by: suggestion_draft_from_opinion(opinion=opinion, by=by),
        allowed=_may_convert_opinion, url_for=lambda suggestion: suggestion.get_absolute_url(),
        review_url_for=lambda suggestion: reverse("proposals:edit", args=[suggestion.pk]),
        icon="lightbulb", order=10,
    ))
    # Meetings: an inspection's finding becomes a suggestion draft; a session scheduled late links the
    # suggestions that typed its name.
    register_finding_conversion(FindingConversion(
        key="suggestion", label=_("转为代表建议"), kind_label=_("代表建议草稿"),
        convert=lambda *, outcome, by: suggestion_draft_from_finding(outcome=outcome, by=by),
        allowed=lambda user, outcome: has_perm(user, "proposals.manage", outcome.meeting.township_id),
        url_for=lambda suggestion: suggestion.get_absolute_url(), icon="lightbulb", order=10,
    ))
    register_session_listener(suggestions_link_session)


def _may_convert_opinion(user, opinion) -> bool:
    visit = opinion.visit
    if has_perm(user, "proposals.manage", visit.township_id):
        return True
    return has_perm(user, "proposals.submit", visit.township_id) and visit.deputy.user_id == user.pk


class ProposalsArchive:
    """The duty archive's section: items a deputy led or co-signed in a year; they count as opinions raised."""

    from deputies.archive import DutySignal

    title = _("代表建议和议案")
    order = 50
    signals = frozenset({DutySignal.OPINION})
    # the items' long texts, which the section's lines do not show (its values() read none of them)
    UNREAD_TEXTS = ("content", "measures", "returned_reason", "agenda_reason", "assignment_note", "closed_reason")

    @staticmethod
    def _cosigned(deputy_ids) -> list[int]:
        """The ids of the items ``deputy_ids`` co-signed and confirmed, read first (a deputy signs a few dozen), so
        "led or co-signed" is an OR of two index lookups. A join on the signatures with OR made PostgreSQL hash the
        year's suggestions against every signature, then DISTINCT; an IN subquery still read the year's 5,800 rows
        (county data: 70 ms, 30 ms with a parallel worker → 2 ms). Unordered: the signatures' default order joined
        the suggestions to sort by their serial."""
        from proposals.models import Cosignature

        return list(Cosignature.objects.filter(deputy_id__in=deputy_ids, confirmed_at__isnull=False).order_by()
                    .values_list("suggestion_id", flat=True))

    @staticmethod
    def _rows(viewer, ids, since, until):
        """The listed items' columns and whether the viewer may open each, as values; ``ids``: the deputy's key,
        then those of the items they co-signed (kept as SQL per viewer's roles and day: ``kept_section_rows``)."""
        from proposals.models import Suggestion
        from proposals.selectors import suggestions_visible_to

        theirs = Q(lead_deputy_id=ids[0]) | Q(pk__in=ids[1:])
        # Which of them the viewer may open: the visibility rules asked of these items only (the same
        # two index lookups), not of the whole township's suggestions (hashed, 10–20 ms on county data).
        may_open = suggestions_visible_to(viewer).filter(theirs, pk=OuterRef("pk"))
        return (Suggestion.objects.exclude(status__in=["draft", "withdrawn"]).filter(theirs)
                .filter(submitted_at__gte=since, submitted_at__lt=until)
                .annotate(viewer_may_open=Exists(may_open)).order_by("submitted_at")
                .values("pk", "kind", "serial_year", "serial_number", "title", "status", "submitted_at",
                        "lead_deputy_id", "lead_unit_id", "lead_unit__name", "viewer_may_open"))

    def section(self, deputy, year: int, *, viewer):
        from deputies.archive import ArchiveRow, ArchiveSection, kept_section_rows
        from presidium.choice_labels import labels_of
        from presidium.notifications.links import pk_links
        from proposals.models import Suggestion
        from proposals.models.suggestion import format_serial
        from proposals.selectors import day_start

        since, until = day_start(dt.date(year, 1, 1)), day_start(dt.date(year + 1, 1, 1))
        cosigned = self._cosigned([deputy.pk])
        items = kept_section_rows(("proposals", since, until), lambda user, ids: self._rows(user, ids, since, until),
                                  viewer, [deputy.pk, *cosigned])
        statuses = labels_of(Suggestion._meta.get_field("status"))
        item_url = pk_links(lambda pk: reverse("proposals:detail", args=[pk]))
        rows, led, signed, cosigned = [], 0, 0, set(cosigned)
        for s in items:
            leading = s["lead_deputy_id"] == deputy.pk
            led += leading
            signed += s["pk"] in cosigned
            detail = (_("领衔") if leading else _("联名")) + (f" · {s['lead_unit__name']}" if s["lead_unit_id"] else "")
            serial = format_serial(s["kind"], s["serial_year"], s["serial_number"])
            rows.append(ArchiveRow(
                date=timezone.localdate(s["submitted_at"]), title=f"{serial} {s['title']}".strip(), detail=detail,
                status=force_str(statuses.get(s["status"], s["status"]), strings_only=True),
                tone="success" if s["status"] == "closed" else "secondary",
                url=item_url(s["pk"]) if s["viewer_may_open"] else "",
            ))
        # The 三不 signal as ``signal_counts`` counts it (led, plus confirmed co-signatures, of the same items and
        # days): the archive's check does not ask again.
        return ArchiveSection(key="proposals", title=str(self.title), rows=rows,
                              counts={_("领衔"): led, _("联名"): len(rows) - led},
                              signals={self.DutySignal.OPINION: led + signed})

    signal_columns = (DutySignal.OPINION,)

    def signal_counts(self, deputy_ids, start: dt.date, end: dt.date):
        from deputies.archive import counts_of

        return counts_of(self.signal_query(deputy_ids, start, end), self.signal_columns)

    def signal_query(self, deputy_ids, start: dt.date, end: dt.date):
        """The items a deputy led and those they co-signed (confirmed), in one query: the two grouped counts
        (``UNION ALL``), whose rows the caller adds up per deputy."""
        from proposals.models import Cosignature, Suggestion
        from proposals.selectors import day_start

        # The days as a range of stored instants (Asia/Shanghai midnights), not ``__date`` of every row:
        # an index can answer, and no row is converted (the county duty overview: 30 ms → 1 ms).
        since, until = day_start(start), day_start(end + dt.timedelta(days=1))
        led = (Suggestion.objects.exclude(status__in=["draft", "withdrawn"])
               .filter(lead_deputy_id__in=deputy_ids, submitted_at__gte=since, submitted_at__lt=until).order_by()
               .values("lead_deputy_id").annotate(n=Count("pk")).values_list("lead_deputy_id", "n"))
        signed = (Cosignature.objects.filter(deputy_id__in=deputy_ids, confirmed_at__isnull=False,
                                             suggestion__submitted_at__gte=since,
                                             suggestion__submitted_at__lt=until)
                  .exclude(suggestion__status__in=["draft", "withdrawn"]).order_by()
                  .values("deputy_id").annotate(n=Count("pk")).values_list("deputy_id", "n"))
        return led.union(signed, all=True)
