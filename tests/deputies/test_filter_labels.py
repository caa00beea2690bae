"""Across townships (the county's view) the group, station and constituency choices name their township."""

from __future__ import annotations

from django.urls import reverse

from deputies.choices import GroupKind
from deputies.models import DeputyGroup
from presidium.choices import Role


def test_it_names_the_township_of_each_group_for_the_county_and_not_for_staff(world, login):
    for township in (world.township, world.other_township):
        DeputyGroup.objects.create(township=township, name="东风代表小组", kind=GroupKind.SMALL)

    county = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("deputies:deputy_list")).content.decode()
    assert f"{world.township.name} · 东风代表小组" in county
    assert f"{world.other_township.name} · 东风代表小组" in county

    staff = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("deputies:deputy_list")).content.decode()
    assert ">东风代表小组<" in staff and " · 东风代表小组" not in staff


def test_the_term_choices_name_each_term_as_the_term_names_itself_with_its_township_when_several(world):
    """term_choices reads values, not Term instances: its labels must stay ``str(term)`` in both languages."""
    from django.utils import translation

    from deputies.filters import term_choices
    from presidium.models import Term
    from tests.factories import TermFactory

    TermFactory(township=world.township, ordinal=17, is_current=False)
    county, staff = world.user("county_admin"), world.user("presidium_staff")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            terms = list(Term.objects.filter(township__county=world.county).select_related("township")
                         .order_by("township__name", "-ordinal"))
            assert term_choices(county)[2:] == [(str(t.pk), f"{t.township.name} {t}") for t in terms]
            own = [t for t in terms if t.township_id == world.township.pk]
            assert term_choices(staff)[2:] == [(str(t.pk), str(t)) for t in own]
            assert [label for _value, label in term_choices(staff)[:2]] == [
                translation.gettext("本届"), translation.gettext("全部届次")]
