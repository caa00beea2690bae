"""Bulletin screens: compose through the forms, search, the readers' list, and query counts that hold as rows grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from presidium.bulletins.choices import IssueState
from presidium.bulletins.models import BulletinIssue
from presidium.choices import Role
from tests.factories import BulletinIssueFactory, BulletinSeriesFactory, DeputyFactory, signed_off_issue

pytestmark = pytest.mark.django_db


def _published_without_pdf(series, *, day=dt.date(2026, 5, 1), articles=2):
    """A published issue for list tests (the PDF itself is tested in test_services; rendering is slow)."""
    issue = signed_off_issue(series=series, issue_date=day, articles=articles)
    BulletinIssue.objects.filter(pk=issue.pk).update(state=IssueState.PUBLISHED, pdf="bulletins/x.pdf",
                                                     pdf_sha256="0" * 64)
    return issue


def test_it_lets_staff_compose_sign_off_and_see_the_number(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    series = BulletinSeriesFactory(township=world.township)
    response = client.post(reverse("bulletins:issue_create", args=[series.pk]),
                           {"issue_date": "2026-06-01", "responsible_editor": "张编辑"})
    issue = BulletinIssue.objects.get(series=series)
    assert response.status_code == 302 and response["Location"] == reverse("bulletins:issue_detail", args=[issue.pk])
    response = client.post(reverse("bulletins:article_create", args=[issue.pk]),
                           {"title": "镇人大开展视察", "body": "第一段。\n第二段。", "source": "镇人大办"})
    assert response.status_code == 302
    page = client.get(reverse("bulletins:issue_detail", args=[issue.pk])).content.decode()
    assert "镇人大开展视察" in page and "（供稿：镇人大办）" in page
    form = client.get(reverse("bulletins:issue_sign_off", args=[issue.pk]))
    assert form.context["form"].initial["number"] == 1
    response = client.post(reverse("bulletins:issue_sign_off", args=[issue.pk]), {"number": 3, "skip_reason": ""})
    assert response.status_code == 200 and "请说明原因" in response.content.decode()
    response = client.post(reverse("bulletins:issue_sign_off", args=[issue.pk]), {"number": 1})
    issue.refresh_from_db()
    assert response.status_code == 302 and issue.state == IssueState.SIGNED_OFF and issue.number == 1


def test_it_keeps_the_input_when_an_article_is_refused(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    issue = BulletinIssueFactory(series=BulletinSeriesFactory(township=world.township), articles=0)
    response = client.post(reverse("bulletins:article_create", args=[issue.pk]),
                           {"title": "只有标题", "body": "<script>x()</script>", "source": ""})
    assert response.status_code == 200 and "正文不能为空" in response.content.decode()
    assert response.context["form"]["title"].value() == "只有标题" and not issue.articles.exists()


def test_it_searches_article_titles_and_text(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    series = BulletinSeriesFactory(township=world.township)
    hit = BulletinIssueFactory(series=series, articles=0)
    from presidium.bulletins import services

    services.article_create(issue=hit, by=None, title="饮水安全视察", body="代表们查看了自来水厂。")
    BulletinIssueFactory(series=series)
    url = reverse("bulletins:issue_list", args=[series.pk])
    assert [i.pk for i in client.get(url, {"q": "自来水"}).context["object_list"]] == [hit.pk]
    assert [i.pk for i in client.get(url, {"q": "饮水安全"}).context["object_list"]] == [hit.pk]
    assert len(client.get(url).context["object_list"]) == 2


def test_it_shows_deputies_published_issues_of_their_township_only(world, login):
    deputy_user = world.user(Role.DEPUTY)
    DeputyFactory(township=world.township, user=deputy_user)
    own = BulletinSeriesFactory(township=world.township)
    published = _published_without_pdf(own)
    signed_off_issue(series=own)  # not published: not shown
    _published_without_pdf(BulletinSeriesFactory(township=world.other_township))  # another township's
    client = login(deputy_user)
    listed = [i.pk for i in client.get(reverse("bulletins:reading")).context["object_list"]]
    assert listed == [published.pk]


def _grow(world, n):
    series = [BulletinSeriesFactory(township=world.township) for _ in range(2)]
    for s in series:
        for k in range(n):
            _published_without_pdf(s, day=dt.date(2026, 1 + k, 1))
    return series


def test_it_lists_series_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    _grow(world, 1)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bulletins:series_list")).status_code == 200
    _grow(world, 3)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bulletins:series_list")).status_code == 200


def test_it_lists_and_searches_issues_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_CHAIR))
    series = _grow(world, 1)[0]
    url = reverse("bulletins:issue_list", args=[series.pk])
    with django_assert_max_num_queries(14):
        assert client.get(url, {"q": "视察"}).status_code == 200
    for k in range(5):
        _published_without_pdf(series, day=dt.date(2026, 6, 1 + k), articles=3)
    with django_assert_max_num_queries(14):
        response = client.get(url, {"q": "视察"})
    assert len(response.context["object_list"]) == 6


def test_it_lists_the_readers_bulletins_in_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    deputy_user = world.user(Role.DEPUTY)
    DeputyFactory(township=world.township, user=deputy_user)
    client = login(deputy_user)
    _grow(world, 1)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("bulletins:reading")).status_code == 200
    _grow(world, 4)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("bulletins:reading"))
    assert len(response.context["object_list"]) == 10


def test_it_exports_the_filtered_issue_list_in_a_constant_number_of_queries(world, login,
                                                                            django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    series = _grow(world, 1)[0]
    url = reverse("bulletins:issue_list", args=[series.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    for k in range(4):
        _published_without_pdf(series, day=dt.date(2026, 7, 1 + k), articles=3)
    with django_assert_max_num_queries(12):
        assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_it_fills_the_date_so_a_browser_date_field_shows_it(world, login):
    """An <input type=date> only takes YYYY-MM-DD: the new-issue form must render today's date that way."""
    client = login(world.user(Role.PRESIDIUM_STAFF))
    series = BulletinSeriesFactory(township=world.township)
    page = client.get(reverse("bulletins:issue_create", args=[series.pk])).content.decode()
    from django.utils import timezone

    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
