"""The suggestions list's and the progress hearing's rows, written in Python (proposals/list_rows.py), are byte for
byte the per-row templates they replace (kept here as the reference): every branch of a row (no serial, a motion, no
category, key, awaiting my co-signature, a pending hand-back, no lead deputy, no unit, overdue, due soon,
provisional, a later round, each satisfaction, another township's row), hostile names, both languages; and the
page's rows, read with the row's fields only, are the rows and order of the full query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from presidium.choices import Role
from presidium.models import Township
from proposals import services
from proposals.models import Cosignature, HandBackRequest, Suggestion, SupervisionAction, SupervisionOpinion
from tests.factories import HandlingUnitFactory, proposals_deputy, proposals_suggestion

# The rows as the templates wrote them before (templates/proposals/suggestion_list.html and hearing_list.html at
# e5f848a).
LIST_ROW = Template(
    "{% load i18n proposals_tags %}"
    """<tr>
      <td data-label="{% translate '编号' %}" class="nowrap">{{ s.serial|default:"—" }}</td>
      <td data-label="{% translate '标题' %}">
        <a href="{% url 'proposals:detail' s.pk %}">{{ s.title }}</a>
        <div class="small text-muted">{% if show_township %}{{ s.township.name }} · {% endif %}{{ s.get_kind_display }}{% if s.category %} · {{ s.category.name }}{% endif %}{% if s.is_key %} · <span class="text-danger">{% translate '重点' %}</span>{% endif %}{% if asks_signatures and s.awaiting_my_signature %} · <span class="badge text-bg-info">{% translate '待我确认联名' %}</span>{% endif %}{% if s.pending_hand_back %} · <span class="badge text-bg-warning" data-testid="hand-back-badge">{% translate '申请退办' %}</span>{% endif %}</div>
      </td>
      <td data-label="{% translate '领衔代表' %}" class="nowrap">{% if s.lead_deputy %}{{ s.lead_deputy.name }}{% else %}{% translate '主席团' %}{% endif %}</td>
      <td data-label="{% translate '主办单位' %}">{{ s.lead_unit.name|default:"—" }}</td>
      <td data-label="{% translate '办理期限' %}" class="nowrap">{% if s.deadline %}{% with left=s.deadline|days_until:today %}<span class="{% if s.is_open_handling and left < 0 %}text-danger fw-semibold{% elif s.is_open_handling and left <= 10 %}text-warning-emphasis{% endif %}">{{ s.deadline|date:"Y-m-d" }}</span>{% if s.is_open_handling and left < 0 %} <span class="badge text-bg-danger">{% blocktranslate with n=left|cut:"-" %}逾期{{ n }}天{% endblocktranslate %}</span>{% endif %}{% if s.deadline_provisional %} <span class="badge text-bg-light" title="{% translate '节假日安排未确认，确认后自动重算' %}">{% translate '暂定' %}</span>{% endif %}{% endwith %}{% else %}—{% endif %}</td>
      <td data-label="{% translate '状态' %}"><span class="badge text-bg-{{ s.status|status_tone }}">{{ s.get_status_display }}</span>{% if s.round > 1 %} <span class="small text-muted">{% blocktranslate with n=s.round %}第{{ n }}轮{% endblocktranslate %}</span>{% endif %}</td>
      <td data-label="{% translate '满意度' %}">{% if s.satisfaction %}<span class="badge text-bg-{{ s.satisfaction|satisfaction_tone }}">{{ s.get_satisfaction_display }}</span>{% else %}—{% endif %}</td>
    </tr>""")  # noqa: E501
HEARING_ROW = Template(
    "{% load i18n proposals_tags %}"
    "{% translate '编号' as l_row0 %}{% translate '标题' as l_row1 %}{% translate '领衔代表' as l_row2 %}"
    "{% translate '状态' as l_row3 %}{% translate '办理期限' as l_row4 %}{% translate '面商' as l_row5 %}"
    "{% translate '督办' as l_row6 %}"
    """<tr{% if s.is_open_handling and s.deadline and s.deadline < today %} class="table-danger"{% endif %}>
        <td data-label="{{ l_row0 }}" class="nowrap">{{ s.serial|default:"—" }}</td>
        <td data-label="{{ l_row1 }}"><a href="{% url 'proposals:detail' s.pk %}">{{ s.title }}</a></td>
        <td data-label="{{ l_row2 }}" class="nowrap">{{ s.lead_deputy.name|default:_("主席团") }}</td>
        <td data-label="{{ l_row3 }}"><span class="badge text-bg-{{ s.status|status_tone }}">{{ s.get_status_display }}</span></td>
        <td data-label="{{ l_row4 }}" class="nowrap">{{ s.deadline|date:"Y-m-d"|default:"—" }}</td>
        <td data-label="{{ l_row5 }}">{{ s.consultation_count }}</td>
        <td data-label="{{ l_row6 }}">{{ s.supervision_count }}{% if s.last_supervised %} <span class="text-muted small">（{{ s.last_supervised|date:"m-d" }}）</span>{% endif %}</td>
      </tr>""")  # noqa: E501

HOSTILE = "<script>alert(\"x\")</script> & '引号'"


@pytest.fixture
def varied(world, deputy):
    """Items in every state a row shows, in two townships, with hostile names; one awaits the deputy's signature."""
    today = timezone.localdate()
    Township.objects.filter(pk=world.other_township.pk).update(name="乙镇<b>&\"")
    unit = HandlingUnitFactory(township=world.township, name="水利站<i>&'")
    hostile_deputy = proposals_deputy(world.township, name="张<三>&'")
    submitted = proposals_suggestion(world.township, lead_deputy=hostile_deputy, status_to="submitted", title=HOSTILE)
    motion = proposals_suggestion(world.township, status_to="registered", title="关于<b>集镇</b>规划的议案")
    overdue = proposals_suggestion(world.township, status_to="assigned", unit=unit, title="逾期 & 暂定")
    soon = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit, title="将到期")
    later_round = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit, title="第二轮")
    closed = proposals_suggestion(world.township, status_to="closed", unit=world.unit, title="已办结")
    replied = proposals_suggestion(world.township, status_to="replied", unit=unit, title="已答复")
    elsewhere = proposals_suggestion(world.other_township, status_to="replied", unit=world.other_unit, title="乙镇的")
    Suggestion.objects.filter(pk=submitted.pk).update(category=None, is_key=True)
    Suggestion.objects.filter(pk=motion.pk).update(kind="motion", submitter_kind="presidium", lead_deputy=None,
                                                   is_key=True)
    Suggestion.objects.filter(pk=overdue.pk).update(deadline=today - dt.timedelta(days=12), deadline_provisional=True)
    Suggestion.objects.filter(pk=soon.pk).update(deadline=today + dt.timedelta(days=10))
    Suggestion.objects.filter(pk=later_round.pk).update(status="rehandling", round=2, satisfaction="unsatisfied",
                                                        deadline=today + dt.timedelta(days=11))
    Suggestion.objects.filter(pk=closed.pk).update(deadline=today - dt.timedelta(days=3))
    Suggestion.objects.filter(pk=replied.pk).update(satisfaction="basic", deadline=today + dt.timedelta(days=40))
    Suggestion.objects.filter(pk=elsewhere.pk).update(title=HOSTILE)
    staff = world.user(Role.PRESIDIUM_STAFF)
    HandBackRequest.objects.create(suggestion=overdue, unit=unit, reason="不属本单位职责", requested_by=staff)
    SupervisionAction.objects.create(suggestion=soon, kind="reminder", held_on=dt.date(today.year, 1, 5), note="催办",
                                     by=staff)
    SupervisionAction.objects.create(suggestion=soon, kind="reminder", held_on=dt.date(today.year, 2, 7), note="催办",
                                     by=staff)
    Cosignature.objects.create(suggestion=motion, deputy=deputy)
    Cosignature.objects.create(suggestion=submitted, deputy=deputy)
    return world


