"""count_together: several independent counts in one query, each equal to the queryset's own count()."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies.models import Deputy, Visit
from presidium.counting import count_together
from presidium.models import Township
from tests.factories import DeputyFactory, VisitFactory


def test_it_counts_each_queryset_as_its_own_count_in_one_query(world):
    deputy = DeputyFactory(township=world.township)
    for _ in range(3):
        VisitFactory(deputy=deputy)
    VisitFactory(deputy=DeputyFactory(township=world.other_township))
    querysets = {
        "visits": Visit.objects.filter(township=world.township),
        "visiting_deputies": Visit.objects.values("deputy_id").distinct(),
        "townships": Township.objects.exclude(pk=world.township.pk),
        "none": Deputy.objects.none(),
        "empty_in": Deputy.objects.filter(pk__in=[]),
    }
    with CaptureQueriesContext(connection) as captured:
        counted = count_together(querysets)
    assert len(captured) == 1
    assert counted == {key: qs.count() for key, qs in querysets.items()}
    assert counted["visits"] == 3 and counted["visiting_deputies"] == 2 and counted["none"] == 0


def test_it_makes_no_query_when_nothing_is_to_be_counted(db):
    with CaptureQueriesContext(connection) as captured:
        assert count_together({"none": Deputy.objects.none()}) == {"none": 0}
        assert count_together({}) == {}
    assert len(captured) == 0


def test_it_reads_grouped_rows_and_a_one_row_aggregate_in_one_query(world):
    from django.db.models import Count, Max

    from presidium.counting import Aggregated, rows_and_totals

    for township, n in ((world.township, 2), (world.other_township, 1)):
        deputy = DeputyFactory(township=township)
        for _ in range(n):
            VisitFactory(deputy=deputy)
    grouped = Visit.objects.order_by().values("township_id", "township__name").annotate(n=Count("pk"))
    totals = Aggregated(Deputy.objects.all(), {"deputies": Count("pk"), "newest": Max("pk")})
    with CaptureQueriesContext(connection) as captured:
        rows, read = rows_and_totals(grouped, totals)
    assert len(captured) == 1
    assert sorted(rows, key=lambda r: r["n"]) == sorted(grouped, key=lambda r: r["n"])
    assert read == totals.get()

    empty, read = rows_and_totals(grouped.filter(township=None), totals)
    assert empty == [] and read == totals.get()


def test_it_counts_plain_querysets_by_their_keys_with_the_same_numbers(world):
    """A plain queryset is counted on its keys alone (no select_related join, no columns); the numbers are its
    count(), also where a join repeats rows (a deputy per visit) or the queryset is distinct or annotated."""
    from django.db.models import Count

    for township, n in ((world.township, 3), (world.other_township, 1)):
        deputy = DeputyFactory(township=township)
        for _ in range(n):
            VisitFactory(deputy=deputy)
    querysets = {
        "joined": Visit.objects.select_related("deputy", "township").filter(deputy__township=world.township),
        "repeated": Deputy.objects.filter(visits__isnull=False),
        "distinct": Deputy.objects.filter(visits__isnull=False).distinct(),
        "annotated": Deputy.objects.annotate(n=Count("visits")).filter(n__gte=2),
    }
    with CaptureQueriesContext(connection) as captured:
        counted = count_together(querysets)
    assert counted == {key: qs.count() for key, qs in querysets.items()}
    assert counted == {"joined": 3, "repeated": 4, "distinct": 2, "annotated": 1}
    sql = captured.captured_queries[0]["sql"]
    assert '"deputies_visit"."summary"' not in sql and "LEFT OUTER JOIN" not in sql.split("counted)")[0]
