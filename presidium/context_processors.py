from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop

from presidium.access import scope_of
from presidium.shell import navigation_for, shell_context

# The default PORTAL_NAME (config/settings.py), marked so that makemessages extracts it; a name set
# through the environment has no entry in the catalog and shows as configured.
gettext_noop("乡镇人大主席团工作平台")


def portal(request) -> dict:
    """The frame's context, computed once per request: a page that renders fragments with the request (the home
    page's cards and the chair's desk, six renders) runs the context processors for each of them."""
    user = getattr(request, "user", None)
    key = (get_language(), user)
    cached = getattr(request, "_portal_context", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    context = {"portal_name": gettext(settings.PORTAL_NAME)}
    request._portal_context = (key, context)
    if user is None or not user.is_authenticated:
        return context
    scope = scope_of(user)
    labels = sorted({g.role.label for g in scope.grants})
    if scope.is_superuser:
        labels.insert(0, gettext("系统管理员"))
    context.update(
        nav_items=navigation_for(request),
        user_role_labels=labels,
        unread_notifications=0,
        calendar_warnings=[],
    )
    context.update(shell_context(request))
    return context
