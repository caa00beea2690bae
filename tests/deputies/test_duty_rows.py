"""The duty overview's rows, written in Python (deputies/duty_rows.py), are byte for byte the per-row template they
replace (kept here as the reference): each combination of behind / 三不 / no target / no group, hostile names, an
earlier year, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from deputies.models import Deputy, VisitTarget
from tests.factories import DeputyFactory, DeputyGroupFactory, InvitationFactory, MeetingFactory, VisitFactory

# The rows as the template wrote them before (templates/deputies/duty_overview.html at 381008e).
REFERENCE_ROW = Template(
    "{% load i18n %}"
    "{% translate '代表' as l_deputy %}{% translate '走访次数' as l_visits %}{% translate '户数' as l_households %}"
    "{% translate '联系选民' as l_people %}{% translate '意见' as l_opinions %}{% translate '提示' as l_hints %}"
    "{% translate '走访落后' as l_behind %}{% translate '三不代表' as l_three_no %}{% translate '档案' as l_archive %}"
    """<tr class="{% if d.three_no.flagged %}table-danger{% elif d.progress.behind %}table-warning{% endif %}">
      <td data-label="{{ l_deputy }}" class="nowrap"><a href="{{ d.get_absolute_url }}">{{ d.name }}</a>{% if d.group %}<div class="small text-muted">{{ d.group.name }}</div>{% endif %}</td>
      <td data-label="{{ l_visits }}" class="nowrap">{{ d.progress.visits }}{% if d.progress.target %} <span class="small text-muted">/ {{ d.progress.visits_expected }}</span>{% endif %}</td>
      <td data-label="{{ l_households }}">{{ d.progress.households }}</td>
      <td data-label="{{ l_people }}" class="nowrap">{{ d.progress.people }}{% if d.progress.target %} <span class="small text-muted">/ {{ d.progress.people_expected }}</span>{% endif %}</td>
      <td data-label="{{ l_opinions }}">{{ d.progress.opinions }}</td>
      {% for signal, n in d.three_no.counts.items %}{% if signal == "meeting" or signal == "activity" %}<td data-label="{{ signal.label }}">{% if n is None %}<span class="text-muted small">{{ no_source }}</span>{% else %}{{ n }}{% endif %}</td>{% endif %}{% endfor %}
      <td data-label="{{ l_hints }}" class="small">
        {% if d.progress.behind %}<span class="badge text-bg-warning">{{ l_behind }}</span>{% endif %}
        {% if d.three_no.flagged %}<span class="badge text-bg-danger">{{ l_three_no }}</span>{% elif d.three_no.zeros %}<span class="text-muted">{{ d.three_no.label }}</span>{% endif %}
      </td>
      <td class="text-end nowrap"><a class="btn btn-sm btn-outline-secondary" href="{% url 'deputies:deputy_archive' d.pk %}?year={{ year }}">{{ l_archive }}</a></td>
    </tr>""")  # noqa: E501


@pytest.fixture
def varied(world):
    """Deputies in every state the row shows, in a township with a target and one without."""
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        VisitTarget.objects.create(township=world.township, year=year, set_by=world.user("county_admin"),
                                   visits_per_month=1, people_per_year=20, households_per_year=6)
    group = DeputyGroupFactory(township=world.township, name='<i>小组</i> & "一"')
    idle = DeputyFactory(township=world.township, name="张三", group=group)  # nothing this year: 三不, behind
    Deputy.objects.filter(pk=idle.pk).update(name="<b>张</b>&'三'")  # past the form's checks: still escaped
    busy = DeputyFactory(township=world.township, name="李四", group=group)
    for year in (today.year - 1, today.year):
        VisitFactory(deputy=busy, visited_on=dt.date(year, 1, 2), households=40, people=300)
        starts = timezone.make_aware(dt.datetime(year, 1, 3, 9))
        meeting = MeetingFactory(township=world.township, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
        InvitationFactory(meeting=meeting, deputy=busy, name=busy.name, status="present")
    some = DeputyFactory(township=world.township, name="王五")  # a visit, not enough: behind, not 三不
    VisitFactory(deputy=some, visited_on=today, households=1, people=1)
    DeputyFactory(township=world.other_township, name="赵六")  # no target there: never behind
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("last_year", [False, True])
def test_it_writes_the_rows_as_the_row_template_did(varied, login, language, last_year):
    client = login(varied.user("county_admin"))
    year = timezone.localdate().year - (1 if last_year else 0)
    with translation.override(language):
        response = client.get(reverse("deputies:duty_overview"), {"year": year},
                              HTTP_ACCEPT_LANGUAGE=language)
        deputies = response.context["deputies"]
        assert len(deputies) == 4
        content = response.content.decode()
        states = set()
        for d in deputies:
            expected = REFERENCE_ROW.render(Context({"d": d, "year": year, "no_source": response.context["no_source"]}))
            assert d.row_html == expected
            assert f"\n    {expected}\n" in content
            states.add((bool(d.three_no.flagged), d.progress.behind, d.progress.target is not None, bool(d.group)))
    assert len(states) == 4  # 三不 and behind; neither; behind only; no target, no group
    assert "&lt;b&gt;张&lt;/b&gt;&amp;&#x27;三&#x27;" in content and "&lt;i&gt;小组" in content


# The targets panel's lines as the template's loop wrote them (templates/deputies/duty_overview.html at 348be06).
REFERENCE_TARGETS = Template(
    "{% load i18n %}"
    """  {% for t in targets %}<div><strong>{{ t.township.name }}</strong> {% blocktranslate with m=t.visits_per_month p=t.people_per_year y=t.year %}走访目标（{{ y }} 年起）：每人每月 {{ m }} 次，每年联系选民 {{ p }} 人{% endblocktranslate %}{% if t.households_per_year %}{% blocktranslate with h=t.households_per_year %}、走访 {{ h }} 户{% endblocktranslate %}{% endif %}{% translate '。' %}</div>
  {% empty %}<div class="text-muted">{% translate '尚未设定走访目标：不计算进度。' %}</div>{% endfor %}
""")  # noqa: E501


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_targets_panel_as_the_template_did(world, login, language):
    """Targets with and without households, a carried-over year, large figures, a hostile township name, and none;
    and the page's panel holds the lines."""
    from deputies.duty_rows import targets_html
    from deputies.selectors import targets_for
    from presidium.models import Township

    staff = world.user("county_admin")
    Township.objects.filter(pk=world.other_township.pk).update(name='<b>乙</b>&"镇"')
    VisitTarget.objects.create(township=world.township, year=2024, visits_per_month=31, people_per_year=5000,
                               households_per_year=1200, set_by=staff)
    VisitTarget.objects.create(township=world.other_township, year=2025, visits_per_month=2, people_per_year=24,
                               households_per_year=0, set_by=staff)
    with translation.override(language):
        for year in (2023, 2024, 2025, 2026):
            targets = sorted(targets_for([world.township.pk, world.other_township.pk], year).values(),
                             key=lambda t: t.township.name)
            written = "  " + targets_html(targets) + "\n"
            assert written == REFERENCE_TARGETS.render(Context({"targets": targets})), year
        assert "  " + targets_html([]) + "\n" == REFERENCE_TARGETS.render(Context({"targets": []}))
        assert "&lt;b&gt;乙&lt;/b&gt;" in targets_html(list(targets_for([world.other_township.pk], 2026).values()))
    page = login(staff).get(reverse("deputies:duty_overview"), {"year": timezone.localdate().year})
    assert page.status_code == 200
    assert str(targets_html(page.context["targets"])) in page.content.decode()
