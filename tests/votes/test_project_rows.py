"""The project list's rows, written in Python (presidium/votes/project_rows.py), are byte for byte the per-row
template they replace (kept here as the reference): every vote status, ranked and not, progress shown only for
adopted projects, no budget, a zero budget, a large one, hostile titles and unit names, both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from presidium.choices import Role
from presidium.models import HandlingUnit
from tests.factories import LivelihoodProjectFactory

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before (templates/votes/livelihoodproject_list.html at e2b0332).
REFERENCE_ROW = Template("""{% load i18n %}<tr>
      <td data-label="{% translate '年度' %}" class="nowrap">{{ p.year }}</td>
      <td data-label="{% translate '项目名称' %}"><a href="{{ p.get_absolute_url }}">{{ p.title }}</a></td>
      <td data-label="{% translate '责任单位' %}">{{ p.unit.name }}</td>
      <td data-label="{% translate '预算（万元）' %}" class="nowrap">{{ p.budget|default:"—" }}</td>
      <td data-label="{% translate '票决' %}">{{ p.get_status_display }}{% if p.vote_rank %} · {% blocktranslate with n=p.vote_rank %}第 {{ n }} 位{% endblocktranslate %}{% endif %}</td>
      <td data-label="{% translate '进度' %}">{% if p.status == 'adopted' %}<span class="small">{{ p.get_progress_status_display }}</span>{% include "votes/_progress.html" %}{% else %}—{% endif %}</td>
    </tr>""")  # noqa: E501


@pytest.fixture
def varied(world):
    t = world.township
    LivelihoodProjectFactory(township=t, title='<script>alert("x")</script> & 路', budget=None)  # candidate
    ranked = LivelihoodProjectFactory(township=t, status="adopted", vote_rank=1, progress=60,
                                      progress_status="in_progress", budget=Decimal("12345.67"))
    HandlingUnit.objects.filter(pk=ranked.unit_id).update(name="'水利站' & <b>")
    LivelihoodProjectFactory(township=t, status="adopted", vote_rank=2, budget=Decimal("0"))  # not started, 0 %
    LivelihoodProjectFactory(township=t, status="not_adopted")
    LivelihoodProjectFactory(township=t, status="withdrawn", progress_status="delayed")
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_rows_as_the_row_template_did(varied, login, language):
    client = login(varied.user(Role.PRESIDIUM_STAFF))
    with translation.override(language):
        response = client.get(reverse("votes:project_list"), HTTP_ACCEPT_LANGUAGE=language)
        projects = list(response.context["object_list"])
        assert len(projects) == 5
        content = response.content.decode()
        for p in projects:
            expected = REFERENCE_ROW.render(Context({"p": p}))
            assert p.row_html == expected
            assert f"\n    {expected}\n" in content
    assert {p.status for p in projects} == {"candidate", "adopted", "not_adopted", "withdrawn"}
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 路" in content
    assert "&#x27;水利站&#x27; &amp; &lt;b&gt;" in content and "12345.67" in content
