"""A step the rules refuse says why once, not twice (the page's alert and crispy's both used to show it)."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import proposals_suggestion

REFUSAL = "答复前须与领衔代表面商：请先登记至少一次面商"


def test_it_shows_why_a_reply_is_refused_once(world, login, liaison, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit)
    client = login(liaison)
    client.post(reverse("proposals:accept", args=[item.pk]))
    response = client.post(reverse("proposals:reply", args=[item.pk]), {"result_class": "A", "text": "已办理"},
                           follow=True)
    assert response.redirect_chain == [(item.get_absolute_url(), 302)]
    assert response.content.decode().count(REFUSAL) == 1
