"""The overdue items' partial index (migration proposals/0009): its condition is the open-handling states the
overdue card and filter ask for, so PostgreSQL can answer them from the index alone (docs/performance.md, ninth
round: a township's 35 overdue items read from the index instead of its 1,750 items filtered)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from presidium.choices import Role
from proposals.choices import OPEN_HANDLING
from proposals.models import Suggestion
from tests.factories import proposals_suggestion


def test_the_index_holds_exactly_the_open_handling_states():
    index = next(i for i in Suggestion._meta.indexes if i.name == "suggestion_open_deadline")
    assert index.fields == ["township", "deadline"]
    assert dict(index.condition.children)["status__in"] == sorted(s.value for s in OPEN_HANDLING)


def test_the_overdue_card_counts_the_open_items_past_their_deadline(world):
    from presidium import registry

    late = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit, title="逾期的")
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit, title="未到期的")
    replied = proposals_suggestion(world.township, status_to="in_handling", unit=world.unit, title="已答复的")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Suggestion.objects.filter(pk__in=[late.pk, replied.pk]).update(deadline=yesterday)
    Suggestion.objects.filter(pk=replied.pk).update(status="replied")
    card = registry._HOME["proposals_overdue"]
    assert card.count(world.user(Role.PRESIDIUM_STAFF)) == 1
