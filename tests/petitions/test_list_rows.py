"""The petition lists' rows, written in Python (petitions/views/rows.py), are byte for byte the row template and due
badge they replace (kept here as the reference): every badge, tag and due state, hostile names, a township's list, the
county's list (with the township) and a unit's list (its own due dates), both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from petitions.choices import ClockState, FeedbackResult
from petitions.models import Category, Petition, PetitionClock, PetitionTransfer
from presidium.choices import Role
from presidium.models import HandlingUnit, Township
from tests.factories import petition_at

# The rows as templates/petitions/_petition_table.html and _due_badge.html wrote them before (at e5f848a).
DUE_BADGE = (
    """{% load i18n %}{% if p.next_clock_due %}<span class="text-nowrap{% if p.days_left < 0 %} text-danger fw-semibold{% elif p.days_left <= 5 %} text-warning-emphasis{% endif %}">{{ p.next_clock_due|date:"Y-m-d" }}</span>{% if p.next_clock_label %} <span class="small text-muted">{{ p.next_clock_label }}</span>{% endif %}\n"""  # noqa: E501
    """{% if p.days_left < 0 %}<span class="badge text-bg-danger" data-testid="overdue-badge">{% blocktranslate with n=p.days_overdue %}超期{{ n }}天{% endblocktranslate %}</span>{% elif p.days_left == 0 %}<span class="badge text-bg-warning">{% translate '今天到期' %}</span>{% else %}<span class="badge text-bg-light border">{% blocktranslate with n=p.days_left %}剩{{ n }}天{% endblocktranslate %}</span>{% endif %}{% else %}<span class="text-muted">—</span>{% endif %}\n""")  # noqa: E501
REFERENCE_ROW = Template(
    """{% load i18n %}<tr>
      <td data-label="{% translate '登记号' %}" class="nowrap">{{ p.registration_number }}<div class="small text-muted">{{ p.received_on|date:"Y-m-d" }} · {{ p.get_channel_display }}{% if show_township %} · {{ p.township.name }}{% endif %}</div></td>
      <td data-label="{% translate '信访事项' %}"><a href="{% url 'petitions:detail' p.pk %}">{{ p.subject }}</a>
        <div class="small text-muted d-flex flex-wrap gap-1 align-items-center">{% if p.category %}<span>{{ p.category.name }}</span>{% endif %}{% if p.urgency == "urgent" %}<span class="badge text-bg-danger">{% translate '紧急' %}</span>{% endif %}{% if p.is_collective %}<span class="badge text-bg-warning">{% blocktranslate with n=p.people_count %}集体访 {{ n }} 人{% endblocktranslate %}</span>{% endif %}{% if p.key_supervision %}<span class="badge text-bg-danger">{% translate '重点督办' %}</span>{% endif %}{% if p.repeat_of_id %}<span class="badge text-bg-light border">{% translate '重复信访' %}</span>{% endif %}</div></td>
      <td data-label="{% translate '信访人' %}" class="nowrap petition-masked">{{ p.petitioner_label }}{% if p.masked_mobile %}<div class="small text-muted">{{ p.masked_mobile }}</div>{% endif %}</td>
      <td data-label="{% translate '承办单位' %}">{{ p.current_unit.name|default:"—" }}</td>
      <td data-label="{% translate '最近到期' %}">"""  # noqa: E501
    + DUE_BADGE[len("{% load i18n %}"):] +
    """</td>
      <td data-label="{% translate '状态' %}"><span class="badge text-bg-{{ p.status_tone }}">{{ p.get_status_display }}</span>{% if p.feedback %} <span class="small text-muted">{{ p.get_feedback_display }}</span>{% endif %}</td>
    </tr>""")  # noqa: E501

HOSTILE = '<script>alert("x")</script> & \'引号\''
SHORT_HOSTILE = '<b>"类"</b> & \'别\''  # a category's name has 30 characters at most


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _due_in(petition, days: int) -> None:
    PetitionClock.objects.filter(petition=petition, state=ClockState.RUNNING).update(
        due_on=timezone.localdate() + dt.timedelta(days=days))


@pytest.fixture
def varied(world):
    """Petitions in every state a row shows, with hostile names wherever a user's text reaches the row."""
    staff = world.user(Role.PRESIDIUM_STAFF)
    HandlingUnit.objects.filter(pk=world.unit.pk).update(name=HOSTILE)
    Township.objects.filter(pk=world.township.pk).update(name=f"甲镇{HOSTILE}")
    late = petition_at("registered", world.township, by=staff, received_on=_ago(20), subject=HOSTILE, name="<b>王</b>",
                       mobile="13812345678", urgency="urgent")
    for days in (0, 3, 5, 6, 40):  # due today, soon (warning up to 5 days), later
        _due_in(petition_at("registered", world.township, by=staff, received_on=_ago(2), anonymous=True), days)
    collective = petition_at("registered", world.township, by=staff, received_on=_ago(4), people_count=7,
                             is_collective=True, channel="referred", referral_body="县信访局", referral_number="转1号")
    Petition.objects.filter(pk=collective.pk).update(key_supervision=True, repeat_of=late, category=None)
    sent = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_ago(10))
    Petition.objects.filter(pk=sent.pk).update(category=Category.objects.create(township=world.township, name=SHORT_HOSTILE))
    PetitionTransfer.objects.filter(petition=sent).update(due_on=_ago(3))  # the unit is late
    petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_ago(8), mobile="")
    replied = petition_at("replied", world.township, by=staff, unit=world.unit, received_on=_ago(60))
    Petition.objects.filter(pk=replied.pk).update(feedback=FeedbackResult.BASICALLY)
    petition_at("closed", world.other_township, by=world.other_staff, received_on=_ago(90))
    return world


