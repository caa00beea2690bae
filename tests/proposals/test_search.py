"""The suggestions search finds an item by its title, its former serial or its lead deputy's name; the lead deputies
are matched as a subquery (read once), not by joining every item to its deputy (docs/performance.md, eighth round)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from presidium.choices import Role
from proposals.models import Suggestion
from proposals.search import HasBigramsOf, bigrams
from tests.factories import DeputyFactory, proposals_suggestion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN])
def test_it_finds_items_by_title_former_serial_or_lead_deputy_without_joining_the_deputies(world, login, role):
    by_title = proposals_suggestion(world.township, status_to="submitted", title="关于修缮道路的建议")
    by_deputy = proposals_suggestion(world.township, status_to="submitted", title="关于路灯的建议",
                                     lead_deputy=DeputyFactory(township=world.township, name="王道路"))
    by_serial = proposals_suggestion(world.township, status_to="submitted", title="关于校车的建议")
    Suggestion.objects.filter(pk=by_serial.pk).update(former_serial="道路-3")
    proposals_suggestion(world.township, status_to="submitted", title="关于桥梁的建议",
                         lead_deputy=DeputyFactory(township=world.township, name="李桥"))
    elsewhere = proposals_suggestion(world.foreign_township, status_to="submitted", title="外县道路",
                                     lead_deputy=DeputyFactory(township=world.foreign_township, name="赵道路"))
    client = login(world.user(role))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("proposals:list"), {"q": "道路"})
    found = {s.pk for s in response.context["object_list"]}
    assert found == {by_title.pk, by_deputy.pk, by_serial.pk} and elsewhere.pk not in found
    assert response.context["paginator"].count == 3
    counts = [q["sql"] for q in queries if "COUNT" in q["sql"] and "LIKE" in q["sql"]]
    assert counts and all('JOIN "deputies_deputy"' not in sql for sql in counts)
    nothing = client.get(reverse("proposals:list"), {"q": "渡口"})
    assert list(nothing.context["object_list"]) == []


def _found(client, word):
    response = client.get(reverse("proposals:list"), {"q": word})
    assert response.status_code == 200
    return {s.pk for s in response.context["object_list"]}, response.context["paginator"].count


@pytest.mark.parametrize("role", [Role.PRESIDIUM_STAFF, Role.COUNTY_ADMIN])
def test_the_bigram_search_finds_what_the_plain_rule_finds(world, login, role):
    """On PostgreSQL a word of two characters or more without case is searched through the bigram index
    (proposals/search.py) and its text tested by STRPOS; elsewhere, and for other words, by LIKE. Either way the
    items found are those whose title or former serial contains the word, or whose lead deputy's name does."""
    items = []
    for title, serial, deputy in [
        ("关于修缮道路的建议", "", "李明"),
        ("路灯LED改造", "", "王道路"),
        ("达标率100%以上", "", "张三"),
        ("a_b路段整治", "", "赵四"),
        ("甲乙", "乙丙", "钱五"),  # every piece of 甲乙丙 is in title or serial, the word in neither
        ("关于校车的建议", "议2024-7", "孙六"),
        ("<script>alert('道路')</script>", "", "周七"),
        ("道", "", "吴八"),
    ]:
        item = proposals_suggestion(world.township, status_to="submitted", title=title,
                                    lead_deputy=DeputyFactory(township=world.township, name=deputy))
        if serial:
            Suggestion.objects.filter(pk=item.pk).update(former_serial=serial)
        items.append(Suggestion.objects.select_related("lead_deputy").get(pk=item.pk))
    elsewhere = proposals_suggestion(world.foreign_township, status_to="submitted", title="外县道路与路灯")
    client = login(world.user(role))
    for word in ["道路", "路灯", "%以", "100%", "_b", "a_", "甲乙丙", "乙丙", "甲乙", "议20", "2024-7", "的建议",
                 "道", "led", "LED", "王道", "道路的建", "alert('道", "没有的词", "路 灯"]:
        def has(text, word=word):
            return word.lower() in text.lower() if word.lower() != word.upper() else word in text
        expected = {s.pk for s in items if has(s.title) or has(s.former_serial) or has(s.lead_deputy.name)}
        found, count = _found(client, word)
        assert (word, found) == (word, expected) and count == len(expected)
        assert elsewhere.pk not in found
    # The index follows the rows by itself: a title changed without the services is found by its new words.
    Suggestion.objects.filter(pk=items[0].pk).update(title="关于修缮桥梁的建议")
    assert items[0].pk in _found(client, "桥梁")[0] and items[0].pk not in _found(client, "道路")[0]


def test_the_county_search_for_a_word_reads_the_bigram_index(world, login):
    proposals_suggestion(world.township, status_to="submitted", title="关于修缮道路的建议")
    client = login(world.user(Role.COUNTY_ADMIN))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("proposals:list"), {"q": "道路"})
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)") and "proposals_suggestion" in q["sql"]]
    assert len(counts) == 1
    if connection.vendor != "postgresql":  # SQLite (development): no function, no index; a plain LIKE
        assert "LIKE" in counts[0] and "proposals_search_bigrams" not in counts[0]
        return
    # the page's count asks the index's own expression …
    assert 'proposals_search_bigrams("proposals_suggestion"."title", "proposals_suggestion"."former_serial") @>' in counts[0]
    # … which PostgreSQL answers from the index when it must use one (on these few rows it prefers the township's
    # index; on the county's data the bitmap index scan, docs/performance.md, ninth round)
    sql, params = Suggestion.objects.filter(HasBigramsOf("道路")).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    assert any("suggestion_search_bigrams" in line for line in plan), "\n".join(plan)
    with connection.cursor() as cursor:
        cursor.execute("SELECT proposals_search_bigrams('道路灯', '议-7')")
        assert sorted(cursor.fetchone()[0]) == sorted(bigrams("道路灯") + bigrams("议-7")) == ["-7", "议-", "路灯", "道路"]
