"""The visits list's rows, written in Python (deputies/visit_rows.py), are byte for byte the row template they replace
(kept here as the reference): no, one and many opinions (a converted one, long and hostile text), photos or none,
no group, every method, the county (township named), one township and a deputy's own list, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from deputies.models import Deputy, VisitOpinion, VisitPhoto
from tests.factories import DeputyFactory, DeputyGroupFactory, VisitFactory, VisitOpinionFactory

# The rows as the template wrote them before (templates/deputies/visit_list.html at e5f848a).
REFERENCE_ROW = Template(
    "{% load i18n %}"
    "{% translate '日期' as l_row0 %}{% translate '代表' as l_row1 %}{% translate '地点' as l_row2 %}{% translate '方式' as l_row3 %}{% translate '户/人' as l_row4 %}{% translate '选民意见' as l_row5 %}{% translate '已转办' as l_row6 %}{% translate '查看原图' as l_row7 %}{% translate '走访照片' as l_row8 %}{% translate '查看' as l_row9 %}"
    """<tr>
      <td data-label="{{ l_row0 }}" class="nowrap">{{ v.visited_on|date:"Y-m-d" }}</td>
      {% if not is_deputy_only %}<td data-label="{{ l_row1 }}" class="nowrap"><div>{{ v.deputy.name }}<div class="small text-muted">{% if show_township %}{{ v.township.name }} {% endif %}{{ v.deputy.group.name|default:"" }}</div></div></td>{% endif %}
      <td data-label="{{ l_row2 }}">{{ v.place }}</td>
      <td data-label="{{ l_row3 }}" class="nowrap">{{ v.get_method_display }}</td>
      <td data-label="{{ l_row4 }}" class="nowrap">{{ v.households }} / {{ v.people }}</td>
      <td data-label="{{ l_row5 }}" class="small"><div>{% for o in v.opinion_list %}{% if forloop.counter <= 2 %}<div>{{ forloop.counter }}. {{ o.content|truncatechars:40 }}{% if o.converted_kind %} <span class="badge text-bg-info">{{ l_row6 }}</span>{% endif %}</div>{% endif %}{% empty %}<span class="text-muted">—</span>{% endfor %}{% if v.opinion_list|length > 2 %}<div class="text-muted">{% blocktranslate with n=v.opinion_list|length %}共 {{ n }} 条{% endblocktranslate %}</div>{% endif %}{% if v.photo_count %}<div class="text-muted d-flex align-items-center gap-2 mt-1"><a href="{% url 'deputies:visit_photo' v.first_photo_id %}" target="_blank" rel="noopener" title="{{ l_row7 }}"><img class="visit-thumb rounded border" src="{% url 'deputies:visit_photo_thumbnail' v.first_photo_id %}" alt="{{ l_row8 }}" loading="lazy" width="56" height="56"></a><span><i class="bi bi-image"></i> {{ v.photo_count }}</span></div>{% endif %}</div></td>
      <td class="text-end nowrap"><a class="btn btn-sm btn-outline-secondary" href="{{ v.get_absolute_url }}">{{ l_row9 }}</a></td>
    </tr>""")  # noqa: E501

HOSTILE = "<script>alert('x')</script> & \"村\""


@pytest.fixture
def varied(world):
    """Visits in every shape the row shows, in both townships of the county and by the logged-in deputy."""
    group = DeputyGroupFactory(township=world.township, name='<i>小组</i> & "一"')
    grouped = DeputyFactory(township=world.township, name="张三", group=group, user=world.user("deputy"))
    Deputy.objects.filter(pk=grouped.pk).update(name="<b>张</b>&'三'")  # past the form's checks: still escaped
    plain = DeputyFactory(township=world.other_township, name="李四")
    day = dt.date(2026, 3, 9)
    quiet = VisitFactory(deputy=grouped, visited_on=day, place=HOSTILE, method="forum", households=0, people=12)
    one = VisitFactory(deputy=grouped, visited_on=day - dt.timedelta(days=1), method="phone")
    VisitOpinionFactory(visit=one, content="短")
    many = VisitFactory(deputy=plain, visited_on=day - dt.timedelta(days=2), method="other")
    for n, content in enumerate(("二" * 41, HOSTILE * 3, "一" * 40, "三"), start=1):
        VisitOpinionFactory(visit=many, position=n, content=content)
    VisitOpinion.objects.filter(visit=many, position=1).update(converted_kind="suggestion", converted_at=timezone.now())
    photographed = VisitFactory(deputy=grouped, visited_on=day - dt.timedelta(days=3), method="reception")
    for name in ("a.jpg", "b.jpg"):
        VisitPhoto.objects.create(visit=photographed, image=name, uploaded_by=world.user("county_admin"))
    VisitFactory(deputy=plain, visited_on=day - dt.timedelta(days=4), method="home", place="")
    assert quiet.pk
    return world


def _check_rows(client, language, query=None):
    with translation.override(language):
        response = client.get(reverse("deputies:visit_list"), query or {}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        visits = list(response.context["object_list"])
        content = response.content.decode()
        context = {key: response.context[key] for key in ("show_township", "is_deputy_only")}
        for v in visits:
            expected = REFERENCE_ROW.render(Context({"v": v, **context}))
            assert v.row_html == expected
            assert f"\n    {expected}\n" in content
    return visits, context, content


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_county_rows_as_the_row_template_did(varied, login, language):
    visits, context, content = _check_rows(login(varied.user("county_admin")), language)
    assert len(visits) == 5 and context == {"show_township": True, "is_deputy_only": False}
    assert {len(v.opinion_list) for v in visits} == {0, 1, 4} and {v.photo_count for v in visits} == {0, 2}
    assert {v.method for v in visits} == {"home", "forum", "phone", "reception", "other"}
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;村&quot;" in content
    assert "二" * 41 not in content and "二" * 30 in content  # the 41-character opinion is cut


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_one_townships_and_a_deputys_rows_as_the_row_template_did(varied, login, language):
    visits, context, _ = _check_rows(login(varied.user("presidium_staff")), language)
    assert len(visits) == 3 and context == {"show_township": False, "is_deputy_only": False}
    visits, context, content = _check_rows(login(varied.user("deputy")), language, {"has_opinions": "true"})
    assert len(visits) == 1 and context == {"show_township": False, "is_deputy_only": True}
    assert "李四" not in content and "&lt;b&gt;张" not in content.split("<tbody>")[1]
