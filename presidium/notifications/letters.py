"""The e-mail and SMS text of notifications: written from the templates, many at a time.

An SMS is written whole when its outbox row is written (it is short). A notification's e-mail is written
when it is sent: its row holds the subject and points at the notification, whose title and body are stored
and never change, and the delivery pass fills the templates around them (:meth:`LetterWriter.email_texts`).
The reminder pass queues tens of thousands of e-mails at once; storing each one's 1.8 KB of HTML frame cost
it about 45 MB of writes, and a template changed meanwhile alters only the frame of what is still queued.

Each template is rendered once as a stencil and filled per message (``stencils.py``): the text is what
``render_to_string`` gives, at a fraction of its cost when thousands are written at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse

from presidium.models import User
from presidium.notifications.links import pk_links
from presidium.notifications.models import Notification
from presidium.notifications.stencils import Stencils


def open_link(notification: Notification) -> str:
    """The absolute link e-mail and SMS carry: it opens (and marks read) the notification after login."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    return base + reverse("notifications:open", args=[notification.pk])


def letter_context(notification: Notification) -> dict:
    """What the notification templates are rendered with (the full render the stencils must equal)."""
    return {"notification": notification, "recipient": notification.recipient, "link": open_link(notification),
            "portal_name": settings.PORTAL_NAME}


class LetterWriter:
    """The e-mail and SMS text of many notifications: templates as stencils, the link's path reversed once."""

    SUBJECT, TEXT, HTML = ("notifications/email/notification_subject.txt", "notifications/email/notification.txt",
                           "notifications/email/notification.html")
    SMS = "notifications/sms/notification.txt"

    def __init__(self):
        self.stencils = Stencils(settings.PORTAL_NAME)
        self.subjects: dict[str, str] = {}  # title → subject: the same for every recipient of a notice
        self._link_of = pk_links(lambda pk: open_link(Notification(pk=pk)))

    def link(self, notification: Notification) -> str:
        return self._link_of(notification.pk)

    def values(self, notification: Notification) -> dict[str, str]:
        return {"title": notification.title, "body": notification.body, "name": notification.recipient.display_name,
                "link": self.link(notification)}

    def render(self, name: str, notification: Notification | Callable[[], Notification], values: dict[str, str]) -> str:
        """``name`` filled with ``values``; the notification (or what makes it) is read only for a full render."""
        def context():
            full = notification() if callable(notification) else notification
            return {**letter_context(full), "link": values["link"]}

        return self.stencils.render(name, values, context)

    def _unsaved(self, *, user: User, pk: int, title: str, body: str, created_at):
        """The template values of notification ``pk`` being written, and what makes it for a full render."""
        values = {"title": title, "body": body, "name": user.display_name, "link": self._link_of(pk)}

        def notification():
            return Notification(pk=pk, recipient=user, title=title, body=body, created_at=created_at)

        return values, notification

    def subject(self, *, user: User, pk: int, title: str, body: str, created_at) -> str:
        """The e-mail subject of notification ``pk`` (one line, at most 200 characters)."""
        subject = self.subjects.get(title)
        if subject is None:
            values, notification = self._unsaved(user=user, pk=pk, title=title, body=body, created_at=created_at)
            subject = " ".join(self.render(self.SUBJECT, notification, values).split())[:200]
            self.subjects[title] = subject
        return subject

    def email_texts(self, notification: Notification) -> tuple[str, str]:
        """The plain text and the HTML of ``notification``'s e-mail to its recipient."""
        values = self.values(notification)
        return self.render(self.TEXT, notification, values), self.render(self.HTML, notification, values)

    def sms_text(self, *, user: User, pk: int, title: str, body: str, created_at) -> str:
        """The SMS of notification ``pk`` to ``user``."""
        values, notification = self._unsaved(user=user, pk=pk, title=title, body=body, created_at=created_at)
        return self.render(self.SMS, notification, values).strip()
