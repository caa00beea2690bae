"""The arithmetic of a vote, without the database: thresholds, checks of a count, the two entries compared,
ranking and the printed line.

Everything here takes plain numbers so that the rules can be tested on their own and reused by the
services, the pages, the minutes (m-meetings) and the bulletins (m-bulletins):

* a matter passes with **more than half** of its base (全体代表过半数 / 出席人数过半数 / 主席团全体成员过半数):
  ``yes * 2 > base``. A tie (half exactly) fails, abstentions count as not in favour;
* a count holds only whole, non-negative numbers, and never more votes than people who could cast them;
* the two entries of a paper count (计票人, 监票人) must agree figure by figure before publication;
* adopted projects are ranked by votes in favour; a tie is broken by fewer votes against, then by the
  candidate's number on the ballot (its position) — deterministic, and the page says so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.records import as_stored, record


def _whole(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {value!r}")
    return int(value)


def majority_needed(base: int) -> int:
    """The fewest votes in favour that are more than half of ``base`` (11 → 6, 10 → 6, 0 → 1)."""
    return _whole(base, "base") // 2 + 1


def is_adopted(yes: int, base: int) -> bool:
    """More than half of ``base`` in favour. Half exactly (a tie) is not more than half."""
    yes, base = _whole(yes, "yes"), _whole(base, "base")
    return base > 0 and yes * 2 > base


@dataclass(frozen=True)
class Line:
    """The figures of one item of a count: a matter or project (赞成/反对/弃权) or a candidate (得票 in ``yes``)."""

    yes: int = 0
    no: int = 0
    abstain: int = 0

    def __post_init__(self):
        for name in ("yes", "no", "abstain"):
            _whole(getattr(self, name), name)

    @property
    def total(self) -> int:
        return self.yes + self.no + self.abstain


@dataclass(frozen=True)
class Figures:
    """One entry of a count: per item key its :class:`Line`; for paper ballots the ballots returned and invalid."""

    lines: Mapping[object, Line]
    ballots: int | None = None  # 收回选票 (paper only)
    invalid: int = 0  # 无效票 (paper only)

    def valid_ballots(self) -> int | None:
        return None if self.ballots is None else self.ballots - self.invalid


@dataclass(frozen=True)
class Problem:
    """What is wrong with a count, in the actor's language, and the item it concerns (None: the whole count)."""

    message: str
    item: object = None


def check_figures(figures: Figures, *, present: int, paper: bool, candidates: bool = False, seats: int = 1,
                  labels: Mapping[object, str] | None = None) -> list[Problem]:
    """Why ``figures`` cannot be a count of a vote with ``present`` people in the room (empty: they can).

    Show of hands: each item's 赞成+反对+弃权 ≤ 实到. Paper: 收回 ≤ 实到, 无效 ≤ 收回, each item's
    赞成+反对+弃权 + 无效 ≤ 收回. Candidates: each one's votes ≤ the valid ballots (or 实到 by hands), and
    all votes together ≤ valid ballots × seats.
    """
    labels = labels or {}
    present = _whole(present, "present")
    problems: list[Problem] = []
    if paper:
        if figures.ballots is None:
            return [Problem(_("请填写收回的选票数。"))]
        ballots, invalid = _whole(figures.ballots, "ballots"), _whole(figures.invalid, "invalid")
        if ballots > present:
            problems.append(Problem(_("收回选票 %(ballots)s 张，多于实到 %(present)s 人。")
                                    % {"ballots": ballots, "present": present}))
        if invalid > ballots:
            problems.append(Problem(_("无效票 %(invalid)s 张，多于收回的 %(ballots)s 张。")
                                    % {"invalid": invalid, "ballots": ballots}))
        ceiling, ceiling_text = ballots - invalid, _("有效票")
    else:
        ceiling, ceiling_text = present, _("实到人数")
    if candidates:
        for key, line in figures.lines.items():
            if line.yes > ceiling:
                problems.append(Problem(_("%(item)s 得 %(votes)s 票，多于%(what)s %(ceiling)s。") % {
                    "item": labels.get(key, key), "votes": line.yes, "what": ceiling_text, "ceiling": ceiling},
                    key))
        total = sum(line.yes for line in figures.lines.values())
        if total > max(ceiling, 0) * seats:
            problems.append(Problem(_("候选人得票合计 %(total)s 票，多于%(what)s %(ceiling)s × 应选 %(seats)s 名。") % {
                "total": total, "what": ceiling_text, "ceiling": ceiling, "seats": seats}))
        return problems
    for key, line in figures.lines.items():
        if line.total > ceiling:
            problems.append(Problem(_("%(item)s：赞成、反对、弃权合计 %(total)s，多于%(what)s %(ceiling)s。") % {
                "item": labels.get(key, key), "total": line.total, "what": ceiling_text, "ceiling": ceiling}, key))
    return problems


