"""A voter's opinion from a deputy's visit becomes a petition registration (代表代言), its origin kept.

Registered through the deputies app's conversion hook (:mod:`deputies.conversions`), like the
proposals app's "转为代表建议草稿". The petition is registered at once — there is no draft state in the
petitions lifecycle, and the 15-day acceptance clock must run from the day the presidium has the matter
— as a ``deputy`` channel case raised by the visiting deputy, with ``origin_opinion`` pointing back at the
opinion. The staff then complete it (the petitioner's details, the category) on the petition's edit page,
which is where the visit page sends them after converting (``review_url_for``).

Who may convert: the township's staff (they register petitions); a deputy asks them to.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l

from petitions.access import REGISTER
from petitions.choices import Channel
from petitions.models import Category, Petition
from presidium.access import has_perm
from presidium.records import as_stored, record

# The deputies' coarse opinion categories (deputies.choices.OpinionCategory) → the default petition categories.
CATEGORY_FOR_OPINION = {
    "welfare": "社会保障",
    "environment": "生态环境",
    "safety": "治安安全",
    "economy": "劳动工资",
    "agriculture": "土地房产",
    "infrastructure": "村务管理",
    "water": "村务管理",
}
SUBJECT_LENGTH = 40


def _subject(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"


def _category(township, opinion) -> Category | None:
    from petitions.services import categories_ensure

    wanted = CATEGORY_FOR_OPINION.get(opinion.category, "其他")
    return next((c for c in categories_ensure(township=township) if c.name == wanted and c.is_active), None)


def petition_from_opinion(*, opinion, by) -> Petition:
    """Register ``opinion`` as a 代表代言 petition of its visit's township, raised by the visiting deputy."""
    from petitions.services import petition_register

    visit = opinion.visit
    who = opinion.raised_by.strip()
    content = as_stored(record(_l("%(date)s %(deputy)s代表在%(place)s走访选民时，%(who)s反映：\n%(text)s"), {
        "date": visit.visited_on, "deputy": visit.deputy.name, "place": visit.place,
        "who": who or _l("选民"), "text": opinion.content.strip()}))
    return petition_register(
        township=visit.township, by=by, channel=Channel.DEPUTY, subject=_subject(opinion.content),
        content=content, category=_category(visit.township, opinion), anonymous=not who, name=who[:50],
        village=visit.place[:50], raised_by_deputy=visit.deputy, origin_opinion=opinion,
    )


def may_convert(user, opinion) -> bool:
    return has_perm(user, REGISTER, opinion.visit.township_id)
