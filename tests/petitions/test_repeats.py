"""Repeated petitions (重复信访): the same person by ID number or phone, or a similar subject; and counting
cases (件) apart from person-visits (人次)."""

import pytest

from petitions.models import Petition
from petitions.selectors import (
    cases_and_visits_by,
    count_cases_and_visits,
    repeats_for,
    subject_similarity,
)
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(world):
    return PetitionFactory(township=world.township, subject="东风村三组宅基地界址纠纷", mobile="13811112222",
                           id_number="330102198101100002")


def test_it_finds_the_same_person_by_id_number(world, earlier):
    found = repeats_for(township_id=world.township.pk, subject="工资拖欠", id_number="330102198101100002")
    assert [c.petition for c in found] == [earlier] and found[0].same_person
    assert "同一信访人" in found[0].reasons[0]


def test_it_finds_the_same_person_by_a_phone_typed_differently(world, earlier):
    found = repeats_for(township_id=world.township.pk, subject="工资拖欠", mobile="+86 138-1111-2222")
    assert [c.petition for c in found] == [earlier]


def test_it_finds_a_similar_subject(world, earlier):
    found = repeats_for(township_id=world.township.pk, subject="关于东风村宅基地界址纠纷的反映")
    assert [c.petition for c in found] == [earlier] and not found[0].same_person
    assert found[0].similarity >= 0.3 and "事项相似" in found[0].reasons[0]


def test_it_ignores_unrelated_petitions_other_townships_and_the_petition_itself(world, earlier):
    PetitionFactory(township=world.other_township, subject="东风村三组宅基地界址纠纷", id_number="330102198101100002")
    assert repeats_for(township_id=world.township.pk, subject="学校门口交通安全隐患") == []
    assert repeats_for(township_id=world.township.pk, subject=earlier.subject, exclude_pk=earlier.pk) == []


def test_it_puts_the_same_person_before_similar_subjects(world, earlier):
    same = PetitionFactory(township=world.township, subject="低保申请", id_number="330102198909170177")
    found = repeats_for(township_id=world.township.pk, subject="东风村宅基地界址纠纷", id_number="330102198909170177")
    assert [c.petition for c in found] == [same, earlier]


def test_it_scores_similarity_on_two_character_pieces():
    assert subject_similarity("宅基地纠纷", "宅基地纠纷") == 1.0
    assert subject_similarity("宅基地纠纷", "工资拖欠") == 0.0
    assert subject_similarity("", "工资") == 0.0


def test_it_looks_for_repeats_in_one_query_however_many_rows(world, earlier, django_assert_num_queries):
    with django_assert_num_queries(1):
        repeats_for(township_id=world.township.pk, subject="宅基地界址纠纷", mobile="13811112222")
    PetitionFactory.create_batch(20, township=world.township)
    with django_assert_num_queries(1):
        found = repeats_for(township_id=world.township.pk, subject="宅基地界址纠纷", mobile="13811112222")
    assert found and all(c.petition.category.name for c in found)


def test_it_counts_cases_and_person_visits_apart(world, django_assert_num_queries):
    PetitionFactory(township=world.township, channel="visit", people_count=8, is_collective=True)
    PetitionFactory(township=world.township, channel="visit")
    PetitionFactory(township=world.township, channel="letter")
    with django_assert_num_queries(1):
        assert count_cases_and_visits(Petition.objects.all()) == {"cases": 3, "visits": 10}
    with django_assert_num_queries(1):
        rows = cases_and_visits_by(Petition.objects.all(), "channel")
    assert rows == [{"channel": "letter", "cases": 1, "visits": 1}, {"channel": "visit", "cases": 2, "visits": 9}]
    assert count_cases_and_visits(Petition.objects.none()) == {"cases": 0, "visits": 0}


def test_it_counts_how_the_acceptance_clocks_ended_in_the_figures(world):
    """受理告知按期率 is read from the clocks: met ÷ (met + missed + running past due); a case still in its 15 days
    is not counted either way (one definition, petitions/figures.py — the page and the export both use it)."""
    import datetime as dt

    from petitions import services
    from petitions.figures import figures
    from tests.factories import petition_registered

    staff = world.user("presidium_staff")
    on_time = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 25))
    services.petition_accept(petition=on_time, by=staff, on=dt.date(2026, 9, 30))
    late = petition_registered(world.township, by=staff, received_on=dt.date(2026, 9, 1))
    services.petition_accept(petition=late, by=staff, on=dt.date(2026, 9, 20))
    fresh = petition_registered(world.township, by=staff, received_on=dt.date(2026, 10, 10))
    result = figures(Petition.objects.filter(township=world.township), today=dt.date(2026, 10, 12))
    assert (result.acceptance_on_time, result.acceptance_due) == (1, 2)
    assert result.acceptance_rate == 50.0 and result.acceptance_pct == "50%"
    # Past its 15 days and still untold, the fresh case counts against the rate.
    later = figures(Petition.objects.filter(township=world.township), today=dt.date(2026, 10, 26))
    assert (later.acceptance_on_time, later.acceptance_due) == (1, 3)
    assert fresh.clocks.get(kind="acceptance").state == "running"