def differences(first: Figures, second: Figures, *, labels: Mapping[object, str] | None = None) -> list[str]:
    """Each figure on which the two entries of a paper count differ, named ("项目甲 赞成：第一次 30，第二次 31")."""
    labels = labels or {}
    found = []

    def differ(what: str, a, b):
        if a != b:
            found.append(_("%(what)s：计票人录入 %(first)s，监票人录入 %(second)s") % {
                "what": what, "first": "—" if a is None else a, "second": "—" if b is None else b})

    differ(_("收回选票"), first.ballots, second.ballots)
    differ(_("无效票"), first.invalid, second.invalid)
    names = {"yes": _("赞成"), "no": _("反对"), "abstain": _("弃权")}
    for key in sorted(set(first.lines) | set(second.lines), key=lambda k: str(labels.get(k, k))):
        a, b = first.lines.get(key, Line()), second.lines.get(key, Line())
        for attr, name in names.items():
            differ(f"{labels.get(key, key)} {name}", getattr(a, attr), getattr(b, attr))
    return found


@dataclass(frozen=True)
class Ranked:
    key: object
    rank: int
    tie_broken: bool  # the same votes in favour as a neighbour: the order came from the tie-break


@dataclass(frozen=True)
class Contender:
    key: object
    position: int  # the number on the ballot / in the candidate list
    yes: int
    no: int = 0


def rank(contenders: Iterable[Contender]) -> list[Ranked]:
    """Rank by votes in favour; equal votes in favour: fewer against first, then the lower ballot number."""
    ordered = sorted(contenders, key=lambda c: (-c.yes, c.no, c.position))
    ranked = []
    for index, contender in enumerate(ordered):
        tied = any(0 <= j < len(ordered) and j != index and ordered[j].yes == contender.yes
                   for j in (index - 1, index + 1))
        ranked.append(Ranked(contender.key, index + 1, tied))
    return ranked


@dataclass(frozen=True)
class Election:
    elected: list = field(default_factory=list)
    undecided: list = field(default_factory=list)  # tied at the last seat: 票数相等，需再次投票


def elect(contenders: Sequence[Contender], *, seats: int, base: int) -> Election:
    """Candidates with more than half of ``base`` are elected, the most votes first, up to ``seats``.

    When more pass than there are seats and the last seat is tied, the tied candidates are undecided
    (the law calls for another ballot among them), never picked by ballot number.
    """
    passing = sorted((c for c in contenders if is_adopted(c.yes, base)), key=lambda c: (-c.yes, c.position))
    if len(passing) <= seats:
        return Election(elected=[c.key for c in passing])
    cut = passing[seats - 1].yes
    above = [c.key for c in passing if c.yes > cut]
    at_cut = [c.key for c in passing if c.yes == cut]
    if len(above) + len(at_cut) == seats:
        return Election(elected=above + at_cut)
    return Election(elected=above, undecided=at_cut)


def result_line(*, entitled: int, present: int, yes: int, no: int, abstain: int, adopted: bool,
                corrected: bool = False) -> str:
    """"应到 N 人，实到 M 人，赞成 X 票，反对 Y 票，弃权 Z 票，通过" — always in Chinese, as the minutes print it.

    What ``as_stored(record(…))`` gives, from the phrases translated once per process and language: the votes list
    writes a line per item of every published vote on its page (~160 on a county's page)."""
    line, passed, failed, corrected_note = _result_phrases(settings.LANGUAGE_CODE)
    line %= {"entitled": entitled, "present": present, "yes": yes, "no": no, "abstain": abstain,
             "outcome": passed if adopted else failed}
    return line + corrected_note if corrected else line


@functools.lru_cache(maxsize=8)
def _result_phrases(language: str) -> tuple[str, str, str, str]:
    """The result line's message and its words in ``language`` (the catalogues do not change while a process runs)."""
    with translation.override(language):
        return (_("应到 %(entitled)s 人，实到 %(present)s 人，赞成 %(yes)s 票，反对 %(no)s 票，弃权 %(abstain)s 票，%(outcome)s"),
                _("通过"), _("未通过"), _("（计票结果经更正）"))


def candidates_line(*, entitled: int, present: int, ballots: int | None, valid: int | None,
                    results: Sequence[tuple[str, int, bool]], corrected: bool = False) -> str:
    """The election form: 应到、实到、收回选票/有效票, then "张三 得 X 票，当选" for each candidate."""
    head = as_stored(record(_l("应到 %(entitled)s 人，实到 %(present)s 人"), {"entitled": entitled, "present": present}))
    if ballots is not None:
        head += as_stored(record(_l("，收回选票 %(ballots)s 张，有效票 %(valid)s 张"), {"ballots": ballots, "valid": valid}))
    parts = [as_stored(record(_l("%(name)s 得 %(votes)s 票，%(outcome)s"), {
        "name": name, "votes": votes, "outcome": _l("当选") if elected else _l("未当选")})) for name, votes, elected in results]
    line = head + "；" + "；".join(parts) if parts else head
    if corrected:
        line += as_stored(_l("（计票结果经更正）"))
    return line
