"""A suggestion drafted from a visit opinion keeps a pre-filled title and category that must be reviewed before
it can be submitted: no category, or the voter's raw words as the title, are refused with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from presidium.choices import Role
from proposals import services
from proposals.models import Suggestion
from tests.factories import VisitFactory, VisitOpinionFactory, deputy_with_account


@pytest.fixture
def opinion(world):
    deputy = deputy_with_account(world.township)
    return VisitOpinionFactory(visit=VisitFactory(deputy=deputy), content="村道雨天积水\n希望尽快修补。",
                               category="other")


def test_it_refuses_to_submit_a_converted_draft_until_title_and_category_are_reviewed(world, opinion):
    staff = world.user(Role.PRESIDIUM_STAFF)
    draft = services.suggestion_draft_from_opinion(opinion=opinion, by=staff)
    assert draft.title == "村道雨天积水"
    with pytest.raises(ValidationError) as error:
        services.suggestion_submit(suggestion=draft, by=staff)
    assert any("原话" in m for m in error.value.messages)
    category = services.categories_ensure(township=world.township)[0]
    services.suggestion_update(suggestion=draft, by=staff, title="关于修补东风村村道积水路段的建议", category=category)
    draft = services.suggestion_submit(suggestion=Suggestion.objects.get(pk=draft.pk), by=staff)
    assert draft.status == "submitted"


def test_it_refuses_a_draft_without_a_category(world, opinion):
    staff = world.user(Role.PRESIDIUM_STAFF)
    draft = services.suggestion_draft_from_opinion(opinion=opinion, by=staff)
    services.suggestion_update(suggestion=draft, by=staff, title="关于修补村道的建议")
    Suggestion.objects.filter(pk=draft.pk).update(category=None)  # no category matched the opinion's kind
    draft = Suggestion.objects.get(pk=draft.pk)
    assert services.intake.draft_problems(draft) == ["请选择类别。"]
    with pytest.raises(ValidationError, match="请选择类别"):
        services.suggestion_submit(suggestion=draft, by=staff)


def test_it_takes_the_deputy_to_the_pre_filled_form_after_converting(world, login, opinion):
    deputy_user = opinion.visit.deputy.user
    response = login(deputy_user).post(reverse("deputies:opinion_convert", args=[opinion.pk, "suggestion_draft"]))
    draft = Suggestion.objects.get(source_opinion=opinion)
    assert response.status_code == 302 and response.url == reverse("proposals:edit", args=[draft.pk])
    page = login(deputy_user).get(response.url).content.decode()
    assert 'data-testid="draft-problems"' in page and 'value="村道雨天积水"' in page


def test_it_says_why_the_submit_button_refused(world, login, opinion):
    staff = world.user(Role.PRESIDIUM_STAFF)
    draft = services.suggestion_draft_from_opinion(opinion=opinion, by=staff)
    response = login(staff).post(reverse("proposals:submit", args=[draft.pk]), follow=True)
    assert "原话" in response.content.decode()
    assert Suggestion.objects.get(pk=draft.pk).status == "draft"
