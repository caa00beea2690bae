"""What every page's frame shows: navigation for the user's roles, unread count, calendar warnings.

Nested floor apps (notifications, calendar) add to the frame through :func:`register_shell_context`
so that the context processor stays small and each piece is tested where it lives.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse

from presidium.access import scope_of
from presidium.registry import nav_items

_PROVIDERS: list[Callable] = []


def register_shell_context(provider: Callable) -> None:
    """``provider(request) -> dict`` is merged into every page's context for logged-in users."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


class _Item:
    __slots__ = ("label", "url", "icon", "section", "active")

    def __init__(self, label, url, icon, section, active):
        self.label, self.url, self.icon, self.section, self.active = label, url, icon, section, active


def navigation_for(request) -> list[_Item]:
    scope = scope_of(request.user)
    roles = scope.roles
    path = request.path
    items = []
    for item in nav_items():
        if not (scope.is_superuser or roles & item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        matches = path == url if url == "/" else path.startswith(url)
        items.append(_Item(item.label, url, item.icon, item.section, matches))
    # One entry is highlighted: the most specific address that holds this page (/petitions/reception/ over
    # /petitions/), so 接待日安排 lights up on its pages and 信访台账 does not light up with it.
    best = max((len(i.url) for i in items if i.active), default=0)
    for i in items:
        i.active = i.active and len(i.url) == best
    return items


def shell_context(request) -> dict:
    """The providers' pieces, computed once per request: a page that renders fragments with the request (the
    home page's blocks) runs the context processors for each of them, and the frame's counts are the same."""
    cached = getattr(request, "_shell_context", None)
    if cached is not None:
        return cached
    context: dict = {}
    for provider in _PROVIDERS:
        context.update(provider(request))
    request._shell_context = context
    return context
