"""Where a township stands in the change of term: which step is done, which is next, and why one is not yet allowed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.choices import DeputyStatus
from deputies.models import Deputy
from presidium.access import townships_where
from presidium.models import Term, Township
from presidium.terms.access import CHANGE_TERM
from presidium.terms.services import term_name


def townships_changing_term(user) -> QuerySet[Township]:
    """Townships whose change of term ``user`` may carry out (another township's page is a 404)."""
    return townships_where(user, CHANGE_TERM).order_by("name")


def undecided_deputies(old: Term) -> QuerySet[Deputy]:
    """Serving deputies of ``old`` neither carried over nor marked as leaving (steps 2 and 3 decide them)."""
    return (Deputy.objects.filter(term=old, status=DeputyStatus.SERVING, successor__isnull=True)
            .select_related("group", "constituency").order_by("name_pinyin", "pk"))


@dataclass
class Step:
    key: str
    title: str
    done: bool = False
    started: bool = False  # some of it done, some left (the page says how many are left)
    blocked: str = ""  # why the step is not yet allowed (what comes first); empty when it may be taken
    facts: list[str] = field(default_factory=list)


@dataclass
class ChangeOfTerm:
    township: Township
    current: Term | None
    new: Term | None
    terms: list[Term]
    steps: list[Step]
    undecided: list[Deputy]
    counts: dict[str, int]



def change_of_term(township: Township) -> ChangeOfTerm:
    """The steps of the change from the current term to the next, in order, with what blocks each."""
    terms = list(Term.objects.filter(township=township).annotate(
        deputy_count=Count("deputies"),
        serving_count=Count("deputies", filter=Q(deputies__status=DeputyStatus.SERVING)),
    ).order_by("-ordinal"))
    current = next((t for t in terms if t.is_current), None)
    new = next((t for t in terms if current is not None and t.ordinal == current.ordinal + 1), None)
    counts = {"ended": 0, "carried": 0, "imported": 0, "undecided": 0}
    undecided: list[Deputy] = []
    if current is not None and new is not None:
        undecided = list(undecided_deputies(current))
        counts.update(
            ended=Deputy.objects.filter(term=current, status=DeputyStatus.TERM_ENDED,
                                        status_since__gte=current.start_date).count(),
            carried=Deputy.objects.filter(term=new, previous__isnull=False).count(),
            imported=Deputy.objects.filter(term=new, previous__isnull=True).count(),
            undecided=len(undecided),
        )
    next_name = term_name(current.ordinal + 1) if current else ""
    open_first = _("请先开启%(t)s。") % {"t": next_name}
    steps = [
        Step("open", _("开启%(t)s") % {"t": next_name} if current else _("开启下一届"), done=new is not None,
             blocked="" if current else _("本乡镇还没有登记本届届次，请先在乡镇页面登记本届。")),
        # Marking and carrying over share the old term's serving deputies: both are done when none is left.
        Step("not_reelected", _("标记未连任代表任期届满"), done=new is not None and not counts["undecided"],
             started=counts["ended"] > 0, blocked="" if new else open_first),
        Step("carry_over", _("转入连任代表"), done=new is not None and not counts["undecided"],
             started=counts["carried"] > 0, blocked="" if new else open_first),
        Step("import", _("导入新当选的代表"), done=counts["imported"] > 0, blocked="" if new else open_first),
        Step("switch", _("切换为本届"), done=False, blocked=_switch_blocked(current, new, counts, open_first)),
    ]
    return ChangeOfTerm(township=township, current=current, new=new, terms=terms, steps=steps,
                        undecided=undecided, counts=counts)


def _switch_blocked(current, new, counts, open_first: str) -> str:
    if new is None:
        return open_first
    reasons = []  # every blocker at once, not only the first
    if counts["undecided"]:
        reasons.append(_("%(t)s还有 %(n)d 名在任代表既未转入%(new)s，也未标记任期届满，请先处理。") % {
            "t": current, "n": counts["undecided"], "new": new})
    if timezone.localdate() < new.start_date:
        reasons.append(_("%(t)s自 %(d)s 起始，届时才能切换为本届。") % {"t": new, "d": new.start_date})
    return "".join(reasons)
