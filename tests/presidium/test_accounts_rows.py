"""The accounts screen's rows, written in Python (presidium/views/accounts_rows.py), are byte for byte the per-row
template they replace (kept here as the reference): accounts that may be managed and those refused (with the
reason), several roles of each scope, inactive ones, no name or mobile, hostile values, both languages."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from presidium.choices import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before (templates/presidium/account_list.html at e2b0332).
REFERENCE_ROW = Template("""{% load i18n %}<tr>
      <td data-label="{% translate '姓名' %}">{{ account.real_name|default:"—" }}{% if not account.is_active %} <span class="badge text-bg-secondary">{% translate '停用' %}</span>{% endif %}</td>
      <td data-label="{% translate '用户名' %}">{{ account.username }}</td>
      <td data-label="{% translate '手机' %}" class="nowrap">{{ account.mobile|default:"—" }}</td>
      <td data-label="{% translate '角色与范围' %}">
        {% for ra in account.managed_roles %}
          {% if account.refusal %}
            <span class="badge text-bg-light border">{{ ra.get_role_display }} · {{ ra.scope }}</span>
          {% else %}
          <form method="post" action="{% url 'presidium:role_revoke' ra.pk %}" class="d-inline" data-confirm="{% translate '确定撤销该角色？' %}">{% csrf_token %}
            <span class="badge text-bg-light border">{{ ra.get_role_display }} · {{ ra.scope }}
              <button class="btn btn-link btn-sm p-0 ms-1 text-danger" type="submit" aria-label="{% translate '撤销' %}"><i class="bi bi-x-circle"></i></button></span>
          </form>
          {% endif %}
        {% endfor %}
      </td>
      <td class="text-end">
        {% if account.refusal %}
          <span class="small text-muted account-refusal"><i class="bi bi-lock" aria-hidden="true"></i> {{ account.refusal }}</span>
        {% else %}
        <span class="nowrap">
        <a class="btn btn-sm btn-outline-secondary" href="{% url 'presidium:account_role_grant' account.pk %}"><i class="bi bi-person-plus"></i> {% translate '授予角色' %}</a>
        <a class="btn btn-sm btn-outline-secondary" href="{% url 'presidium:account_password_reset' account.pk %}"><i class="bi bi-key"></i> {% translate '重置密码' %}</a>
        </span>
        {% endif %}
      </td>
    </tr>""")  # noqa: E501


@pytest.fixture
def varied(world):
    hostile = user_with_role(Role.UNIT_LIAISON, world.unit, real_name='<b>王</b>&"五"', username="o'neil&co",
                             mobile="")
    from presidium.models import RoleAssignment

    RoleAssignment.objects.create(user=hostile, role=Role.DEPUTY, township=world.township)  # two roles
    user_with_role(Role.DEPUTY, world.township, real_name="", is_active=False, mobile="13800000000")
    both = user_with_role(Role.DEPUTY, world.township, real_name="两县都有")
    RoleAssignment.objects.create(user=both, role=Role.DEPUTY, township=world.foreign_township)  # refused
    return world


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.PRESIDIUM_STAFF])
def test_it_writes_the_rows_as_the_row_template_did(varied, login, language, role):
    client = login(varied.user(role))
    with translation.override(language):
        response = client.get(reverse("presidium:account_list"), HTTP_ACCEPT_LANGUAGE=language)
        accounts = list(response.context["object_list"])
        content = response.content.decode()
        managed = next(a for a in accounts if not a.refusal and a.managed_roles)
        token = managed.row_html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]  # the page's own
        shapes = set()
        for account in accounts:
            expected = REFERENCE_ROW.render(Context({"account": account, "csrf_token": token}))
            assert account.row_html == expected
            assert f"\n    {expected}\n" in content
            shapes.add((bool(account.refusal), account.is_active, len(account.managed_roles) > 1,
                        bool(account.real_name)))
    assert {(True, True, False, True), (False, True, True, True), (False, False, False, False)} <= shapes
    assert "&lt;b&gt;王&lt;/b&gt;&amp;&quot;五&quot;" in content and "o&#x27;neil&amp;co" in content
