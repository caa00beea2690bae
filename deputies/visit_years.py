"""Each deputy's visits of a year summed (:class:`deputies.models.VisitYear`), recounted from the visits.

Whatever writes visits keeps these rows: the visit services call :func:`refresh` for the (deputy, year) pairs a
create, an edit or a delete touched; the demo, the scale builder and the migration that made the table call
:func:`fill` for the visits they wrote. Both count from the visits themselves, so a row is always the sum of its
visits (``tests/deputies/test_visit_years.py``), whatever order concurrent services commit in (:func:`refresh`
first locks the deputy's row).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear


def _sums(visits):
    """The visits grouped by deputy, township and calendar year, summed."""
    return (visits.order_by().annotate(_year=ExtractYear("visited_on"))
            .values("deputy_id", "township_id", "_year")
            .annotate(n=Count("*"), p=Coalesce(Sum("people"), 0), h=Coalesce(Sum("households"), 0),
                      o=Coalesce(Sum("opinion_count"), 0)))


def _row(model, row):
    return model(deputy_id=row["deputy_id"], township_id=row["township_id"], year=row["_year"], visits=row["n"],
                 people=row["p"], households=row["h"], opinions=row["o"])


def fill(visits, *, visit_year_model=None, batch_size: int = 1000) -> int:
    """Write the yearly rows of every (deputy, year) among ``visits`` (a queryset of visits: all of those
    deputies' visits of those years should be in it), replacing the rows there were. Returns the rows written."""
    if visit_year_model is None:
        from deputies.models import VisitYear as visit_year_model
    rows = [_row(visit_year_model, row) for row in _sums(visits)]
    deputy_ids = {row.deputy_id for row in rows}
    if deputy_ids:
        visit_year_model.objects.filter(deputy_id__in=deputy_ids, year__in={row.year for row in rows}).delete()
        visit_year_model.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def refresh(deputy_id: int, years: Iterable[int]) -> None:
    """Recount the deputy's rows of ``years`` from their visits (call inside the transaction that changed them).

    The deputy's row is locked first (PostgreSQL), so two services changing the same deputy's visits recount one
    after the other, the second seeing the first's visits once committed."""
    from deputies.models import Deputy, Visit, VisitYear

    years = sorted(set(years))
    if not years:
        return
    list(Deputy.objects.select_for_update().filter(pk=deputy_id).values_list("pk"))
    found = {row["_year"]: row for row in _sums(Visit.objects.filter(deputy_id=deputy_id)
                                                 .filter(visited_on__year__in=years))}
    VisitYear.objects.filter(deputy_id=deputy_id, year__in=[y for y in years if y not in found]).delete()
    for year, row in found.items():
        VisitYear.objects.update_or_create(
            deputy_id=deputy_id, year=year,
            defaults={"township_id": row["township_id"], "visits": row["n"], "people": row["p"],
                      "households": row["h"], "opinions": row["o"]})
