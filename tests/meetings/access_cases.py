"""Meetings' URLs in the access matrix (tests/access_matrix.py): who may open what, own township and another county."""

from __future__ import annotations

from django.core.files.base import ContentFile

from presidium.choices import Role
from tests.access_matrix import ANONYMOUS, COUNTY, ROLES, STAFF, Case, allow, expect

D = Role.DEPUTY.value
L = Role.UNIT_LIAISON.value
READERS = (*STAFF, *COUNTY, D)
# A meeting of township A that the deputy of the world is not invited to and that is not open: 404 for them.
MANAGED = expect(404, **dict.fromkeys(STAFF, 200), **dict.fromkeys(COUNTY, 403))
MANAGED_POST = expect(404, **dict.fromkeys(STAFF, 302), **dict.fromkeys(COUNTY, 403))


def _meeting(township):
    from tests.factories import MeetingFactory

    return MeetingFactory(township=township)


def _own(world):
    return [_meeting(world.township).pk]


def _other(world):
    return [_meeting(world.foreign_township).pk]


def _invitation(township, **kwargs):
    from tests.factories import InvitationFactory

    return InvitationFactory(meeting=_meeting(township), **kwargs)


def _document(township):
    from presidium.meetings.models import MeetingDocument

    document = MeetingDocument(meeting=_meeting(township), original_name="议程.pdf", content_type="application/pdf",
                               size_bytes=8)
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return document


def _outcome(township, kind="deliberation_opinion"):
    from presidium.meetings.models import Outcome

    return Outcome.objects.create(meeting=_meeting(township), kind=kind, title="关于农村饮水安全的审议意见")


def _feed(world):
    from presidium.meetings.models import CalendarFeed
    from presidium.meetings.services import calendar_feed_get_or_create

    staff = world.user(Role.PRESIDIUM_STAFF)
    CalendarFeed.objects.filter(user=staff).delete()
    return [calendar_feed_get_or_create(user=staff, by=staff).token]


EVERYONE = expect(200)
EVERYONE_POST = expect(302)

CASES = [
    Case("meetings:meeting_list", allow(READERS)),
    Case("meetings:meeting_schedule", allow(STAFF)),
    Case("meetings:mine", EVERYONE),
    Case("meetings:calendar", allow(READERS)),
    Case("meetings:calendar_month", allow(READERS), own=lambda w: [2026, 12]),
    Case("meetings:feed", EVERYONE),
    Case("meetings:feed_renew", EVERYONE_POST, method="post"),
    Case("meetings:ical", dict.fromkeys(ROLES, 200), own=_feed, other=lambda w: ["no-such-token"],
         note="no login: the secret token is the key; a wrong one is 404"),
    Case("meetings:meeting_detail", expect(404, **dict.fromkeys((*STAFF, *COUNTY), 200)), own=_own, other=_other),
    Case("meetings:meeting_edit", MANAGED, own=_own, other=_other),
    Case("meetings:meeting_cancel", MANAGED, own=_own, other=_other),
    Case("meetings:agenda", MANAGED, own=_own, other=_other),
    Case("meetings:invite", MANAGED, own=_own, other=_other),
    Case("meetings:document_upload", MANAGED, own=_own, other=_other),
    Case("meetings:outcome_add", MANAGED, own=_own, other=_other),
    Case("meetings:meeting_held", MANAGED_POST, own=_own, other=_other, method="post"),
    Case("meetings:attendance", MANAGED_POST, own=_own, other=_other, method="post"),
    Case("meetings:invitation_remove", MANAGED_POST, own=lambda w: [_invitation(w.township).pk],
         other=lambda w: [_invitation(w.foreign_township).pk], method="post"),
    Case("meetings:leave", expect(404, **dict.fromkeys((*STAFF, *COUNTY), 403), **{D: 200}),
         own=lambda w: [_invitation(w.township, user=w.user(Role.DEPUTY), name="代表甲").pk],
         other=lambda w: [_invitation(w.foreign_township).pk],
         note="only the invitee asks for leave; staff record it on the attendance form"),
    Case("meetings:document_download", expect(404, **dict.fromkeys((*STAFF, *COUNTY), 200)),
         own=lambda w: [_document(w.township).pk], other=lambda w: [_document(w.foreign_township).pk]),
    Case("meetings:document_remove", MANAGED_POST, own=lambda w: [_document(w.township).pk],
         other=lambda w: [_document(w.foreign_township).pk], method="post"),
    *[Case(f"meetings:outcome_{name}", MANAGED, own=lambda w: [_outcome(w.township).pk],
           other=lambda w: [_outcome(w.foreign_township).pk])
      for name in ("edit", "send", "answer", "rectification", "rectified")],
    Case("meetings:outcome_convert", MANAGED_POST, own=lambda w: [_outcome(w.township, "finding").pk],
         other=lambda w: [_outcome(w.foreign_township, "finding").pk], method="post"),
]

assert ANONYMOUS in ROLES and L in ROLES
