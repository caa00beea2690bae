"""The meeting list's rows, written in Python (presidium/meetings/meeting_rows.py), are byte for byte the per-row
template they replace (kept here as the reference): every quorum and attendance state, each status, a start near
midnight, hostile titles, places and township names, with and without the township column, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from presidium.choices import Role
from presidium.models import Township
from tests.factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before (templates/meetings/meeting_list.html at e2b0332).
REFERENCE_ROW = Template("""{% load i18n %}<tr data-testid="meeting-row">
      {% if show_township %}<td data-label="{% translate '乡镇' %}">{{ meeting.township.name }}</td>{% endif %}
      <td data-label="{% translate '时间' %}" class="nowrap">{{ meeting.starts_at|date:"Y-m-d H:i" }}</td>
      <td data-label="{% translate '类型' %}" class="nowrap">{{ meeting.get_kind_display }}</td>
      <td data-label="{% translate '名称' %}"><a href="{{ meeting.get_absolute_url }}">{{ meeting.title }}</a></td>
      <td data-label="{% translate '地点' %}">{{ meeting.place }}</td>
      <td data-label="{% translate '出席情况' %}" class="small">{% if meeting.quorum %}{% if meeting.status == 'held' %}{{ meeting.quorum.line }}{% else %}{{ meeting.quorum.planned_line }}{% endif %}{% if meeting.quorum.entitled and meeting.status == 'held' %} {% if meeting.quorum.met %}<i class="bi bi-check-circle text-success" title="{% translate '符合法定人数' %}"></i>{% else %}<i class="bi bi-exclamation-circle text-danger" title="{% translate '不足法定人数' %}"></i>{% endif %}{% endif %}{% elif meeting.status == 'held' %}{% blocktranslate with m=meeting.n_attended n=meeting.n_invited %}出席 {{ m }} 人 / 邀请 {{ n }} 人{% endblocktranslate %}{% else %}{% blocktranslate with n=meeting.n_invited %}邀请 {{ n }} 人{% endblocktranslate %}{% endif %}</td>
      <td data-label="{% translate '状态' %}">{% include "meetings/_status_badge.html" %}</td>
    </tr>""")  # noqa: E501


def _meeting(township, day: int, *, invitations=(), **kwargs):
    starts = timezone.make_aware(dt.datetime(2026, 1, day, 23, 30), dt.UTC)  # the next day, locally
    meeting = MeetingFactory(township=township, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), **kwargs)
    for status, counts in invitations:
        InvitationFactory(meeting=meeting, status=status, counts_for_quorum=counts, role="member" if counts else
                          "attendee", leave_reason="病假" if status == "leave" else "")
    return meeting


@pytest.fixture
def varied(world):
    """A meeting in every state the row shows, in two townships (one with a hostile name)."""
    Township.objects.filter(pk=world.other_township.pk).update(name='<i>乙</i>&"镇"')
    t, other = world.township, world.other_township
    _meeting(t, 2, status="held", invitations=[("present", True)] * 3, title='<script>alert("x")</script> & 会')
    _meeting(t, 3, kind="congress_session", session_number=1, status="held", place="'礼堂' & <b>",
             invitations=[("present", True), ("absent", True), ("leave", True), ("present", False)])
    _meeting(t, 4, status="held", invitations=[("present", False)])  # nobody counts: no mark
    _meeting(t, 5, invitations=[("leave", True), ("invited", True)])  # planned, with leave asked
    _meeting(t, 6, invitations=[("invited", True)])  # planned
    _meeting(t, 7, kind="training", status="held", invitations=[("present", False), ("absent", False)])
    _meeting(t, 8, kind="training")  # nobody invited yet
    _meeting(other, 9, status="cancelled", cancel_reason="天气")
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF])
def test_it_writes_the_rows_as_the_row_template_did(varied, login, language, role):
    client = login(varied.user(role))
    with translation.override(language):
        response = client.get(reverse("meetings:meeting_list"), HTTP_ACCEPT_LANGUAGE=language)
        meetings, show_township = response.context["meetings"], response.context["show_township"]
        assert show_township == (role == Role.COUNTY_ADMIN)
        assert len(meetings) == (8 if show_township else 7)
        content = response.content.decode()
        for meeting in meetings:
            expected = REFERENCE_ROW.render(Context({"meeting": meeting, "show_township": show_township}))
            assert meeting.row_html == expected
            assert f"\n    {expected}\n" in content
    states = {(m.kind, m.status, m.n_invited > 0) + ((m.quorum.entitled > 0, m.quorum.met, m.quorum.leave > 0)
                                                     if m.quorum else ()) for m in meetings}
    assert len(states) == len(meetings)  # each meeting a state of its own
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 会" in content and "&#x27;礼堂&#x27; &amp; &lt;b&gt;" in content
    assert ("&lt;i&gt;乙&lt;/i&gt;&amp;&quot;镇&quot;" in content) == show_township
    assert "-01-03 07:30" in content  # 23:30 UTC on the 2nd is the 3rd in the portal's time zone
