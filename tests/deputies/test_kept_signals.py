"""The 三不 check's grouped counts run through SQL kept per (source, number of deputies, period)
(``deputies.archive._signal_counts``): each page's deputies are passed in the places of the stand-in ids, and the
counts are those each source's archive section counts for the same deputy and year, whichever deputies are asked
together and in whatever order."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies import services
from deputies.archive import (
    ArchiveProvider,
    DutySignal,
    _signal_counts,
    archive_providers,
    build_archive,
    kept_section_rows,
    register_archive_provider,
    unregister_archive_provider,
)
from deputies.models import TrainingRecord
from presidium.choices import Role
from presidium.home_cards import _KEPT
from proposals import services as proposal_services
from tests.factories import (
    DeputyFactory,
    InvitationFactory,
    MeetingFactory,
    PetitionFactory,
    VisitFactory,
    VisitOpinionFactory,
    proposals_suggestion,
)

_SESSIONS = itertools.count(1)


def _today_at(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(hour)))


def _busy(world, n: int):
    """A deputy with ``n`` of every kind of record (and some that must not count)."""
    staff = world.user(Role.PRESIDIUM_STAFF)
    deputy = DeputyFactory(township=world.township)
    other = DeputyFactory(township=world.township)
    today = timezone.localdate()
    for i in range(n):
        for kind, status in (("presidium_meeting", "present"), ("inspection", "present"), ("congress_session", "leave"),
                             ("survey", "absent")):
            numbered = {"session_number": next(_SESSIONS)} if kind == "congress_session" else {}
            meeting = MeetingFactory(township=world.township, kind=kind, starts_at=_today_at(9 + i % 3), **numbered)
            InvitationFactory(meeting=meeting, deputy=deputy, name=deputy.name, status=status,
                              leave_reason="出差" if status == "leave" else "")
        cancelled = MeetingFactory(township=world.township, starts_at=_today_at(9), status="cancelled",
                                   cancel_reason="改期")
        InvitationFactory(meeting=cancelled, deputy=deputy, name=deputy.name, status="present")
        VisitOpinionFactory(visit=VisitFactory(deputy=deputy, visited_on=today))
        services.training_add(deputy=deputy, by=staff, attended_on=today, title="培训")
        proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title=f"领衔{i}")
        signed = proposals_suggestion(world.township, lead_deputy=other, cosigners=[deputy], status_to="submitted")
        proposal_services.cosignature_confirm(cosignature=signed.cosignatures.get(deputy=deputy), by=staff)
        proposals_suggestion(world.township, lead_deputy=deputy, status_to="draft", title="草稿不算")
        PetitionFactory(township=world.township, raised_by_deputy=deputy, received_on=today, year=today.year)
    return deputy


def _section_signals(deputy, year, viewer) -> dict[str, dict]:
    """Each source's signal counts as its archive section counts them (from the rows it lists)."""
    return {section.source: {s: n for s, n in section.signals.items() if n}
            for section in build_archive(deputy, year, viewer=viewer) if section.signals is not None}


def test_the_kept_signal_queries_count_what_each_sections_counts_for_any_deputies(world):
    year = timezone.localdate().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    quiet = DeputyFactory(township=world.township)
    one, three = _busy(world, 1), _busy(world, 3)
    staff = world.user(Role.PRESIDIUM_STAFF)
    expected = {deputy.pk: _section_signals(deputy, year, staff) for deputy in (quiet, one, three)}
    kept_sources = [(key, provider) for key, provider in archive_providers() if getattr(provider, "signal_columns", ())]
    assert {key for key, _p in kept_sources} == {"meetings", "visits", "proposals", "petitions", "trainings"}
    assert expected[three.pk]["meetings"] == {DutySignal.MEETING: 3, DutySignal.ACTIVITY: 3}
    assert expected[three.pk]["proposals"] == {DutySignal.OPINION: 6}  # three led, three co-signed
    for key, provider in kept_sources:
        for ids in ([one.pk, three.pk], [three.pk, quiet.pk], [quiet.pk, one.pk], [three.pk], [one.pk]):
            with CaptureQueriesContext(connection) as captured:
                counted = _signal_counts(key, provider, ids, start, end)
            assert len(captured) == 1  # the led and co-signed items too: one query
            assert {pk: {s: n for s, n in counts.items() if n} for pk, counts in counted.items()} == {
                pk: expected[pk][key] for pk in ids if expected[pk].get(key)}, (key, ids)
            assert counted == provider.signal_counts(ids, start, end)  # the source's own count, built afresh
        # one kept SQL per number of deputies asked: two and one
        assert len([k for k in _KEPT if k[:3] == ("sql", "duty_signals", key)]) == 2


class ListedTwice(ArchiveProvider):
    """A source whose query names the first deputy twice: its stand-ins are not each there as often."""

    signals = frozenset({DutySignal.ACTIVITY})
    signal_columns = (DutySignal.ACTIVITY,)

    def __init__(self):
        self.asked = []

    def section(self, deputy, year, *, viewer):
        return None

    def signal_query(self, deputy_ids, start, end):
        from django.db.models import Count, Q

        self.asked.append(list(deputy_ids))
        return (TrainingRecord.objects.filter(Q(deputy_id__in=deputy_ids) | Q(deputy_id=deputy_ids[0]),
                                              attended_on__range=(start, end))
                .order_by().values("deputy_id").annotate(n=Count("pk")).values_list("deputy_id", "n"))