def _compare(response) -> set:
    rows = list(response.context["object_list"])
    content = response.content.decode()
    states = set()
    for p in rows:
        expected = REFERENCE_ROW.render(Context({"p": p, "show_township": response.context["show_township"]}))
        assert p.row_html == expected
        assert f"\n    {expected}\n" in content
        states.add(("overdue" if p.days_left < 0 else "today" if p.days_left == 0 else "soon" if p.days_left <= 5
                    else "later") if p.next_clock_due else "none")
    return states


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_writes_the_rows_as_the_row_template_did(varied, login, language):
    with translation.override(language):
        with CaptureQueriesContext(connection) as queries:
            response = login(varied.user(Role.PRESIDIUM_STAFF)).get(reverse("petitions:list"),
                                                                     HTTP_ACCEPT_LANGUAGE=language)
        rows_query, = (q["sql"] for q in queries.captured_queries if "next_clock_kind" in q["sql"])
        assert '"petitions_petition"."subject"' in rows_query  # the page reads only what its rows show
        assert '"petitions_petition"."content"' not in rows_query
        assert '"presidium_handlingunit"."name"' in rows_query
        assert '"presidium_handlingunit"."contact_phone"' not in rows_query
        assert len(response.context["object_list"]) == 10 and not response.context["show_township"]
        assert _compare(response) == {"overdue", "today", "soon", "later", "none"}
        content = response.content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;引号&#x27;" in content
        assert "<script>alert" not in content and "<span>&lt;b&gt;&quot;类&quot;&lt;/b&gt; &amp; &#x27;别" in content

        response = login(varied.user(Role.COUNTY_ADMIN)).get(reverse("petitions:list"), HTTP_ACCEPT_LANGUAGE=language)
        assert len(response.context["object_list"]) == 11 and response.context["show_township"]
        _compare(response)
        assert "甲镇&lt;script&gt;" in response.content.decode()

        response = login(varied.user(Role.UNIT_LIAISON)).get(reverse("petitions:unit_list"),
                                                             HTTP_ACCEPT_LANGUAGE=language)
        assert len(response.context["object_list"]) == 3 and response.context["show_township"]  # no township of its own
        assert _compare(response) == {"overdue", "later", "none"}  # the unit's own due dates


def test_an_empty_list_says_so(world, login):
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petitions:list"))
    assert '<tr><td colspan="6" class="text-muted">没有符合条件的信访件。</td></tr>' in response.content.decode()
