"""Plug-in points through which higher apps add to the floor without the floor importing them.

An app registers, in its ``AppConfig.ready()``:

* navigation entries (:func:`register_nav`), shown to a user who holds one of the entry's roles;
* home-page cards (:func:`register_home_card`): "what needs your action" counts per role;
* home-page blocks (:func:`register_home_block`): a rendered piece below the cards (e.g. charts);
* demo-data steps (:func:`register_demo_step`), run in order by ``manage.py seed_demo``, and the bulk
  builders of ``seed_demo --scale county|province`` (:func:`register_scale_step`, see ``presidium.scale``);
* the chair's desk (:func:`register_chair_section`): what waits for the presidium's decision, one section
  per app (proposals: motions, extensions, key suggestions, units flagged, county opinions; the meetings
  app, when it exists, adds the meetings that are due here — nothing stands in for it until then);
* duty-archive providers and the like are defined by the app that owns the page (deputies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from presidium.choices import Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[Role]
    order: int = 100
    icon: str = "circle"
    section: str = ""


@dataclass(frozen=True)
class HomeCard:
    """A count on a role's home page. ``count(user)`` returns None to hide the card."""

    key: str
    title: str
    roles: frozenset[Role]
    count: Callable[[object], int | None]
    url_name: str = ""
    url: Callable[[object], str] | None = None
    order: int = 100
    tone: str = "primary"  # bootstrap colour: primary, warning, danger, success
    hint: str = ""
    # Optional: one function shared by several cards of an app, returning {card key: count or None} in one
    # query; the home page calls it once per request and the card takes its own key (``count`` is then unused
    # on the home page but stays the card's own reading). It may return a ``presidium.counting.Aggregated``
    # instead of the dict: the home page then reads it in the same query as the other cards.
    counts: Callable[[object], dict[str, int | None]] | None = None
    # Optional: the rows the card counts (a queryset, or None to hide the card). The home page counts every
    # such card in one query (presidium.counting.count_together); ``hide_zero`` hides the card at 0.
    rows: Callable[[object], object] | None = None
    hide_zero: bool = False
    # Optional: what the card's rows depend on besides the user's roles and the day, read on every page (the
    # behind-target card's targets in force): ``inputs(user)`` returns a hashable value; the home then keeps the
    # card's SQL under that value too and builds it with ``rows(user, value)`` (presidium.home_cards.card_rows).
    inputs: Callable[[object], object] | None = None


@dataclass(frozen=True)
class HomeBlock:
    """A block on the home page below the cards. ``render(request)`` returns HTML, or None to hide it."""

    key: str
    roles: frozenset[Role]
    render: Callable[[object], str | None]
    order: int = 100


@dataclass(frozen=True)
class DemoStep:
    key: str
    run: Callable[..., None]
    order: int = 100
    after: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ScaleStep:
    """A bulk builder for ``seed_demo --scale county|province``: ``build(plan)`` fills ``plan.built``."""

    key: str
    build: Callable[..., None]
    order: int = 100


@dataclass(frozen=True)
class QuickAction:
    """A big button at the top of a role's home page ("登记走访", "提出建议"): the thing done most often."""

    key: str
    label: str
    url_name: str
    roles: frozenset[Role]
    icon: str = "plus-lg"
    order: int = 100


@dataclass(frozen=True)
class DecisionRow:
    """One line of a chair's-desk section: a matter, what it waits for, where to decide it."""

    title: str
    detail: str = ""
    url: str = ""
    when: object = None  # a date shown at the end (a deadline, a meeting day)
    tone: str = "secondary"  # bootstrap colour of the date: danger when overdue


@dataclass(frozen=True)
class ChairSection:
    """A section of the chair's home (主席团待决定事项). ``rows(user)`` returns the lines, or None to hide it."""

    key: str
    title: str
    rows: Callable[[object], list[DecisionRow] | None]
    order: int = 100
    empty: str = ""
    more_url: Callable[[object], str] | None = None


_QUICK: dict[str, QuickAction] = {}
_CHAIR: dict[str, ChairSection] = {}
_NAV: dict[str, NavItem] = {}
_HOME: dict[str, HomeCard] = {}
_HOME_BLOCKS: dict[str, HomeBlock] = {}
_DEMO: dict[str, DemoStep] = {}


def register_nav(key: str, label: str, url_name: str, roles: Iterable[Role], *, order: int = 100,
                 icon: str = "circle", section: str = "") -> None:
    _NAV[key] = NavItem(key, label, url_name, frozenset(roles), order, icon, section)


def register_home_card(card: HomeCard) -> None:
    _HOME[card.key] = card


def register_demo_step(key: str, run: Callable[..., None], *, order: int = 100) -> None:
    _DEMO[key] = DemoStep(key, run, order)


_SCALE: dict[str, ScaleStep] = {}


def register_scale_step(key: str, build: Callable[..., None], *, order: int = 100) -> None:
    _SCALE[key] = ScaleStep(key, build, order)


def scale_steps() -> list[ScaleStep]:
    return sorted(_SCALE.values(), key=lambda s: (s.order, s.key))


def nav_items() -> list[NavItem]:
    return sorted(_NAV.values(), key=lambda i: (i.order, i.key))


def home_cards() -> list[HomeCard]:
    return sorted(_HOME.values(), key=lambda c: (c.order, c.key))


def register_home_block(block: HomeBlock) -> None:
    _HOME_BLOCKS[block.key] = block


def home_blocks() -> list[HomeBlock]:
    return sorted(_HOME_BLOCKS.values(), key=lambda b: (b.order, b.key))


def demo_steps() -> list[DemoStep]:
    return sorted(_DEMO.values(), key=lambda s: (s.order, s.key))


def register_quick_action(key: str, label: str, url_name: str, roles: Iterable[Role], *, icon: str = "plus-lg",
                          order: int = 100) -> None:
    _QUICK[key] = QuickAction(key, label, url_name, frozenset(roles), icon, order)


def quick_actions() -> list[QuickAction]:
    return sorted(_QUICK.values(), key=lambda a: (a.order, a.key))


def register_chair_section(section: ChairSection) -> None:
    _CHAIR[section.key] = section


def chair_sections() -> list[ChairSection]:
    return sorted(_CHAIR.values(), key=lambda c: (c.order, c.key))
