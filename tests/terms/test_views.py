"""The 换届 page, the term choice on the deputies' screens and the roster import into the next term."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from deputies import services as deputies_services
from deputies.importing import RosterImportSchema, commit_roster_next_term
from deputies.models import Deputy, DeputyGroup
from presidium.documents.import_flow import run_import
from presidium.terms import services
from tests.deputies.test_import import messy_roster
from tests.factories import DeputyFactory, DeputyGroupFactory

NEW_START = dt.date(2026, 12, 1)


def _serving(world, count: int, *, start: int = 0):
    group = DeputyGroup.objects.filter(township=world.township, name="第一代表小组").first() or DeputyGroupFactory(
        township=world.township, name="第一代表小组")
    return [DeputyFactory(township=world.township, group=group, mobile=f"1390000{start + n:04d}")
            for n in range(count)]


def test_it_says_what_comes_first_when_a_step_is_not_yet_allowed(world, login):
    client = login(world.user("presidium_staff"))
    _serving(world, 2)
    page = client.get(reverse("terms:steps", args=[world.township.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("请先开启第十九届。") == 4  # steps 2–5 wait for the first
    response = client.post(reverse("terms:carry_over", args=[world.township.pk]),
                           {"deputies": [d.pk for d in Deputy.objects.all()]}, follow=True)
    assert "请先开启第十九届。" in response.content.decode()
    assert Deputy.objects.count() == 2


def test_it_walks_the_steps_from_the_page(world, login):
    client = login(world.user("presidium_staff"))
    stay, leave = _serving(world, 2)
    steps = reverse("terms:steps", args=[world.township.pk])
    response = client.post(reverse("terms:open_next", args=[world.township.pk]), {"start_date": "2026-12-01"},
                           follow=True)
    assert "第十九届已开启" in response.content.decode()
    response = client.post(reverse("terms:mark_not_reelected", args=[world.township.pk]),
                           {"deputies": [leave.pk], "effective_on": "2026-12-01", "reason": "任期届满，未再当选"},
                           follow=True)
    assert "已将 1 名代表标记为任期届满" in response.content.decode()
    response = client.post(reverse("terms:carry_over", args=[world.township.pk]), {"deputies": [stay.pk]},
                           follow=True)
    assert "已将 1 名连任代表转入第十九届" in response.content.decode()
    response = client.post(reverse("terms:switch", args=[world.township.pk]), follow=True)
    assert "第十九届已切换为本届" in response.content.decode()
    assert client.get(steps).status_code == 200
    assert Deputy.objects.get(previous=stay).term.is_current


def test_it_refuses_bad_input_with_a_message_and_saves_nothing(world, login):
    client = login(world.user("presidium_staff"))
    _serving(world, 1)
    response = client.post(reverse("terms:open_next", args=[world.township.pk]), {"start_date": "2020-01-01"},
                           follow=True)
    assert "应晚于本届的起始日期" in response.content.decode()
    response = client.post(reverse("terms:open_next", args=[world.township.pk]), {"start_date": "不是日期"},
                           follow=True)
    assert response.status_code == 200
    assert world.township.terms.count() == 1


def test_it_keeps_the_step_page_queries_flat_as_deputies_grow(world, login, django_assert_max_num_queries):
    client = login(world.user("presidium_staff"))
    services.term_open_next(township=world.township, by=world.user("presidium_staff"), start_date=NEW_START)
    url = reverse("terms:steps", args=[world.township.pk])
    _serving(world, 3)
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    _serving(world, 12, start=100)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_it_shows_the_current_term_by_default_and_any_term_on_request(world, login):
    staff = world.user("presidium_staff")
    client = login(staff)
    old_deputies = _serving(world, 2)
    old = world.township.current_term()
    new = services.term_open_next(township=world.township, by=staff, start_date=NEW_START)
    services.term_carry_over(term=new, by=staff, deputies=old_deputies[:1])
    services.term_mark_not_reelected(term=old, by=staff, deputies=old_deputies[1:], effective_on=NEW_START)
    services.term_switch_current(term=new, by=staff)
    listing = reverse("deputies:deputy_list")
    current = client.get(listing + "?status=").context["object_list"]
    assert {d.term_id for d in current} == {new.pk} and len(current) == 1
    earlier = client.get(listing + f"?status=&term={old.pk}").context["object_list"]
    assert {d.term_id for d in earlier} == {old.pk} and len(earlier) == 2
    assert len(client.get(listing + "?status=&term=all").context["object_list"]) == 3
    groups = client.get(reverse("deputies:group_list")).context["object_list"]
    assert [g.term_id for g in groups] == [new.pk]
    assert [g.term_id for g in client.get(reverse("deputies:group_list") + f"?term={old.pk}").context[
        "object_list"]] == [old.pk]
    assert client.get(reverse("deputies:composition")).context["total"] == 1
    # An earlier term's figures count who served to its end: the re-elected and the one not re-elected.
    assert client.get(reverse("deputies:composition") + f"?term={old.pk}").context["total"] == 2
    duty = client.get(reverse("deputies:duty_overview") + f"?term={old.pk}").context["object_list"]
    assert {d.term_id for d in duty} == {old.pk} and len(duty) == 2
    archive = client.get(reverse("deputies:deputy_archive", args=[old_deputies[0].pk])).content.decode()
    assert "历届履职档案" in archive and "第十九届" in archive


def test_it_imports_new_deputies_into_the_next_term(world):
    staff = world.user("presidium_staff")
    schema = RosterImportSchema(township=world.township, next_term=True)
    refused = run_import(messy_roster(), schema, commit_roster_next_term, dry_run=False, by=staff,
                         township=world.township, kind="deputy_roster_next_term", filename="名册.xlsx")
    assert not refused.committed and "请先在“换届”页面开启下一届" in " ".join(refused.lines())
    new = services.term_open_next(township=world.township, by=staff, start_date=NEW_START)
    deputies_services.deputy_group_create(township=world.township, by=staff, name="东风代表小组")  # the 18th's
    report = run_import(messy_roster(), RosterImportSchema(township=world.township, next_term=True),
                        commit_roster_next_term, dry_run=False, by=staff, township=world.township,
                        kind="deputy_roster_next_term", filename="名册.xlsx")
    assert report.committed, report.lines()
    assert set(Deputy.objects.values_list("term", flat=True)) == {new.pk}
    assert set(Deputy.objects.values_list("group__term", flat=True)) == {new.pk}
    assert DeputyGroup.objects.filter(name="东风代表小组").count() == 2
