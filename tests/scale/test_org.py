"""The organisation builder of ``seed_demo --scale``: townships, terms, units and accounts in bulk."""

import pytest
from django.core.management import CommandError, call_command

from presidium.models import HandlingUnit, PresidiumMembership, RoleAssignment, Term, Township, User
from presidium.scale.org import township_names
from tests.scale.helpers import assert_valid_sample, small_plan

pytestmark = pytest.mark.django_db


def test_it_builds_each_township_with_a_current_term_presidium_units_and_accounts():
    plan = small_plan(townships=3)
    assert len(plan.built) == 3
    for built in plan.built:
        assert Term.objects.get(township=built.township).is_current
        assert PresidiumMembership.objects.filter(term=built.term).count() == 7
        assert len(built.units) == HandlingUnit.objects.filter(township=built.township).count() > 30
        assert set(RoleAssignment.objects.filter(user=built.chair).values_list("role", "township")) == {
            ("presidium_chair", built.township.pk)}
        assert set(built.liaisons) == {u.pk for u in built.units}
    assert User.objects.get(username="t01_staff").check_password("Renda2026!")
    for model in (Township, Term, HandlingUnit, PresidiumMembership):
        assert_valid_sample(model.objects.all())


def test_it_builds_nothing_twice():
    small_plan(townships=2)
    counts = [m.objects.count() for m in (Township, HandlingUnit, User, RoleAssignment, PresidiumMembership)]
    small_plan(townships=2)
    assert [m.objects.count() for m in (Township, HandlingUnit, User, RoleAssignment, PresidiumMembership)] == counts


def test_township_names_are_distinct_for_a_province():
    names = [name for name, _ in township_names(100)]
    assert len(set(names)) == 100


def test_it_refuses_a_scale_it_does_not_know_and_options_without_a_scale():
    with pytest.raises(CommandError, match="只能是"):
        call_command("seed_demo", scale="3")
    with pytest.raises(CommandError, match="只与"):
        call_command("seed_demo", townships=5)
    with pytest.raises(CommandError, match="之间"):
        call_command("seed_demo", scale="county", years=0)


def test_the_demo_steps_fill_only_the_demo_townships_so_a_second_seed_leaves_the_scale_ones_alone():
    """A second ``seed_demo --scale county`` runs the demo steps again: they must not add demo deputies,
    suggestions … to the scale townships (which already have theirs: ID numbers would clash)."""
    from presidium.demo import demo_townships, seed_organisation

    seed_organisation()
    plan = small_plan(townships=5)
    assert len(plan.built) == 2
    assert set(demo_townships().values_list("name", flat=True)) == {"青石镇", "柳河乡", "白沙街道"}
    assert not demo_townships().filter(pk__in=[b.township.pk for b in plan.built]).exists()
