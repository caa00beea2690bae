"""A list's filter card is kept per process under everything it is made of (``presidium.filters.PortalFilterSet
.kept_card_key``, ``presidium.templatetags.portal.filter_card``) — the deputies lists, the suggestions and the
petitions: read again, the page is the same bytes without rendering the card; anything the card shows that changes
makes it a new card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from deputies.choices import GroupKind
from deputies.models import DeputyGroup
from presidium.choices import Role
from tests.factories import DeputyFactory, TownshipFactory, user_with_role

CARD = "components/_filter_card.html"
LISTS = ["deputies:deputy_list", "deputies:visit_list", "deputies:duty_overview", "deputies:group_list",
         "deputies:station_list", "deputies:constituency_list", "deputies:access_log", "proposals:list",
         "petitions:list"]


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    rendered = [t.name for t in response.templates].count(CARD)
    html = re.sub(r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', "", response.content.decode())
    return html, rendered


def _card(html: str) -> str:
    return html[html.index('<form method="get" class="card filter-card'):html.index("</form>", html.index("filter-card"))]


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF])
def test_a_list_read_again_is_the_same_page_without_rendering_its_card(world, login, url_name, role):
    DeputyFactory(township=world.township)
    DeputyGroup.objects.create(township=world.township, name="东风<小组>", kind=GroupKind.SMALL)
    client = login(world.user(role))
    for query in ("", "?page=1", "?status=&gender=male", "?group=abc", "?q=%3Cb%3E"):
        url = reverse(url_name) + query
        first, rendered_first = _get(client, url)
        again, rendered_again = _get(client, url)
        assert again == first, url
        # another page of the same list shows the same card: the page number is not in it
        assert (rendered_first, rendered_again) == ((0 if query == "?page=1" else 1), 0), url


def test_what_the_card_shows_makes_it_a_new_card(world, login, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 31, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    client = login(world.user(Role.COUNTY_ADMIN))
    url = reverse("deputies:duty_overview")
    card, _rendered = _get(client, url)
    assert "2026年" in _card(card) and "2027年" not in _card(card)
    # a new group (a write to the options' tables: a new stamp)
    DeputyGroup.objects.create(township=world.township, name="新建小组", kind=GroupKind.SMALL)
    html, rendered = _get(client, url)
    assert rendered == 1 and "甲镇 · 新建小组" in _card(html)
    # a new township: the 乡镇 options
    TownshipFactory(county=world.county, name="丙镇")
    html, rendered = _get(client, url)
    assert rendered == 1 and ">丙镇</option>" in _card(html)
    # another language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html, rendered = _get(client, url)
    assert rendered == 1 and "Filter" in _card(html)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    # another filter: its values, its chips, its errors
    html, rendered = _get(client, url + "?behind=true")
    assert rendered == 1 and "filter-chips" in _card(html)
    html, rendered = _get(client, url + "?year=1900")
    assert rendered == 1 and "筛选条件有误" in _card(html)
    # the next day is another year: the years offered move with it
    time_machine.move_to(dt.datetime(2027, 1, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    client = login(world.user(Role.COUNTY_ADMIN))
    html, rendered = _get(client, url)
    assert rendered == 1 and "2027年" in _card(html)
    # another user (the scope names the user): their own card, the same bytes; the township's staff: theirs
    html_again, rendered = _get(client, url)
    assert rendered == 0
    html_other, rendered = _get(login(user_with_role(Role.COUNTY_ADMIN, world.county)), url)
    assert rendered == 1 and _card(html_other) == _card(html_again)
    html, rendered = _get(login(world.user(Role.PRESIDIUM_STAFF)), url)
    assert rendered == 1 and "甲镇 · " not in _card(html)


@pytest.mark.parametrize("url_name", ["meetings:meeting_list", "presidium:unit_list"])
def test_a_list_that_does_not_keep_its_card_renders_it_every_time(world, login, url_name):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    url = reverse(url_name)
    assert [_get(client, url)[1] for _ in range(2)] == [1, 1]


def test_a_card_whose_options_come_from_elsewhere_is_rendered_every_time(world):
    """A select of rows the stamp does not cover (the accounts), or options made by code that may read more than
    the day, and the card has no key: it is rendered every time."""
    import django_filters
    from django.template import Context
    from django.test import RequestFactory

    from deputies.filters import DeputyFilter
    from presidium.models import User

    class WithAccounts(DeputyFilter):
        recorded_by = django_filters.ModelChoiceFilter(queryset=User.objects.all(), method="search")

    class WithMadeChoices(DeputyFilter):
        made = django_filters.ChoiceFilter(choices=lambda: [("1", "一")], method="search")

    request = RequestFactory().get("/")
    request.user = world.user(Role.COUNTY_ADMIN)
    context = Context({"request": request})
    assert DeputyFilter(request.GET, request=request).kept_card_key(context) is not None
    assert WithAccounts(request.GET, request=request).kept_card_key(context) is None
    assert WithMadeChoices(request.GET, request=request).kept_card_key(context) is None
