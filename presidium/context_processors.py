from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from presidium.access import scope_of
from presidium.shell import navigation_for, shell_context

# The default PORTAL_NAME (config/settings.py), marked so that makemessages extracts it; a name set
# through the environment has no entry in the catalog and shows as configured.
gettext_noop("乡镇人大主席团工作平台")


def portal(request) -> dict:
    context = {"portal_name": gettext(settings.PORTAL_NAME)}
    user = getattr(request, "user", None)
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
