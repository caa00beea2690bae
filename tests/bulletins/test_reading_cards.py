"""The reading list's cards, written in Python (presidium/bulletins/reading_cards.py), are byte for byte the per-card
template they replace (kept here as the reference): several articles and none, numbers in figures and in Chinese,
hostile mastheads, compiling bodies and titles, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from presidium.bulletins.choices import IssueState
from presidium.bulletins.models import Article, BulletinIssue, BulletinSeries
from presidium.choices import Role
from tests.factories import BulletinSeriesFactory, signed_off_issue

pytestmark = pytest.mark.django_db

# The cards as the template wrote them before (templates/bulletins/reading_list.html at e2b0332).
REFERENCE_CARD = Template("""{% load i18n %}<div class="card bulletin-card mb-2" data-testid="bulletin-card">
    <div class="card-body">
      <div class="d-flex justify-content-between align-items-baseline gap-2">
        <a class="bulletin-card-masthead" href="{% url 'bulletins:issue_detail' issue.pk %}">{{ issue.series.masthead }} · {{ issue.year }} {{ issue.number_text }}</a>
        <span class="small text-muted nowrap">{{ issue.issue_date|date:"Y-m-d" }}</span>
      </div>
      <div class="small text-muted">{{ issue.series.compiling_body }}</div>
      <ul class="bulletin-card-titles">{% for article in issue.articles.all %}<li>{{ article.title }}</li>{% endfor %}</ul>
      <div class="d-flex gap-2">
        <a class="btn btn-sm btn-outline-secondary" href="{% url 'bulletins:issue_detail' issue.pk %}">{% translate '阅读' %}</a>
        <a class="btn btn-sm btn-portal" href="{% url 'bulletins:issue_pdf' issue.pk %}" data-testid="reading-pdf"><i class="bi bi-file-earmark-pdf"></i> {% translate '下载 PDF' %}</a>
      </div>
    </div>
  </div>""")  # noqa: E501


def _published(series, day, articles):
    issue = signed_off_issue(series=series, issue_date=day, articles=articles)
    BulletinIssue.objects.filter(pk=issue.pk).update(state=IssueState.PUBLISHED, pdf="bulletins/x.pdf",
                                                     pdf_sha256="0" * 64)
    return issue


@pytest.fixture
def varied(world):
    plain = BulletinSeriesFactory(township=world.township)
    hostile = BulletinSeriesFactory(township=world.township)
    BulletinSeries.objects.filter(pk=hostile.pk).update(masthead='<b>信息</b>&"', compiling_body="'甲镇' & <i>编</i>",
                                                       number_in_chinese=True)
    hostile.refresh_from_db()
    _published(plain, dt.date(2026, 5, 1), 3)
    bare = _published(plain, dt.date(2026, 5, 2), 1)
    Article.objects.filter(issue=bare).delete()  # no article left: an empty list
    loud = _published(hostile, dt.date(2026, 5, 3), 2)
    Article.objects.filter(issue=loud).update(title='<script>alert("x")</script> & 标题')
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_cards_as_the_card_template_did(varied, login, language):
    client = login(varied.user(Role.COUNTY_ADMIN))
    with translation.override(language):
        response = client.get(reverse("bulletins:reading"), HTTP_ACCEPT_LANGUAGE=language)
        issues, cards = list(response.context["object_list"]), response.context["cards"]
        assert len(issues) == len(cards) == 3
        content = response.content.decode()
        for issue, card in zip(issues, cards, strict=True):
            expected = REFERENCE_CARD.render(Context({"issue": issue}))
            assert card == expected
            assert f"\n  {expected}\n" in content
    assert sorted(issue.articles.count() for issue in issues) == [0, 2, 3]
    assert "&lt;b&gt;信息&lt;/b&gt;&amp;&quot; · 2026 第一期" in content
    assert "&#x27;甲镇&#x27; &amp; &lt;i&gt;编&lt;/i&gt;" in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 标题" in content
