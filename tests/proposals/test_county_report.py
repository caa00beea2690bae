"""The county-wide handling report: one row per township and the county's total, from the figures' selectors."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from presidium.choices import Role
from proposals import services
from proposals.models import Suggestion
from tests.factories import HandlingUnitFactory, TownshipFactory, proposals_suggestion


def test_it_reports_each_township_and_the_county_total(world, login):
    """By hand: 甲镇 2 assigned (1 replied on time), 乙镇 1 assigned overdue without reply → total 3 assigned."""
    a1 = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit)
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    b1 = proposals_suggestion(world.other_township, status_to="assigned", unit=world.other_unit)
    proposals_suggestion(world.foreign_township, status_to="assigned", unit=world.foreign_unit)  # another county
    liaison = world.user(Role.UNIT_LIAISON)
    services.reply_submit(suggestion=a1, by=liaison, text="已办", result_class="A")
    Suggestion.objects.filter(pk=b1.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    services.supervision_opinion_send(by=world.user(Role.COUNTY_REVIEWER), unit=world.other_unit, title="督办",
                                      content="请说明逾期原因。")

    response = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("proposals:county_report"))
    report = response.context["report"]
    rows = {t.name: (r.total, r.assigned, r.replied, r.overdue, flagged, opinions)
            for t, r, flagged, opinions in report.rows}
    assert rows == {"甲镇": (2, 2, 1, 0, 0, 0), "乙镇": (1, 1, 0, 1, 0, 1)}
    assert (report.total.total, report.total.assigned, report.total.replied, report.total.overdue) == (3, 3, 1, 1)
    assert report.total.reply_rate == 33.3 and report.total.on_time_rate == 50.0 and report.opinions_total == 1
    assert 'data-testid="county-total"' in response.content.decode()

    xlsx = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("proposals:county_report"), {
        "start": f"{timezone.localdate().year}-01-01", "end": timezone.localdate().isoformat(), "format": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(xlsx.content), read_only=True).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in sheet[2:-1]) == sorted(["甲镇", "乙镇"]) and sheet[-1][:3] == ("合计", 3, 3)


def test_it_refuses_township_staff_and_keeps_bad_dates_clear(world, login):
    assert login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("proposals:county_report")).status_code == 403
    response = login(world.user(Role.COUNTY_ADMIN)).get(reverse("proposals:county_report"),
                                                        {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()


def test_it_builds_the_county_report_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.COUNTY_REVIEWER))

    def add(n):
        for _i in range(n):
            township = TownshipFactory(county=world.county)
            proposals_suggestion(township, status_to="assigned", unit=HandlingUnitFactory(township=township))

    add(1)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("proposals:county_report"))
    add(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("proposals:county_report"))


def test_the_county_total_is_the_count_of_all_its_items_as_the_figures_count_them(world, login):
    """The total is the townships' rows summed: every count equals :func:`rates` over the county's items (drafts and
    withdrawn items left out, another county's items and those submitted outside the period too)."""
    from proposals.selectors.figures import RATE_COUNTS, in_period, rates

    for township, unit in ((world.township, world.unit), (world.other_township, world.other_unit)):
        for status in ("draft", "submitted", "assigned", "in_handling", "replied", "closed"):
            proposals_suggestion(township, status_to=status, unit=unit)
    late = proposals_suggestion(world.other_township, status_to="assigned", unit=world.other_unit)
    Suggestion.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    last_year = proposals_suggestion(world.township, status_to="replied", unit=world.unit)
    Suggestion.objects.filter(pk=last_year.pk).update(submitted_at=timezone.now() - dt.timedelta(days=800))
    withdrawn = proposals_suggestion(world.township, status_to="submitted")
    Suggestion.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    proposals_suggestion(world.foreign_township, status_to="closed", unit=world.foreign_unit)

    report = login(world.user(Role.COUNTY_ADMIN)).get(reverse("proposals:county_report")).context["report"]
    ids = [world.township.pk, world.other_township.pk]
    expected = rates(in_period(Suggestion.objects.filter(township_id__in=ids), report.start, report.end))
    assert {name: getattr(report.total, name) for name in RATE_COUNTS} == {
        name: getattr(expected, name) for name in RATE_COUNTS}
    assert (report.total.total, report.total.closed, report.total.overdue) == (11, 2, 1)


def test_the_rates_per_township_id_are_the_rates_by_township_in_their_grouped_query_alone(
        world, django_assert_num_queries):
    """The county report and the scorecards' indicators read the townships' rates by id: the same figures as
    :func:`rates_by_township`, one query at two sizes (no query of the townships)."""
    from proposals.selectors.figures import rates_by_township, rates_per_township_id

    def check():
        items = Suggestion.objects.filter(township__county=world.county)
        expected = {t.pk: r for t, r in rates_by_township(items)}
        with django_assert_num_queries(1):
            found = rates_per_township_id(items)
        assert found == expected and len(found) == Suggestion.objects.exclude(
            status__in=["draft", "withdrawn"]).filter(township__county=world.county).values(
            "township_id").distinct().count()

    for township, unit in ((world.township, world.unit), (world.other_township, world.other_unit)):
        for status in ("draft", "assigned", "replied", "closed"):
            proposals_suggestion(township, status_to=status, unit=unit)
    check()
    for _i in range(3):
        township = TownshipFactory(county=world.county)
        proposals_suggestion(township, status_to="assigned", unit=HandlingUnitFactory(township=township))
    check()
