"""What every meetings service shares: the permission check, telling invitees and staff, clean text."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from presidium.meetings.access import may_manage
from presidium.notifications.services import notify


def require_manage(by, township) -> None:
    if not may_manage(by, township):
        raise PermissionDenied(_("只有本乡镇人大办工作人员和主席可以安排会议活动。"))


def clean(value, limit: int | None = None) -> str:
    text = (value or "").strip()
    return text[:limit] if limit else text


def invitee_users(meeting, invitations=None) -> list:
    """The accounts of the invitees (their own account, or their deputy's), each once."""
    if invitations is None:
        invitations = meeting.invitations.select_related("user", "deputy__user")
    users = {}
    for invitation in invitations:
        user = invitation.user or (invitation.deputy.user if invitation.deputy_id and invitation.deputy else None)
        if user is not None:
            users[user.pk] = user
    return list(users.values())


def staff_users(township_id: int) -> list:
    """The township's staff and chair, who arrange meetings (told of a leave asked by phone)."""
    from presidium.choices import Role
    from presidium.models import User

    return list(User.objects.filter(role_assignments__role__in=[Role.PRESIDIUM_STAFF, Role.PRESIDIUM_CHAIR],
                                    role_assignments__township_id=township_id, is_active=True).distinct())


def tell_invitees(meeting, title, *, by, kind: str, body: str = "", invitations=None) -> None:
    recipients = [u for u in invitee_users(meeting, invitations) if u.pk != getattr(by, "pk", None)]
    notify(recipients=recipients, title=title, body=body, url=meeting.get_absolute_url(), kind=kind,
           target=meeting, by=by)
