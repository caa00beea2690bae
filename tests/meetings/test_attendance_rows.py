"""The meeting page's attendance form rows, written in Python (presidium/meetings/attendance_rows.py), are byte for
byte the per-row template they replace (kept here as the reference): before the day and on it, every status, an
attendee with a post, hostile names and reasons, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from presidium.choices import Role
from presidium.meetings.choices import AttendanceStatus
from presidium.meetings.models import Invitation
from tests.factories import InvitationFactory, MeetingFactory

# The rows as the template wrote them before (templates/meetings/meeting_detail.html at de16498).
REFERENCE_ROW = Template("""{% load i18n %}<li class="list-group-item attendance-row" data-testid="invitee">
        <div class="d-flex flex-wrap align-items-center gap-2">
          <div class="me-auto"><span class="fw-semibold" data-testid="invitee-name">{{ invitation.name }}</span>{% if invitation.role == 'attendee' %} <span class="badge text-bg-light border text-muted">{{ invitation.get_role_display }}</span>{% endif %}{% if invitation.post %}<div class="small text-muted">{{ invitation.post }}</div>{% endif %}</div>
          <div class="btn-group btn-group-sm flex-wrap" role="group" aria-label="{% translate '出席情况' %}">
          {% for value, label in statuses %}{% if can_record or value == 'invited' or value == 'leave' or value == invitation.status %}
            <input type="radio" class="btn-check" name="status-{{ invitation.pk }}" id="s-{{ invitation.pk }}-{{ value }}" value="{{ value }}" autocomplete="off"{% if invitation.status == value %} checked{% endif %} data-status="{{ value }}">
            <label class="btn btn-outline-{% if value == 'present' %}success{% elif value == 'leave' %}warning{% elif value == 'absent' %}danger{% else %}secondary{% endif %}" for="s-{{ invitation.pk }}-{{ value }}">{{ label }}</label>
          {% endif %}{% endfor %}
          </div>
        </div>
        <input type="text" class="form-control form-control-sm mt-2" name="reason-{{ invitation.pk }}" value="{{ invitation.leave_reason }}" maxlength="200" placeholder="{% translate '请假事由（请假时必填）' %}" aria-label="{% translate '请假事由' %}" data-leave-reason>
        {% if can_manage and is_scheduled and invitation.status == 'invited' %}<button class="btn btn-link btn-sm text-danger p-0 mt-1" type="submit" form="remove-{{ invitation.pk }}">{% translate '移出名单' %}</button>{% endif %}
      </li>""")  # noqa: E501


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("started", [False, True])
def test_it_writes_the_attendance_rows_as_the_row_template_did(world, client, language, started):
    starts = timezone.now() + (dt.timedelta(hours=-1) if started else dt.timedelta(days=7))
    meeting = MeetingFactory(township=world.township, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    for n, status in enumerate(AttendanceStatus.values):
        InvitationFactory(meeting=meeting, name=f"<b>参会人{n}</b>&", status=status,
                          leave_reason='"事假" <script>' if status == AttendanceStatus.LEAVE else "")
    InvitationFactory(meeting=meeting, name="列席人", role="attendee", counts_for_quorum=False, post="<i>村委会</i>主任")
    client.force_login(world.user(Role.PRESIDIUM_STAFF))
    with translation.override(language):
        response = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        content = response.content.decode()
        context = response.context
        assert context["can_record"] is started and context["is_scheduled"]
        invitations = context["invitations"]
        assert len(invitations) == Invitation.objects.filter(meeting=meeting).count() == 5
        for invitation in invitations:
            expected = REFERENCE_ROW.render(Context({
                "invitation": invitation, "statuses": context["statuses"], "can_record": context["can_record"],
                "can_manage": context["can_manage"], "is_scheduled": context["is_scheduled"]}))
            assert invitation.attendance_row == expected
            assert f"\n      {expected}\n" in content
    assert "&lt;b&gt;参会人0&lt;/b&gt;&amp;" in content and "&lt;script&gt;" in content
