"""The floor's options stamp (``presidium.choice_rows``): every table a list's options are read from has the triggers
that write it, in each app; a write to the handling units or to either app's categories makes a new stamp, so the
suggestions' and petitions' kept filter cards show it at once, and nothing else is a new card."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from petitions.models import Category as PetitionCategory
from presidium.choice_rows import STAMPED_TABLES, choices_stamp
from presidium.choices import Role
from presidium.models import HandlingUnit
from proposals.models import Category as ProposalCategory
from tests.factories import DeputyFactory, HandlingUnitFactory, user_with_role

CARD = "components/_filter_card.html"


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                           "WHERE p.proname = 'presidium_choices_stamp_write' AND NOT t.tgisinternal")
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                           "AND sql LIKE '%presidium_choicesstamp%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_stamped_table_has_its_triggers_and_no_other_stamp_is_written():
    assert _triggered_tables() == set(STAMPED_TABLES)
    with connection.cursor() as cursor:  # the deputies' own stamp (0013) moved to the floor (0014)
        tables = connection.introspection.table_names(cursor)
    assert "deputies_choicesstamp" not in tables and "presidium_choicesstamp" in tables


def test_writes_to_units_and_categories_write_a_new_stamp(world):
    seen = [choices_stamp(None)]

    def new_stamp(what):
        stamp = choices_stamp(None)
        assert stamp is not None and stamp not in seen, what
        seen.append(stamp)

    unit = HandlingUnitFactory(township=world.township, name="新设所")
    new_stamp("unit created")
    HandlingUnit.objects.filter(pk=unit.pk).update(is_active=False)
    new_stamp("unit stopped by QuerySet.update")
    ProposalCategory.objects.create(township=world.township, name="新建议类别")
    new_stamp("suggestion category created")
    category = PetitionCategory.objects.create(township=world.township, name="新信访类别")
    new_stamp("petition category created")
    PetitionCategory.objects.filter(pk=category.pk).update(sort_order=9)
    new_stamp("petition category reordered by QuerySet.update")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM presidium_handlingunit WHERE id = %s", [unit.pk])
    new_stamp("unit deleted by raw SQL")
    DeputyFactory(township=world.township)  # a deputy names no option
    assert choices_stamp(None) == seen[-1]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    card = html[html.index('<form method="get" class="card filter-card'):html.index("</form>", html.index("filter-card"))]
    return card, [t.name for t in response.templates].count(CARD)


@pytest.mark.parametrize(("url_name", "category_model", "unit_field"), [
    ("proposals:list", ProposalCategory, "lead_unit"), ("petitions:list", PetitionCategory, "unit")])
def test_a_new_or_renamed_unit_or_category_shows_in_the_kept_card(world, login, url_name, category_model,
                                                                   unit_field):
    client = login(world.user(Role.COUNTY_ADMIN))
    url = reverse(url_name)
    card, rendered = _get(client, url)
    assert rendered == 1 and "甲镇 · 财政所" in card
    assert _get(client, url) == (card, 0)  # kept
    unit = HandlingUnitFactory(township=world.other_township, name="新设所")
    card, rendered = _get(client, url)
    assert rendered == 1 and "乙镇 · 新设所" in card
    HandlingUnit.objects.filter(pk=unit.pk).update(name="改名所")
    card, rendered = _get(client, url)
    assert rendered == 1 and "乙镇 · 改名所" in card and "新设所" not in card
    HandlingUnit.objects.filter(pk=unit.pk).update(is_active=False)  # a stopped unit is no longer offered
    card, rendered = _get(client, url)
    assert rendered == 1 and "改名所" not in card
    category_model.objects.create(township=world.township, name="新类别")
    card, rendered = _get(client, url)
    assert rendered == 1 and "甲镇 · 新类别" in card
    # the chosen unit, in the select and in its chip
    card, rendered = _get(client, f"{url}?{unit_field}={world.unit.pk}")
    assert rendered == 1 and re.search(rf'<option value="{world.unit.pk}" selected>', card)
    assert "甲镇 · 财政所" in card.split('data-testid="filter-chips"')[1]


def test_each_deputy_has_their_own_kept_card_of_their_townships_options(world, login):
    """A deputy's card names their township's units alone; another deputy's is their own (the scope names the
    user), and another township's units are never in it."""
    url = reverse("proposals:list")
    client = login(world.user(Role.DEPUTY))
    card, rendered = _get(client, url)
    assert rendered == 1 and "财政所" in card and "乙镇财政所" not in card and "丙镇财政所" not in card
    assert _get(client, url) == (card, 0)
    other = user_with_role(Role.DEPUTY, world.other_township)
    DeputyFactory(township=world.other_township, user=other)
    card_other, rendered = _get(login(other), url)
    assert rendered == 1 and "乙镇财政所" in card_other and ">财政所<" not in card_other


def test_two_views_of_one_filterset_keep_a_card_each(world, login):
    """The items list and the progress hearing share ``SuggestionFilter``: the address's path is in the key, so a
    view that changed its filters would never be shown the other's card."""
    client = login(world.user(Role.PRESIDIUM_STAFF))
    assert _get(client, reverse("proposals:list"))[1] == 1
    hearing, rendered = _get(client, reverse("proposals:hearing"))
    assert rendered == 1
    assert _get(client, reverse("proposals:hearing")) == (hearing, 0)
    assert _get(client, reverse("proposals:list"))[1] == 0
