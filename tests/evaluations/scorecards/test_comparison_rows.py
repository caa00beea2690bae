"""The comparison's table (evaluations/scorecards/comparison_rows.py) is byte for byte the template loop it replaces
(kept here as the reference): every cell state (no answer, each answer, with and without evidence, scored or not,
a frozen figure, a live one, none), an indicator with and without a target, hostile titles and township names,
the townships' states, both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from evaluations.models import Evidence, ItemResponse, ItemScore, TownshipResponse
from evaluations.scorecards import services
from presidium.choices import Role
from presidium.models import Township
from tests.factories import DeputyFactory, TownshipFactory, VisitFactory, scorecard_checklist, user_with_role

pytestmark = pytest.mark.django_db

# templates/evaluations/scorecards/checklist_comparison.html before the eighth round: the header's loop and the
# body's loop, as they were.
REFERENCE_HEAD = Template("""{% for r in data.responses %}<th class="nowrap"><a href="{{ r.get_absolute_url }}">{{ r.township.name }}</a><div class="small text-muted fw-normal">{{ r.get_state_display }}</div></th>{% endfor %}""")  # noqa: E501
REFERENCE_BODY = Template("""{% load i18n %}  <tbody>
  {% for row in data.rows %}
    <tr>
      <td>{{ row.item.position }}. {{ row.item.title }}</td><td>{{ row.item.points }}</td>
      {% for c in row.cells %}<td class="nowrap"><a href="{{ c.response.get_absolute_url }}#item-{{ row.item.pk }}" title="{% translate '查看佐证材料' %}">{% if c.score is not None %}<span class="fw-semibold">{{ c.score }}</span>{% else %}—{% endif %}</a>
        {% if c.answer_label %}<div class="small text-muted">{{ c.answer_label }}{% if c.evidence %} · {% blocktranslate with n=c.evidence %}{{ n }} 份材料{% endblocktranslate %}{% endif %}</div>{% endif %}</td>{% endfor %}
    </tr>
    {% if row.indicator %}
    <tr class="table-light small" data-testid="indicator-row">
      <td colspan="2"><i class="bi bi-database"></i> {{ row.indicator.label }}（{{ row.indicator.unit }}）{% if row.item.target is not None %} · {% translate '目标' %} {{ row.item.target }}{% endif %}</td>
      {% for c in row.cells %}<td><a href="{{ c.response.get_absolute_url }}#item-{{ row.item.pk }}">{{ c.figure|default_if_none:"—" }}</a></td>{% endfor %}
    </tr>
    {% endif %}
  {% endfor %}
  </tbody>""")  # noqa: E501


@pytest.fixture
def compared(world):
    """A checklist of four items (plain, two indicators, one with a target) over four townships in every state."""
    reviewer = world.user(Role.COUNTY_REVIEWER)
    Township.objects.filter(pk=world.other_township.pk).update(name='<i>乙</i>&"镇"')
    third = TownshipFactory(county=world.county, name="丙乡")
    TownshipFactory(county=world.county, name="丁乡")  # never answers
    VisitFactory(deputy=DeputyFactory(township=third))
    checklist = scorecard_checklist(world.county, by=reviewer, items=(
        (10, ""), (5, "visits_per_deputy"), (Decimal("2.5"), "reply_rate"), (3, "")), publish=True)
    first, second, third_item, fourth = checklist.items.all()
    first.title = '<script>alert("x")</script> & 事项'
    first.save()
    second.target = Decimal("1.50")
    second.save()
    responses = {r.township_id: r for r in TownshipResponse.objects.filter(checklist=checklist)}
    ours, other, thirds = responses[world.township.pk], responses[world.other_township.pk], responses[third.pk]
    staff = user_with_role(Role.PRESIDIUM_STAFF, world.township)
    for item, answer in zip((first, second, third_item, fourth), ("done", "partly", "not", "done"), strict=True):
        services.item_answer_save(response=ours, item=item, answer=answer, note="说明", by=staff)
    services.township_response_submit(response=ours, by=staff)  # freezes the indicators' figures
    for item, score in ((first, "9.5"), (second, "4"), (third_item, "0")):
        services.item_score_set(response=ours, item=item, score=score, by=reviewer)
    answered = ItemResponse.objects.create(response=other, item=first, answer="partly", note="<b>注</b>")
    for _n in range(3):
        Evidence.objects.create(answer=answered, kind="record", record_label="走访", indicator_key="x")
    ItemResponse.objects.create(response=other, item=second, answer="", note="")  # a row without an answer
    ItemResponse.objects.create(response=thirds, item=third_item, answer="not", figure=Decimal("12.30"))
    ItemScore.objects.create(response=thirds, item=fourth, score=Decimal("1.5"), scored_by=reviewer)
    with_evidence = ItemResponse.objects.get(response=ours, item=fourth)
    Evidence.objects.create(answer=with_evidence, kind="record", record_label="会议", indicator_key="x")
    return checklist, reviewer


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_table_as_the_template_loops_did(compared, login, language):
    checklist, reviewer = compared
    client = login(reviewer)
    with translation.override(language):
        page = client.get(reverse("scorecards:comparison", args=[checklist.pk]), HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        data = page.context["data"]
        head = REFERENCE_HEAD.render(Context({"data": data}))
        body = REFERENCE_BODY.render(Context({"data": data}))
    assert page.context["table_head"] == head
    assert body == f"  <tbody>\n  {page.context['table_rows']}\n  </tbody>"
    content = page.content.decode()
    assert head in content and body in content
    cells = [c for row in data.rows for c in row.cells]
    assert len(data.responses) == 4 and len(data.rows) == 4
    states = {(c.score is not None, bool(c.answer_label), c.evidence > 0, c.figure is not None) for c in cells}
    assert len(states) == 6  # the kinds of cell drawn
    assert len({r.state for r in data.responses}) == 2  # submitted and not yet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 事项" in content
    assert "&lt;i&gt;乙&lt;/i&gt;&amp;&quot;镇&quot;" in content
    assert content.count('data-testid="indicator-row"') == 2
    assert ("3 份材料" if language == "zh-hans" else "3 ") in body and "12.30" in body and "2.5" in body
