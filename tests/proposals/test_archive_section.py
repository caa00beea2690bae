"""The duty archive's section of motions and suggestions (proposals.wiring.ProposalsArchive): what the deputy
led or co-signed (confirmed) in the year, never drafts or withdrawn ones, each linked only for a viewer who
may open it; in a fixed number of queries however many there are."""

from __future__ import annotations

from django.utils import timezone

from presidium.choices import Role
from proposals import services
from proposals.models import Suggestion
from proposals.wiring import ProposalsArchive
from tests.factories import proposals_deputy, proposals_suggestion


def _cosigned(world, lead, signer, *, confirm: bool, title: str) -> Suggestion:
    suggestion = proposals_suggestion(world.township, lead_deputy=lead, title=title, cosigners=[signer],
                                      status_to="submitted")
    if confirm:
        services.cosignature_confirm(cosignature=suggestion.cosignatures.get(deputy=signer),
                                     by=world.user(Role.PRESIDIUM_STAFF))
    return suggestion


def _titles(section):
    return sorted(row.title.split(" ", 1)[-1] for row in section.rows)


def test_it_lists_what_the_deputy_led_and_cosigned_this_year(world, django_assert_max_num_queries):
    year = timezone.localdate().year
    deputy = proposals_deputy(world.township, name="冯国强")
    other = proposals_deputy(world.township, name="陈立")
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="领衔的建议")
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="draft", title="草稿不算")
    _cosigned(world, other, deputy, confirm=True, title="联名已确认")
    _cosigned(world, other, deputy, confirm=False, title="联名未确认")
    proposals_suggestion(world.township, lead_deputy=other, status_to="submitted", title="别人的建议")
    withdrawn = proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="撤回不算")
    Suggestion.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    last_year = proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="去年的")
    Suggestion.objects.filter(pk=last_year.pk).update(submitted_at=timezone.now().replace(year=year - 1))

    staff = world.user(Role.PRESIDIUM_STAFF)
    with django_assert_max_num_queries(2):
        section = ProposalsArchive().section(deputy, year, viewer=staff)
    assert _titles(section) == ["联名已确认", "领衔的建议"]
    assert {str(k): v for k, v in section.counts.items()} == {"领衔": 1, "联名": 1}
    assert all(row.url for row in section.rows)
    assert ProposalsArchive().section(deputy, year - 1, viewer=staff).rows[0].title.endswith("去年的")


def test_it_links_only_what_the_viewer_may_open(world):
    year = timezone.localdate().year
    deputy = proposals_deputy(world.township, name="冯国强")
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="领衔的建议")
    section = ProposalsArchive().section(deputy, year, viewer=world.other_staff)
    assert _titles(section) == ["领衔的建议"]
    assert [row.url for row in section.rows] == [""]


def test_it_hands_the_archive_its_three_no_signal_as_signal_counts_counts_it(world):
    """The section's 提出意见建议 signal (so the archive's 三不 check asks nothing more) equals ``signal_counts``:
    led plus confirmed co-signatures, never a draft, a withdrawn item or another year's; the same in a year of
    none; and the section reads none of the items' long texts."""
    from deputies.archive import DutySignal
    from deputies.selectors import year_bounds

    year = timezone.localdate().year
    deputy = proposals_deputy(world.township, name="冯国强")
    other = proposals_deputy(world.township, name="陈立")
    staff = world.user(Role.PRESIDIUM_STAFF)

    def agree(expected):
        section = ProposalsArchive().section(deputy, year, viewer=staff)
        counted = ProposalsArchive().signal_counts([deputy.pk], *year_bounds(year))
        assert section.signals == {DutySignal.OPINION: counted.get(deputy.pk, {}).get(DutySignal.OPINION, 0)}
        assert section.signals[DutySignal.OPINION] == expected

    agree(0)
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="领衔的建议")
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="draft", title="草稿不算")
    agree(1)
    _cosigned(world, other, deputy, confirm=True, title="联名已确认")
    _cosigned(world, other, deputy, confirm=False, title="联名未确认")
    agree(2)
    withdrawn = _cosigned(world, other, deputy, confirm=True, title="联名后撤回")
    agree(3)
    Suggestion.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    last_year = proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="去年的")
    Suggestion.objects.filter(pk=last_year.pk).update(submitted_at=timezone.now().replace(year=year - 1))
    agree(2)
    section = ProposalsArchive().section(deputy, year, viewer=staff)
    for row in section.rows:
        assert row.title and row.status


def test_it_reads_the_items_without_their_long_texts(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    deputy = proposals_deputy(world.township, name="冯国强")
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="领衔的建议")
    staff = world.user(Role.PRESIDIUM_STAFF)
    with CaptureQueriesContext(connection) as captured:
        section = ProposalsArchive().section(deputy, timezone.localdate().year, viewer=staff)
    assert _titles(section) == ["领衔的建议"]
    # besides the viewer's roles (read once per request): the signatures, then the items
    signatures, items = (q["sql"] for q in captured.captured_queries if "presidium_roleassignment" not in q["sql"])
    assert '"proposals_suggestion"' not in signatures  # the signatures alone, not joined to sort by serial
    for text in ProposalsArchive.UNREAD_TEXTS:
        assert f'"proposals_suggestion"."{text}"' not in items
