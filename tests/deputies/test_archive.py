"""The duty archive: own sections, providers from other apps, the 三不 check, the report to voters, the PDF card."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deputies import services
from deputies.archive import (
    ArchiveProvider,
    ArchiveSection,
    DutySignal,
    build_archive,
    register_archive_provider,
    three_no_status,
    unregister_archive_provider,
)
from deputies.services import whole_percentages
from tests.factories import DeputyFactory, VisitFactory, VisitOpinionFactory


class FakeMeetings(ArchiveProvider):
    """Stands in for the meetings app: every deputy in ``attended`` attended one meeting."""

    title = "参加会议和活动"
    order = 20
    signals = frozenset({DutySignal.MEETING, DutySignal.ACTIVITY})

    def __init__(self, attended=()):
        self.attended = set(attended)

    def section(self, deputy, year, *, viewer):
        return ArchiveSection(key="meetings", title=self.title, counts={"出席": int(deputy.pk in self.attended)})

    def signal_counts(self, deputy_ids, start, end):
        return {pk: {DutySignal.MEETING: 1} for pk in deputy_ids if pk in self.attended}


@pytest.fixture
def fake_meetings():
    """A stand-in meetings source; the real one (presidium.meetings) is put back afterwards."""
    from deputies.archive import _PROVIDERS

    real = _PROVIDERS.get("meetings")
    provider = FakeMeetings()
    register_archive_provider("meetings", provider)
    yield provider
    unregister_archive_provider("meetings")
    if real is not None:
        register_archive_provider("meetings", real)


@pytest.fixture
def no_meetings():
    """A deployment without the meetings source (the archive must say so, not flag anyone); put back after."""
    from deputies.archive import _PROVIDERS

    real = _PROVIDERS.get("meetings")
    unregister_archive_provider("meetings")
    yield
    if real is not None:
        register_archive_provider("meetings", real)


def test_it_splits_the_seeds_report_to_voters_as_63_35_2(world):
    assert whole_percentages([29, 16, 1], 46) == (63, 35, 2)
    deputy = DeputyFactory(township=world.township)
    report = services.voter_report_record(deputy=deputy, by=world.user("presidium_staff"), year=2025,
                                          reported_on=dt.date(2025, 12, 12), place="东风村活动室", voters_present=46,
                                          excellent=29, competent=16)
    assert report.incompetent == 1
    assert report.percentages == (63, 35, 2)


def test_it_refuses_more_grades_than_voters_present(world):
    deputy = DeputyFactory(township=world.township)
    with pytest.raises(ValidationError):
        services.voter_report_record(deputy=deputy, by=None, year=2025, reported_on=dt.date(2025, 12, 1), place="村部",
                                     voters_present=10, excellent=8, competent=5)
    with pytest.raises(ValidationError):
        services.voter_report_record(deputy=deputy, by=None, year=2025, reported_on=dt.date(2024, 12, 1), place="村部",
                                     voters_present=10, excellent=8, competent=1)


def test_it_records_one_pledge_and_one_assessment_per_year_correcting_on_repeat(world):
    deputy = DeputyFactory(township=world.township)
    staff = world.user("presidium_staff")
    year = timezone.localdate().year
    services.pledge_record(deputy=deputy, by=staff, year=year, signed_on=dt.date(year, 1, 5), content="按时参加会议")
    services.pledge_record(deputy=deputy, by=staff, year=year, signed_on=dt.date(year, 1, 6), content="每月走访")
    assert deputy.pledges.get().content == "每月走访"
    services.assessment_record(deputy=deputy, by=staff, year=year - 1, grade="excellent",
                               assessed_on=dt.date(year, 1, 10))
    services.assessment_record(deputy=deputy, by=staff, year=year - 1, grade="competent",
                               assessed_on=dt.date(year, 1, 11))
    assert deputy.assessments.get().grade == "competent"


def test_it_gathers_own_sections_and_marks_missing_sources(world, no_meetings):
    deputy = DeputyFactory(township=world.township)
    year = timezone.localdate().year
    visit = VisitFactory(deputy=deputy)
    VisitOpinionFactory(visit=visit)
    services.training_add(deputy=deputy, by=world.user("presidium_staff"), attended_on=timezone.localdate(),
                          title="履职培训")
    sections = {s.key: s for s in build_archive(deputy, year, viewer=world.user("presidium_staff"))}
    assert sections["visits"].counts["走访次数"] == 1 and sections["visits"].counts["收集意见"] == 1
    assert sections["trainings"].rows[0].title == "履职培训"
    assert sections["trainings"].rows[0].remove_url  # staff may remove a training entered in error
    assert not sections["meetings"].available
    assert "暂无数据来源" in sections["meetings"].empty_text
    assert [s.key for s in build_archive(deputy, year, viewer=None)][0] == "pledge"


def test_it_does_not_flag_anyone_while_the_meetings_source_is_missing(world, no_meetings):
    idle = DeputyFactory(township=world.township)
    talker = DeputyFactory(township=world.township)
    VisitOpinionFactory(visit=VisitFactory(deputy=talker))
    year = timezone.localdate().year
    status = three_no_status([idle.pk, talker.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert status[idle.pk].flagged is None
    assert "暂无数据来源" in status[idle.pk].label
    assert status[talker.pk].flagged is False  # raised opinions in visits: cleared whatever else is missing


def test_it_flags_a_three_no_deputy_once_every_source_is_present(world, fake_meetings):
    idle = DeputyFactory(township=world.township)
    attends = DeputyFactory(township=world.township)
    fake_meetings.attended.add(attends.pk)
    year = timezone.localdate().year
    status = three_no_status([idle.pk, attends.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert status[idle.pk].flagged is True and status[idle.pk].label == "三不代表"
    assert status[attends.pk].flagged is False


def test_the_overviews_three_no_filter_keeps_the_flagged_deputies_as_the_full_check_flags_them(world, fake_meetings):
    """The filter reads only the flag (``exact=()``: each source asked only about deputies still at zero), and
    keeps, or leaves out, exactly the deputies the full count flags."""
    from django.test import RequestFactory

    from deputies.filters import DutyFilter
    from presidium.choices import Role

    idle = DeputyFactory(township=world.township)
    attends = DeputyFactory(township=world.township)
    fake_meetings.attended.add(attends.pk)
    talker = DeputyFactory(township=world.township)
    VisitOpinionFactory(visit=VisitFactory(deputy=talker))
    year = timezone.localdate().year
    full = three_no_status([idle.pk, attends.pk, talker.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert [full[d.pk].flagged for d in (idle, attends, talker)] == [True, False, False]

    def shown(value):
        request = RequestFactory().get("/", {"three_no": value, "year": year})
        request.user = world.user(Role.PRESIDIUM_STAFF)
        from deputies.models import Deputy

        return set(DutyFilter(request.GET, queryset=Deputy.objects.filter(township=world.township),
                              request=request).qs.values_list("pk", flat=True))

    assert shown("true") == {idle.pk}
    assert shown("false") == {attends.pk, talker.pk}


def test_it_shows_the_archive_page_and_the_pdf_card(world, login):
    deputy = DeputyFactory(township=world.township, name="冯国强", mobile="13812345678")
    VisitOpinionFactory(visit=VisitFactory(deputy=deputy))
    client = login(world.user("presidium_staff"))
    page = client.get(reverse("deputies:deputy_archive", args=[deputy.pk]))
    assert page.status_code == 200
    assert "三不代表" in page.content.decode() and "参加会议和活动" in page.content.decode()  # every source present
    response = client.get(reverse("deputies:deputy_archive_pdf", args=[deputy.pk]))
    assert response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "冯国强" in text and "履职登记卡" in text


def test_it_shows_a_deputy_their_own_archive_without_the_three_no_check(world, login):
    deputy = DeputyFactory(township=world.township, user=world.user("deputy"))
    body = login(world.user("deputy")).get(reverse("deputies:deputy_archive", args=[deputy.pk])).content.decode()
    assert "走访选民" in body
    assert 'data-testid="three-no"' not in body


def test_it_lets_staff_record_a_report_to_voters_through_the_form(world, login):
    deputy = DeputyFactory(township=world.township)
    client = login(world.user("presidium_staff"))
    year = timezone.localdate().year
    response = client.post(reverse("deputies:voter_report", args=[deputy.pk]) + f"?year={year}", {
        "year": year, "reported_on": timezone.localdate().isoformat(), "place": "东风村活动室",
        "voters_present": 46, "excellent": 29, "competent": 16, "incompetent": "",
    })
    assert response.status_code == 302
    assert deputy.voter_reports.get().percentages == (63, 35, 2)
    bad = client.post(reverse("deputies:voter_report", args=[deputy.pk]), {
        "year": year, "reported_on": timezone.localdate().isoformat(), "place": "村部", "voters_present": 10,
        "excellent": 9, "competent": 5})
    assert bad.status_code == 200 and "超过了参加评议的选民人数" in bad.content.decode()


class FakeOpinions(ArchiveProvider):
    """Stands in for a source of opinions only (as proposals and petitions are): counts what it was asked."""

    title = "建议"
    order = 50
    signals = frozenset({DutySignal.OPINION})

    def __init__(self, raised):
        self.raised, self.asked = dict(raised), []

    def section(self, deputy, year, *, viewer):
        return None

    def signal_counts(self, deputy_ids, start, end):
        self.asked.append(sorted(deputy_ids))
        return {pk: {DutySignal.OPINION: n} for pk, n in self.raised.items() if pk in deputy_ids}


def test_it_asks_a_source_of_unshown_counts_only_about_the_deputies_still_at_zero(world, fake_meetings):
    """With the opinions read as zero or not (the duty overview's rows), an opinions-only source is asked about
    the deputies whose visits collected none (or not at all): each deputy's flag, "未…" label and the shown
    meeting and activity counts are those of the full count; only a count above zero may be lower."""
    talker, writer, idle, attends = (DeputyFactory(township=world.township) for _n in range(4))
    VisitOpinionFactory(visit=VisitFactory(deputy=talker))
    fake_meetings.attended.add(attends.pk)
    services.training_add(deputy=writer, by=world.user("presidium_staff"), attended_on=timezone.localdate(),
                          title="履职培训")
    source = FakeOpinions({talker.pk: 2, writer.pk: 1})
    register_archive_provider("fake_opinions", source)
    try:
        year = timezone.localdate().year
        ids = [talker.pk, writer.pk, idle.pk, attends.pk]
        known = {"visits": {talker.pk: {DutySignal.OPINION: 1}}}
        bounds = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        full = three_no_status(ids, *bounds, known=known)
        assert source.asked == [sorted(ids)]
        shown = (DutySignal.MEETING, DutySignal.ACTIVITY)
        read = three_no_status(ids, *bounds, known=known, exact=shown)
        assert source.asked[1:] == [sorted([writer.pk, idle.pk, attends.pk])]  # not the talker: already raised one
        for pk in ids:
            assert (read[pk].flagged, read[pk].zeros, read[pk].label, read[pk].missing) == (
                full[pk].flagged, full[pk].zeros, full[pk].label, full[pk].missing)
            assert {s: read[pk].counts[s] for s in shown} == {s: full[pk].counts[s] for s in shown}
        assert full[talker.pk].counts[DutySignal.OPINION] == 3 and read[talker.pk].counts[DutySignal.OPINION] == 1
        assert read[writer.pk].counts[DutySignal.OPINION] == 1 and read[idle.pk].flagged is True
        # every deputy already cleared: not asked at all
        cleared = {pk: {DutySignal.OPINION: 1} for pk in ids}
        three_no_status(ids, *bounds, known={"visits": cleared}, exact=shown)
        assert len(source.asked) == 2
    finally:
        unregister_archive_provider("fake_opinions")
