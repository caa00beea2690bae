"""The vote list's cards, written in Python (presidium/votes/vote_cards.py), are byte for byte the per-card template
they replace (kept here as the reference): every state, one item and many (more than the three shown), a corrected
result, a paper ballot, hostile titles, labels and township names, a meeting near midnight, both languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from presidium.choices import Role
from presidium.meetings.models import Meeting
from presidium.models import Township
from presidium.votes import services
from presidium.votes.counting import Line
from presidium.votes.models import Vote, VoteItem
from tests.factories import vote_at, votes_meeting

pytestmark = pytest.mark.django_db

# The cards as the template wrote them before (templates/votes/vote_list.html at e2b0332).
REFERENCE_CARD = Template("""{% load i18n %}<div class="card mb-2"><div class="card-body py-2">
    <div class="d-flex flex-wrap justify-content-between gap-2">
      <a class="fw-semibold" href="{{ vote.get_absolute_url }}">{{ vote.title }}</a>
      <span class="badge text-bg-{% if vote.state == 'published' %}success{% elif vote.state == 'counted' %}warning{% else %}secondary{% endif %}">{{ vote.get_state_display }}</span>
    </div>
    <div class="small text-muted">{{ vote.township.name }} · {{ vote.meeting.title }} · {{ vote.meeting.starts_at|date:"Y-m-d" }} · {{ vote.get_subject_display }} · {{ vote.get_kind_display }}</div>
    {% for label, line in lines|slice:":3" %}<div class="vote-line small">{% if lines|length > 1 %}{{ label }}：{% endif %}{{ line }}</div>{% endfor %}
    {% if lines|length > 3 %}<div class="small text-muted">{% blocktranslate count n=lines|length %}共 {{ n }} 项{% plural %}共 {{ n }} 项{% endblocktranslate %}</div>{% endif %}
  </div></div>""")  # noqa: E501


def _project_vote(world, staff, n_projects: int, year: int):
    for i in range(n_projects):
        services.project_create(township=world.township, year=year, title=f"项目{i}", unit=world.unit,
                                budget=Decimal(10), by=staff)
    meeting = votes_meeting(world.township, present=11)
    vote = services.vote_open(vote=services.vote_create_for_projects(meeting=meeting, year=year, by=staff), by=staff)
    lines = {item.pk: Line(6 + item.position % 3, 2, 1) for item in vote.items.all()}
    for entry in (1, 2):
        services.vote_tally_enter(vote=vote, entry=entry, teller_name="计", ballots=11, lines=lines, by=staff)
    services.vote_count(vote=vote, by=staff)
    return services.vote_publish(vote=vote, by=staff)


@pytest.fixture
def varied(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    Township.objects.filter(pk=world.township.pk).update(name='<i>甲</i>&"镇"')
    for state in ("created", "open", "counted"):
        vote_at(world.township, state)
    hostile = vote_at(world.township, "published", kind="paper_ballot", yes=3)  # not adopted
    Vote.objects.filter(pk=hostile.pk).update(title='<script>alert("x")</script> & 决议', corrected_at=timezone.now())
    Meeting.objects.filter(pk=hostile.meeting_id).update(
        title="'第一次' & <b>会议</b>", starts_at=timezone.make_aware(dt.datetime(2026, 3, 1, 23, 30), dt.UTC))
    _project_vote(world, staff, 2, 2025)
    many = _project_vote(world, staff, 5, 2026)
    VoteItem.objects.filter(vote=many, position=1).update(label='<b>项目</b>&"一"')
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_cards_as_the_card_template_did(varied, login, language):
    client = login(varied.user(Role.PRESIDIUM_STAFF))
    with translation.override(language):
        response = client.get(reverse("votes:vote_list"), HTTP_ACCEPT_LANGUAGE=language)
        votes, cards = list(response.context["object_list"]), response.context["cards"]
        assert len(votes) == len(cards) == 6
        content = response.content.decode()
        shapes = set()
        for vote, card in zip(votes, cards, strict=True):
            lines = services.result_lines(vote)
            expected = REFERENCE_CARD.render(Context({"vote": vote, "lines": lines}))
            assert card == expected
            assert f"\n  {expected}\n" in content
            shapes.add((vote.state, len(lines)))
    assert shapes == {("created", 0), ("open", 0), ("counted", 0), ("published", 1), ("published", 2),
                      ("published", 5)}
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 决议" in content
    assert "&#x27;第一次&#x27; &amp; &lt;b&gt;会议&lt;/b&gt; · 2026-03-02" in content  # 23:30 UTC is the next day here
    assert "&lt;i&gt;甲&lt;/i&gt;&amp;&quot;镇&quot;" in content and "&lt;b&gt;项目&lt;/b&gt;&amp;&quot;一&quot;：" in content


def test_the_list_reads_the_cards_columns_and_the_items_figures_in_one_plain_query(varied, login):
    """The page reads the votes without their attendance snapshot and the other step columns, and the published
    votes' items in one query of their figures, not joined to their vote and meeting (the items' model ordering);
    the Excel export still writes every vote's whole result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    client = login(varied.user(Role.PRESIDIUM_STAFF))
    client.get(reverse("votes:vote_list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("votes:vote_list"))
    votes = [q["sql"] for q in queries if 'FROM "votes_vote"' in q["sql"] and "COUNT" not in q["sql"]]
    items = [q["sql"] for q in queries if 'FROM "votes_voteitem"' in q["sql"]]
    assert len(votes) == 1 and '"snapshot"' not in votes[0] and '"published_at"' not in votes[0]
    assert '"meetings_meeting"."note"' not in votes[0]
    assert len(items) == 1 and "JOIN" not in items[0]
    assert len(response.context["cards"]) == 6
    export = client.get(reverse("votes:vote_list") + "?export=xlsx")
    sheet = load_workbook(__import__("io").BytesIO(export.content)).active
    results = {row[2]: row[-1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]}
    for vote in Vote.objects.filter(state="published"):
        assert results[vote.title] == services.result_text(vote) and results[vote.title]
