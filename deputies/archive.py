"""The duty archive (履职档案): sections gathered from every app that knows something about a deputy.

The deputies app stands below meetings, proposals and petitions (imports point down), so it cannot
read them. Instead each app registers an :class:`ArchiveProvider` in its ``AppConfig.ready()``::

    from deputies.archive import ArchiveProvider, ArchiveSection, DutySignal, register_archive_provider

    class MeetingsArchive(ArchiveProvider):
        title = _("参加会议和活动")
        order = 20
        signals = frozenset({DutySignal.MEETING, DutySignal.ACTIVITY})

        def section(self, deputy, year, *, viewer):
            ...  # return ArchiveSection(key="meetings", title=self.title, rows=[...], counts={...})

        def signal_counts(self, deputy_ids, start, end):
            ...  # {deputy_id: {DutySignal.MEETING: 3, DutySignal.ACTIVITY: 5}} in one or two queries

    register_archive_provider("meetings", MeetingsArchive())

Keys the archive expects from apps not yet installed (their place shows "暂无数据来源"):
``meetings`` (会议和活动, signals meeting + activity), ``proposals`` (建议和议案, signal opinion),
``petitions`` (接待日值班和代表代言). The deputies app's own providers live in
:mod:`deputies.providers`.

The "三不代表" check (no meeting attended, no activity joined, no opinion raised in the period) is
computed from the providers' ``signal_counts``: a signal no provider feeds is "no data source", and
then nobody is flagged on it — they are shown as "无法判定" unless another signal clears them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class DutySignal(StrEnum):
    MEETING = "meeting"
    ACTIVITY = "activity"
    OPINION = "opinion"

    @property
    def label(self) -> str:
        return str(SIGNAL_LABELS[self])

    @property
    def zero_label(self) -> str:
        return str(SIGNAL_ZERO_LABELS[self])


SIGNAL_LABELS = {DutySignal.MEETING: _("参加会议"), DutySignal.ACTIVITY: _("参加活动"),
                 DutySignal.OPINION: _("提出意见建议")}
SIGNAL_ZERO_LABELS = {DutySignal.MEETING: _("未参加会议"), DutySignal.ACTIVITY: _("未参加活动"),
                      DutySignal.OPINION: _("未提意见建议")}
NO_SOURCE = _("暂无数据来源")

EXPECTED_PROVIDERS = {
    "meetings": (_("参加会议和活动"), 20, _("会议活动模块上线后，出席、请假、缺席情况自动汇入。")),
    "proposals": (_("代表建议和议案"), 50, _("建议议案模块上线后，领衔和附议的建议、议案自动汇入。")),
    "petitions": (_("接待日值班和代表代言"), 60, _("信访模块上线后，接待日值班和代表代言情况自动汇入。")),
}


@dataclass
class ArchiveRow:
    """One line of a section: a date, what happened, and optionally a status badge and a link."""

    date: dt.date | None
    title: str
    detail: str = ""
    status: str = ""
    tone: str = "secondary"  # bootstrap colour of the status badge
    url: str = ""
    remove_url: str = ""  # a POST url that deletes the record (shown to those who may)


@dataclass
class ArchiveSection:
    key: str
    title: str
    rows: list[ArchiveRow] = field(default_factory=list)
    counts: dict[str, object] = field(default_factory=dict)  # label -> value, shown as summary figures
    empty_text: str = _("本年度暂无记录")
    order: int = 100
    available: bool = True  # False: no provider yet ("暂无数据来源")
    text: str = ""  # free text (a pledge, an assessment comment)
    empty: bool | None = None  # None: empty when it has no rows, text or counts
    # The provider's 三不 signal counts for this deputy and year, when building the section counted them anyway
    # (None: not counted here; the check then asks ``signal_counts``). Saves a second query per signal.
    signals: dict[DutySignal, int] | None = None
    source: str = ""  # the key of the provider that built the section (set by build_archive)

    @property
    def is_empty(self) -> bool:
        if self.empty is not None:
            return self.empty
        return not self.rows and not self.text and not self.counts


class ArchiveProvider:
    """What an app tells the archive. Override ``section`` and, if it feeds the 三不 check, ``signal_counts``."""

    title: str = ""
    order: int = 100
    signals: frozenset[DutySignal] = frozenset()

    def section(self, deputy, year: int, *, viewer) -> ArchiveSection | None:
        raise NotImplementedError

    def signal_counts(self, deputy_ids: list[int], start: dt.date, end: dt.date) -> dict[int, dict[DutySignal, int]]:
        """Per deputy, how many times each of ``signals`` happened in [start, end]; missing ids mean 0."""
        query = self.signal_query(deputy_ids, start, end)
        return {} if query is None else counts_of(query, self.signal_columns)

    # the counts of a ``signal_query`` row, in order after the deputy's id (set when ``signal_query`` is offered)
    signal_columns: tuple[DutySignal, ...] = ()

    def signal_query(self, deputy_ids: list[int], start: dt.date, end: dt.date):
        """Optional: ``signal_counts`` as one ``values_list`` queryset of rows (deputy id, one count per signal of
        ``signal_columns``; a deputy's counts may be spread over several rows, which are added up). Its SQL must
        depend on the deputies through ``deputy_ids`` alone (``IN`` lists): :func:`duty_signals` then keeps it
        per (source, number of deputies, period) and passes each page's ids as parameters, instead of building and
        compiling it on every page. Offered when ``signal_columns`` is set."""
        return None


def counts_of(rows, signals: tuple[DutySignal, ...]) -> dict[int, dict[DutySignal, int]]:
    """``signal_counts`` from the rows of a ``signal_query``: each row's counts added to its deputy's."""
    result: dict[int, dict[DutySignal, int]] = {}
    for deputy_id, *counts in rows:
        mine = result.setdefault(deputy_id, {})
        for signal, n in zip(signals, counts, strict=True):
            mine[signal] = mine.get(signal, 0) + (n or 0)
    return result


_PROVIDERS: dict[str, ArchiveProvider] = {}


def register_archive_provider(key: str, provider: ArchiveProvider) -> None:
    _PROVIDERS[key] = provider


def unregister_archive_provider(key: str) -> None:
    _PROVIDERS.pop(key, None)


def archive_providers() -> list[tuple[str, ArchiveProvider]]:
    return sorted(_PROVIDERS.items(), key=lambda item: (item[1].order, item[0]))


_CACHE_ATTRIBUTE = "_archive_build_cache"


def archive_cache(deputy) -> dict:
    """A dict kept on the deputy object for one :func:`build_archive`: providers may keep lookups there that
    several sections share (one query for them all); every build starts with an empty one."""
    return deputy.__dict__.setdefault(_CACHE_ATTRIBUTE, {})


def build_archive(deputy, year: int, *, viewer) -> list[ArchiveSection]:
    """Every section of the deputy's archive for ``year``, with placeholders for apps not installed yet."""
    deputy.__dict__.pop(_CACHE_ATTRIBUTE, None)
    sections = []
    for key, provider in archive_providers():
        section = provider.section(deputy, year, viewer=viewer)
        if section is not None:
            section.order = provider.order
            section.source = key
            sections.append(section)
    for key, (title, order, hint) in EXPECTED_PROVIDERS.items():
        if key not in _PROVIDERS:
            sections.append(ArchiveSection(key=key, title=str(title), order=order, available=False,
                                           empty_text=_("%(none)s。%(hint)s") % {"none": NO_SOURCE, "hint": hint}))
    return sorted(sections, key=lambda s: (s.order, s.key))


def signal_sources() -> dict[DutySignal, list[str]]:
    """Which providers feed each signal (an empty list: 暂无数据来源)."""
    sources: dict[DutySignal, list[str]] = {signal: [] for signal in DutySignal}
    for key, provider in archive_providers():
        for signal in provider.signals:
            sources[signal].append(key)
    return sources


@dataclass(frozen=True)
class ThreeNo:
    """The 三不 check for one deputy: each signal's count, or None when no provider feeds it."""

    counts: dict[DutySignal, int | None]

    @property
    def missing(self) -> list[DutySignal]:
        return [s for s, n in self.counts.items() if n is None]

    @property
    def zeros(self) -> list[DutySignal]:
        return [s for s, n in self.counts.items() if n == 0]

    @property
    def flagged(self) -> bool | None:
        """True: a 三不代表; False: cleared by at least one signal; None: cannot tell (a source missing)."""
        if any(n for n in self.counts.values() if n):
            return False
        if self.missing:
            return None
        return True

    @property
    def label(self) -> str:
        if self.flagged is True:
            return str(_("三不代表"))
        if self.flagged is None:
            missing = "、".join(s.label for s in self.missing)
            return str(_("无法判定（%(s)s：%(n)s）")) % {"s": missing, "n": NO_SOURCE}
        return "、".join(s.zero_label for s in self.zeros)


def duty_signals(deputy_ids: Iterable[int], start: dt.date, end: dt.date, *,
                 known: dict[str, dict[int, dict[DutySignal, int]]] | None = None,
                 exact: Iterable[DutySignal] = tuple(DutySignal),
                 ) -> dict[int, dict[DutySignal, int | None]]:
    """Every deputy's signal counts over [start, end]: one call per provider, whatever the number of deputies.

    ``known`` holds counts some providers computed already (provider key -> {deputy id -> counts}); those
    providers are not asked again.

    ``exact`` names the signals whose counts are shown. For the others only zero or not zero is read (the 三不
    flag and its "未…" label): a provider feeding none of ``exact`` is asked last, and only about the deputies
    one of its signals is still zero for (none: not asked). Their zeros stay exact; a count above zero may then
    be lower than the full count.
    """
    ids = list(deputy_ids)
    known = known or {}
    exact = frozenset(exact)
    sources = signal_sources()
    result = {pk: {s: (0 if sources[s] else None) for s in DutySignal} for pk in ids}
    if not ids:
        return result
    feeding = [(key, provider) for key, provider in archive_providers() if provider.signals]
    # what is known first, then the providers whose counts are shown; those read as zero or not zero last
    feeding.sort(key=lambda item: 0 if item[0] in known else 1 if item[1].signals & exact else 2)
    for key, provider in feeding:
        if key in known:
            counted = known[key]
        else:
            asked = ids if provider.signals & exact else [
                pk for pk in ids if any(result[pk][signal] == 0 for signal in provider.signals)]
            if not asked:
                continue
            counted = _signal_counts(key, provider, asked, start, end)
        for pk, counts in counted.items():
            if pk not in result:
                continue
            for signal, n in counts.items():
                if signal in provider.signals and n:
                    result[pk][signal] = (result[pk][signal] or 0) + n
    return result


STAND_IN = -1_000_000_001  # the first stand-in id of a kept signal query (then one less per deputy)


def _signal_counts(key: str, provider, deputy_ids: list[int], start: dt.date, end: dt.date):
    """``provider.signal_counts``, through the SQL of its ``signal_query`` kept per (source, number of deputies,
    period) when it offers one (``presidium.home_cards.kept_sql``): the duty overview's grouped counts of 50
    deputies were built and compiled on every page (a third of its CPU; docs/performance.md, tenth round). The
    query is built once for stand-in ids (``STAND_IN``, one less, …: never a key); each call puts its own ids in
    their places. A query whose parameters do not hold every stand-in, each as often, is built each time."""
    if not getattr(provider, "signal_columns", ()):  # no signal_query offered
        return provider.signal_counts(deputy_ids, start, end)
    from presidium.home_cards import kept_sql

    ids = list(dict.fromkeys(deputy_ids))
    stand_ins = [STAND_IN - n for n in range(len(ids))]
    kept = kept_sql(("duty_signals", key, len(ids), start, end), lambda: provider.signal_query(stand_ins, start, end))
    params = _with_ids(kept.params, stand_ins, ids)
    rows = replace(kept, params=params).tuples() if params is not None else provider.signal_query(ids, start, end)
    return counts_of(rows, provider.signal_columns)


def _with_ids(params: tuple, stand_ins: list[int], ids: list[int]) -> tuple | None:
    """``params`` with each stand-in id replaced by the id in its place; None unless every stand-in is there, each
    as many times as the others (a query may list the deputies more than once)."""
    by_stand_in = dict(zip(stand_ins, ids, strict=True))
    found = Counter(p for p in params if type(p) is int and p in by_stand_in)
    if len(found) != len(ids) or len(set(found.values())) != 1:
        return None
    return tuple(by_stand_in[p] if type(p) is int and p in by_stand_in else p for p in params)


def kept_section_rows(key: tuple, build, viewer, ids: list[int]) -> list[dict]:
    """``list(build(viewer, ids))`` for an archive section (``build`` returns a ``values()`` queryset, the rows and
    whether ``viewer`` may open each): its SQL kept per (``key``, the viewer's roles, the day, number of ids), each
    call's ``ids`` (the deputy's key, the items it lists) put in the places of stand-ins, as the 三不 counts are.

    The sections' visibility rules (a deputy's own items and co-signatures, a meeting's invitees) were built and
    compiled for every archive: half of a deputy's own archive's CPU (docs/performance.md, tenth round). A
    section's SQL is kept under the home cards' rules (``presidium.home_cards``): built for a copy of the viewer
    without memos it ran no query, and it holds no time of day; one that fails is built each time, as before."""
    from django.utils import timezone

    from presidium.access import scope_of
    from presidium.home_cards import built_alone, has_time_of_day, holds_time_of_day, kept_sql

    if viewer is None or not viewer.is_authenticated:  # no roles to key by (a card built without a viewer)
        return list(build(viewer, ids))
    stand_ins = [STAND_IN - n for n in range(len(ids))]

    def fit():
        rows, queries = built_alone(lambda alone: build(alone, stand_ins), viewer)
        return rows.none() if queries or holds_time_of_day(rows.query) else rows

    kept = kept_sql(("archive", *key, scope_of(viewer), timezone.localdate(), len(ids)), fit)
    params = None if kept.sql is None or has_time_of_day(kept.params) else _with_ids(kept.params, stand_ins, ids)
    if params is None:  # not kept (or no row can match): as the section built it
        return list(build(viewer, ids))
    return replace(kept, params=params).read()


def three_no_status(deputy_ids: Iterable[int], start: dt.date, end: dt.date, *,
                    known: dict[str, dict[int, dict[DutySignal, int]]] | None = None,
                    exact: Iterable[DutySignal] = tuple(DutySignal)) -> dict[int, ThreeNo]:
    """The 三不 check of each deputy (``exact``: the signals whose counts are read, see :func:`duty_signals`)."""
    return {pk: ThreeNo(counts) for pk, counts in duty_signals(deputy_ids, start, end, known=known,
                                                               exact=exact).items()}


def archive_three_no(deputy_id: int, sections: Iterable[ArchiveSection], start: dt.date, end: dt.date) -> ThreeNo:
    """The 三不 check of one deputy's archive year, reusing the signals its sections counted already (the same
    period: the sections are of the year [start, end]); only the other providers are queried."""
    known = {section.source: {deputy_id: section.signals} for section in sections
             if section.signals is not None and section.source}
    return ThreeNo(duty_signals([deputy_id], start, end, known=known)[deputy_id])
