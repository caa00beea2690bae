"""The composition tables (统计, deputies/statistics.py) are counted from one query of the deputies' columns: each
table's counts equal the grouped and filtered counts the database gives (as the page's eight queries counted them
before, docs/performance.md seventh round), at the age bands' edges, with values outside the choices and none."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse

from deputies.choices import (
    CPC_AFFILIATIONS,
    DEMOCRATIC_PARTIES,
    AgeBand,
    DeputyLevel,
    Education,
    Ethnicity,
    Gender,
    PoliticalAffiliation,
)
from deputies.choices import Sector as SectorChoice
from deputies.filters import age_band_q
from deputies.models import Deputy
from deputies.statistics import composition
from tests.factories import DeputyFactory

TODAY = dt.date(2026, 3, 1)


def _years_before(years: int, day: dt.date = TODAY) -> dt.date:
    return day.replace(year=day.year - years)


def _grouped(queryset, field: str) -> dict:
    return dict(queryset.values_list(field).annotate(n=Count("pk")).order_by())


def _make_deputies(world):
    shapes = [  # birth date, gender, affiliation, education, ethnicity, sector, level
        (_years_before(35), "female", "cpc", "postgraduate", "01", "worker", "township"),  # 35 today: the first band
        (_years_before(36) + dt.timedelta(days=1), "male", "cpc_probationary", "", "03", "farmer", "both"),  # 35 too
        (_years_before(36), "male", "cdl", "bachelor", "01", "cadre", "county"),  # 36 today
        (dt.date(1960, 2, 29), "female", "masses", "", "01", "other", "township"),  # 66 on 1 March
        (_years_before(61) + dt.timedelta(days=1), "male", "jiusan", "bachelor", "02", "other", "township"),  # 60
        (None, "female", "non_party", "postgraduate", "01", "professional", "township"),
    ]
    for birth, gender, affiliation, education, ethnicity, sector, level in shapes:
        DeputyFactory(township=world.township, birth_date=birth, gender=gender, affiliation=affiliation,
                      education=education, ethnicity=ethnicity, sector=sector, level=level)
    # a value no longer among the choices (an old import): counted as 未填写
    Deputy.objects.filter(affiliation="masses").update(education="old-value")
    DeputyFactory(township=world.other_township, gender="male")


def test_the_tables_count_as_the_grouped_queries_do_in_one_query(world, django_assert_num_queries):
    _make_deputies(world)
    queryset = Deputy.objects.filter(township__county=world.county).order_by()
    with django_assert_num_queries(1):
        total, tables = composition(queryset, today=TODAY)
    by_key = {table.key: table for table in tables}
    assert total == queryset.count() == 7

    for key, choices in (("gender", Gender.choices), ("sector", SectorChoice.choices),
                         ("education", Education.choices), ("level", DeputyLevel.choices)):
        grouped = _grouped(queryset, key)
        expected = [grouped.pop(value, 0) for value, _label in choices]
        leftover = sum(grouped.values())
        assert [row.count for row in by_key[key].rows] == expected + ([leftover] if leftover else []), key
    assert by_key["education"].rows[-1].count == 3  # "" twice and the old value: 未填写

    bands = [queryset.filter(age_band_q(band.value, TODAY)).count() for band in AgeBand]
    unknown = queryset.filter(birth_date__isnull=True).count()
    assert [row.count for row in by_key["age"].rows] == bands + [unknown]
    assert bands == [2, 1, 0, 1, 1]

    grouped = _grouped(queryset, "affiliation")
    expected = [sum(grouped.get(v, 0) for v in CPC_AFFILIATIONS), grouped[PoliticalAffiliation.CPC_PROBATIONARY],
                sum(grouped.get(v, 0) for v in DEMOCRATIC_PARTIES)]
    expected += [grouped[v] for v in PoliticalAffiliation if v in DEMOCRATIC_PARTIES and grouped.get(v)]
    expected += [grouped.get(v, 0) for v in ("cyl", "non_party", "masses")]
    assert [row.count for row in by_key["affiliation"].rows] == expected

    grouped = _grouped(queryset, "ethnicity")
    han = grouped.pop(Ethnicity.HAN, 0)
    expected = [han, sum(grouped.values())] + [grouped[v] for v, _label in Ethnicity.choices if grouped.get(v)]
    assert [row.count for row in by_key["ethnicity"].rows] == expected == [5, 2, 1, 1]


def test_the_statistics_page_reads_the_deputies_once(world, login, django_assert_max_num_queries):
    _make_deputies(world)
    client = login(world.user("county_admin"))
    url = reverse("deputies:composition")
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url, {"scope": "all"})
    assert response.status_code == 200 and response.context["total"] == 7
