"""E-mail and SMS text filled from stencils is exactly what rendering the templates gives (issue 12)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone

from presidium.notifications import stencils
from presidium.notifications.letters import LetterWriter, letter_context
from presidium.notifications.models import Notification

pytestmark = pytest.mark.django_db

TEMPLATES = (LetterWriter.SUBJECT, LetterWriter.TEXT, LetterWriter.HTML, LetterWriter.SMS)


@pytest.mark.parametrize(("name", "title", "body"), [
    ('张<三>&"', "标题 <b>&'\"", "一行\n两行 <i>&\r\n三行"),
    ("李四", "只有标题", ""),
    ("", "很长的标题" * 30, "正文 http://x.invalid/?a=1&b=2"),
])
def test_it_fills_every_notification_template_exactly_as_rendering_it_would(world, name, title, body):
    user = world.user("unit_liaison")
    user.real_name = name
    notification = Notification(pk=4321, recipient=user, title=title, body=body, created_at=timezone.now())
    writer = LetterWriter()
    for template in TEMPLATES:
        assert writer.render(template, notification, writer.values(notification)) == render_to_string(
            template, letter_context(notification))
    assert writer.link(notification).endswith("/notifications/4321/")


def _template(monkeypatch, source: str) -> None:
    monkeypatch.setattr(stencils, "get_template", lambda name: engines["django"].from_string(source))


def test_it_renders_in_full_a_template_that_reads_more_than_the_four_values(monkeypatch):
    """A template reading the notification's time (or any other field) gets no stencil."""
    _template(monkeypatch, "{{ notification.created_at }} {{ notification.title }}")
    assert stencils.make_stencil("any.txt", (True, True, True, True), "平台") is None


def test_it_makes_no_stencil_when_a_value_is_transformed_otherwise(monkeypatch):
    _template(monkeypatch, "{{ notification.title|upper }}")
    assert stencils.make_stencil("any.txt", (True, True, True, True), "平台") is None


def test_it_makes_a_stencil_for_plain_and_escaped_values(monkeypatch):
    _template(monkeypatch, "<h1>{{ notification.title }}</h1>{{ link }}")
    stencil = stencils.make_stencil("any.html", (True, False, True, True), "平台")
    assert stencil is not None
    assert stencil.fill({"title": "a<b", "body": "", "name": "n", "link": "/x?a&b"}) == "<h1>a&lt;b</h1>/x?a&amp;b"