def test_a_query_that_does_not_hold_each_stand_in_as_often_is_built_with_the_deputies_each_time(world):
    year = timezone.localdate().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    staff = world.user(Role.PRESIDIUM_STAFF)
    first, second = DeputyFactory(township=world.township), DeputyFactory(township=world.township)
    for deputy, n in ((first, 1), (second, 2)):
        for _i in range(n):
            services.training_add(deputy=deputy, by=staff, attended_on=timezone.localdate(), title="培训")
    provider = ListedTwice()
    register_archive_provider("listed_twice", provider)
    try:
        for _round in range(2):
            assert _signal_counts("listed_twice", provider, [first.pk, second.pk], start, end) == {
                first.pk: {DutySignal.ACTIVITY: 1}, second.pk: {DutySignal.ACTIVITY: 2}}
        # built with the stand-ins once (then found unfit), and with the deputies on each call
        assert [ids for ids in provider.asked if ids[0] > 0] == [[first.pk, second.pk]] * 2
    finally:
        unregister_archive_provider("listed_twice")


def _sections(deputy, year, viewer) -> dict[str, list]:
    return {section.source: [(row.date, row.title, row.detail, row.status, row.tone, row.url) for row in section.rows]
            for section in build_archive(deputy, year, viewer=viewer) if section.source in ("meetings", "proposals")}


def test_the_archives_kept_sections_list_what_their_querysets_list_for_each_deputy_and_viewer(world):
    """The meetings and suggestions sections read their rows through SQL kept per (viewer's roles, day, number of
    ids): for another deputy, another viewer and rows added after the first read, the same rows and links as the
    sections' own querysets give, built afresh."""
    from presidium.meetings.archive import MeetingsArchive
    from proposals.wiring import ProposalsArchive

    year = timezone.localdate().year
    one, three = _busy(world, 1), _busy(world, 3)
    viewers = [world.user(Role.PRESIDIUM_STAFF), world.other_staff, world.user(Role.COUNTY_ADMIN)]
    one.user = world.user("deputy")
    one.save(update_fields=["user"])
    viewers.append(world.user("deputy"))

    def fresh(deputy, viewer):
        """The rows as the querysets give them, nothing kept."""
        from proposals.selectors import day_start

        since, until = day_start(start), day_start(dt.date(year + 1, 1, 1))
        ids = [deputy.pk, *ProposalsArchive._cosigned([deputy.pk])]
        return (list(MeetingsArchive._rows(viewer, [deputy.pk], start, end)),
                list(ProposalsArchive._rows(viewer, ids, since, until)))

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def meeting_rows(user, ids):
        return MeetingsArchive._rows(user, ids, start, end)

    for _round in range(2):
        for viewer in viewers:
            for deputy in (one, three):
                meetings, proposals = fresh(deputy, viewer)
                assert kept_section_rows(("meetings", start, end), meeting_rows, viewer, [deputy.pk]) == meetings
                sections = _sections(deputy, year, viewer)
                assert len(sections["meetings"]) == len(meetings) and len(sections["proposals"]) == len(proposals)
                assert [bool(row[5]) for row in sections["proposals"]] == [p["viewer_may_open"] for p in proposals]
                assert [bool(row[5]) for row in sections["meetings"]] == [m["meeting_visible"] for m in meetings]
        # another township's staff opens none of them; the deputy opens their own
        assert not any(row[5] for rows in _sections(three, year, world.other_staff).values() for row in rows)
        assert all(row[5] for row in _sections(one, year, world.user("deputy"))["proposals"])
        _busy(world, 1)  # rows of the moment on the next round: more deputies, the kept SQL unchanged
        meeting = MeetingFactory(township=world.township, kind="inspection", starts_at=_today_at(10))
        InvitationFactory(meeting=meeting, deputy=three, name=three.name, status="present")
    assert len(_sections(three, year, world.user(Role.PRESIDIUM_STAFF))["meetings"]) == 4 * 3 + 2


def test_the_archives_kept_sections_show_what_the_model_rows_showed(world):
    """Each line as the sections wrote it from model instances (get_FOO_display, get_absolute_url, the serial)."""
    from presidium.meetings.models import Invitation
    from proposals.models import Suggestion

    year = timezone.localdate().year
    deputy = _busy(world, 2)
    staff = world.user(Role.PRESIDIUM_STAFF)
    sections = _sections(deputy, year, staff)
    invitations = (Invitation.objects.filter(deputy=deputy).exclude(meeting__status="cancelled")
                   .select_related("meeting").order_by("meeting__starts_at", "pk"))
    expected = []
    for invitation in invitations:
        meeting = invitation.meeting
        detail = f"{meeting.get_kind_display()} · {meeting.place}"
        if invitation.status == "leave" and invitation.leave_reason:
            detail += f" · {invitation.leave_reason}"
        expected.append((timezone.localdate(meeting.starts_at), meeting.title, detail,
                         invitation.get_status_display(), meeting.get_absolute_url()))
    assert [row[:4] + row[5:] for row in sections["meetings"]] == expected
    items = (Suggestion.objects.filter(lead_deputy=deputy).exclude(status="draft")
             | Suggestion.objects.filter(cosignatures__deputy=deputy)).distinct().order_by("submitted_at")
    assert [(row[1], row[3], row[5]) for row in sections["proposals"]] == [
        (f"{s.serial} {s.title}".strip(), s.get_status_display(), s.get_absolute_url()) for s in items]
