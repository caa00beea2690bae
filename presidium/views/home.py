"""Each role's home page: what needs the user's action now, as counts that link to the lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from presidium.access import scope_of
from presidium.calendar.frame import remember_warnings_seen
from presidium.counting import Aggregated, count_together
from presidium.desk_html import desk_html
from presidium.home_cards import card_rows
from presidium.registry import chair_sections, home_blocks, home_cards, quick_actions


def chair_desk(request) -> str | None:
    """The chair's block (主席团待决定事项): the sections apps register with ``register_chair_section``.

    What a chair decides, not what a clerk processes: motions for the agenda, requests to extend or hand
    back, key suggestions led by leaders, units losing 评先, the county's opinions. Meetings due will come
    from the meetings app through the same hook.
    """
    sections = []
    for section in chair_sections():
        rows = section.rows(request.user)
        if rows is None:
            continue
        sections.append({"section": section, "rows": rows,
                         "more_url": section.more_url(request.user) if section.more_url else ""})
    if not sections:
        return None
    return desk_html(sections)  # the markup of presidium/home_chair.html, written in Python


@login_required
def home(request):
    scope = scope_of(request.user)
    cards = []
    batches: dict[object, dict] = {}  # an app's shared counts, computed once for all its cards
    shown = [card for card in home_cards() if scope.is_superuser or scope.roles & card.roles]
    # The cards that give their rows, and the apps' shared aggregates, are all read together in one query.
    together: dict[str, object] = {}
    deferred = {}  # together's key -> the counts function whose Aggregated it is
    today = timezone.localdate()
    for card in shown:
        if card.rows is not None:
            rows = card_rows(card, request.user, scope, today)  # its SQL kept for the day (presidium.home_cards)
            if rows is not None:
                together[card.key] = rows
        elif card.counts is not None and card.counts not in batches:
            batches[card.counts] = card.counts(request.user)
            if isinstance(batches[card.counts], Aggregated):
                together[f"counts:{len(batches)}"] = batches[card.counts]
                deferred[f"counts:{len(batches)}"] = card.counts
    counted = count_together(together)
    for key, counts in deferred.items():
        batches[counts] = counted[key]
    for card in shown:
        if card.rows is not None:
            count = counted.get(card.key)
            if count is None or (card.hide_zero and not count):
                continue
        elif card.counts is not None:
            count = batches[card.counts].get(card.key)
        else:
            count = card.count(request.user)
        if count is None:
            continue
        url = card.url(request.user) if card.url else (reverse(card.url_name) if card.url_name else "")
        cards.append({"card": card, "count": count, "url": url})
    actions = [
        {"action": action, "url": reverse(action.url_name)}
        for action in quick_actions()
        if scope.is_superuser or scope.roles & action.roles
    ]
    blocks = []
    for block in home_blocks():
        if scope.is_superuser or scope.roles & block.roles:
            html = block.render(request)
            if html:
                blocks.append(mark_safe(html))  # rendered by the block's own template (autoescaped there)
    response = render(request, "presidium/home.html", {"cards": cards, "has_roles": bool(scope.grants),
                                                       "home_blocks": blocks,
                                                       "quick_actions": actions})
    remember_warnings_seen(request, response)  # staff and chairs are told once per session
    return response