def _reference(template, response, s):
    context = response.context
    return template.render(Context({"s": s, "today": context["today"], "show_township": context["show_township"],
                                    "asks_signatures": context["asks_signatures"]}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", [Role.COUNTY_REVIEWER, Role.PRESIDIUM_STAFF, Role.DEPUTY])
def test_the_list_writes_the_rows_as_the_row_template_did(varied, login, language, role):
    client = login(varied.user(role))
    with translation.override(language):
        response = client.get(reverse("proposals:list"), HTTP_ACCEPT_LANGUAGE=language)
        rows = list(response.context["object_list"])
        content = response.content.decode()
        assert rows
        for s in rows:
            expected = _reference(LIST_ROW, response, s)
            assert s.row_html == expected
            assert f"\n    {expected}\n" in content
    if role == Role.COUNTY_REVIEWER:
        assert len(rows) == 8 and response.context["show_township"]
        assert "乙镇&lt;b&gt;&amp;&quot;" in content and "&lt;script&gt;" in content and "<script>alert" not in content
        for mark in ("text-danger fw-semibold", "text-warning-emphasis", 'badge text-bg-light" title=',
                     "hand-back-badge", '<span class="small text-muted">', 'badge text-bg-danger">'):
            assert mark in content  # overdue, due soon, provisional, hand-back, a later round, unsatisfied
    elif role == Role.DEPUTY:
        assert len(rows) == 2 and response.context["asks_signatures"]
        assert "badge text-bg-info" in content  # the submitted item awaits the deputy's signature
    else:
        assert len(rows) == 7 and not response.context["show_township"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_hearing_writes_the_rows_as_the_row_template_did(varied, login, language):
    client = login(varied.user(Role.PRESIDIUM_STAFF))
    with translation.override(language):
        response = client.get(reverse("proposals:hearing"), HTTP_ACCEPT_LANGUAGE=language)
        rows = [s for group in response.context["groups"] for s in group["items"]]
        content = response.content.decode()
        for s in rows:
            expected = _reference(HEARING_ROW, response, s)
            assert s.row_html == expected
            assert f"\n      {expected}\n" in content
    assert len(rows) == 6  # every open item of the township (not the closed one, not the other township's)
    assert 'class="table-danger"' in content and "（02-07）" in content and "&lt;script&gt;" in content
    assert [s.supervision_count for s in rows if s.title == "将到期"] == [2]


@pytest.mark.parametrize("role", [Role.COUNTY_REVIEWER, Role.DEPUTY])
def test_the_pages_rows_read_narrowly_are_the_full_querys_rows(varied, login, role, monkeypatch):
    """The page reads the row's fields only (``row_fields``): the same items, order and figures as the full query."""
    from proposals.views.lists import SuggestionListView

    client = login(varied.user(role))
    monkeypatch.setattr(SuggestionListView, "paginate_by", 3 if role == Role.COUNTY_REVIEWER else 1)
    size = SuggestionListView.paginate_by
    for page in (1, 2, 3) if role == Role.COUNTY_REVIEWER else (1, 2):
        response = client.get(reverse("proposals:list"), {"page": page})
        view = response.context["view"]
        full = list(view.object_list[(page - 1) * size:page * size])
        shown = list(response.context["object_list"])
        assert [s.pk for s in shown] == [s.pk for s in full]
        assert [(s.serial, s.title, s.status, s.deadline, s.pending_hand_back) for s in shown] == [
            (s.serial, s.title, s.status, s.deadline, s.pending_hand_back) for s in full]
        assert response.context["paginator"].count == view.object_list.count()


# templates/proposals/supervisionopinion_list.html's row and its _opinion_status.html badge, at e5f848a.
OPINION_ROW = Template(
    "{% load i18n %}"
    """<tr>
      {% if show_township %}<td data-label="{% translate '乡镇' %}">{{ opinion.township.name }}</td>{% endif %}
      <td data-label="{% translate '标题' %}"><a href="{{ opinion.get_absolute_url }}">{{ opinion.title }}</a></td>
      <td data-label="{% translate '事项' %}">{% if opinion.suggestion_id %}<i class="bi bi-card-text"></i>{% else %}<i class="bi bi-building"></i>{% endif %} {{ opinion.subject }}</td>
      <td data-label="{% translate '发出时间' %}" class="nowrap">{{ opinion.sent_at|date:"Y-m-d" }}</td>
      <td data-label="{% translate '答复期限' %}" class="nowrap">{{ opinion.answer_by|date:"Y-m-d"|default:"—" }}</td>
      <td data-label="{% translate '状态' %}">"""
    """<span class="badge {% if opinion.status == 'sent' %}{% if opinion.answer_by and opinion.answer_by < today %}text-bg-danger{% else %}text-bg-warning{% endif %}{% elif opinion.status == 'answered' %}text-bg-info{% else %}text-bg-success{% endif %}" data-testid="opinion-status">{{ opinion.get_status_display }}</span>
</td>
    </tr>""")  # noqa: E501


@pytest.fixture
def opinions(varied):
    """督办意见 in every state (sent: overdue, not yet due, without a date; answered; closed), about an item or a
    unit, with hostile titles, in both townships; one sent just before midnight UTC (the next day in Asia/Shanghai)."""
    world, today = varied, timezone.localdate()
    reviewer, staff = world.user(Role.COUNTY_REVIEWER), world.user(Role.PRESIDIUM_STAFF)
    item = Suggestion.objects.get(title=HOSTILE, township=world.township)
    sent = []
    for n, (about, answer_by) in enumerate([({"suggestion": item}, today + dt.timedelta(days=1)),
                                            ({"unit": world.unit}, today + dt.timedelta(days=5)),
                                            ({"unit": world.other_unit}, None),
                                            ({"suggestion": item}, today), ({"unit": world.unit}, None)]):
        sent.append(services.supervision_opinion_send(by=reviewer, title=f"{HOSTILE} {n}", content="请说明。",
                                                      answer_by=answer_by, **about))
    services.supervision_opinion_answer(opinion=sent[3], by=staff, answer="已督促。")
    services.supervision_opinion_answer(opinion=sent[4], by=staff, answer="已办结。")
    services.supervision_opinion_close(opinion=sent[4], by=reviewer)
    SupervisionOpinion.objects.filter(pk=sent[0].pk).update(answer_by=today - dt.timedelta(days=1))  # now overdue
    SupervisionOpinion.objects.filter(pk=sent[1].pk).update(
        sent_at=dt.datetime(today.year, 3, 1, 23, 30, tzinfo=dt.UTC))
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", [Role.COUNTY_REVIEWER, Role.PRESIDIUM_STAFF])
def test_the_opinions_list_writes_the_rows_as_the_row_template_did(opinions, login, language, role):
    client = login(opinions.user(role))
    with translation.override(language):
        response = client.get(reverse("proposals:opinion_list"), HTTP_ACCEPT_LANGUAGE=language)
        rows = list(response.context["object_list"])
        content = response.content.decode()
        for opinion in rows:
            expected = OPINION_ROW.render(Context({"opinion": opinion, "today": response.context["today"],
                                                   "show_township": response.context["show_township"]}))
            assert opinion.row_html == expected
            assert f"\n    {expected}\n" in content
    assert len(rows) == (5 if role == Role.COUNTY_REVIEWER else 4)
    assert response.context["show_township"] == (role == Role.COUNTY_REVIEWER)
    assert f"{timezone.localdate().year}-03-02" in content  # sent 23:30 UTC: the next day in Asia/Shanghai
    for tone in ("text-bg-danger", "text-bg-warning", "text-bg-info", "text-bg-success"):
        assert f'badge {tone}" data-testid="opinion-status"' in content
    assert "&lt;script&gt;" in content and "<script>alert" not in content
