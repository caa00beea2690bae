"""Before 交办 the form shows the deadline the calendar service computes, how it was counted, and the labelled
reminder dates (an htmx partial); the stored deadline after 交办 is the one previewed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from presidium.calendar.services import explain_deadline
from presidium.choices import Role
from tests.factories import proposals_suggestion


def test_it_explains_a_working_day_count_with_the_holidays_skipped(world):
    """STACK-NOTES: 2026-09-30 + 5 working days = 2026-10-13 (the seeded national calendar; 10-10 is worked)."""
    explained = explain_deadline(dt.date(2026, 9, 30), 5, "working_days")
    assert explained.deadline.date == dt.date(2026, 10, 13)
    assert [day for day, _name in explained.days_off] == [dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)]
    assert [day for day, _name in explained.make_up_days] == [dt.date(2026, 10, 10)]
    assert explained.weekend_days == 3 and explained.rule == "5 个工作日"


def test_it_explains_a_month_rule_rolled_past_a_day_off(world):
    explained = explain_deadline(dt.date(2026, 3, 7), 3, "months", roll_forward=True)  # 06-07 is a Sunday
    assert explained.rolled_from == dt.date(2026, 6, 7) and explained.deadline.date == dt.date(2026, 6, 8)


def test_it_previews_the_deadline_and_reminders_that_assigning_sets(world, login, deputy):
    staff = world.user(Role.PRESIDIUM_STAFF)
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    client = login(staff)
    assign_page = client.get(reverse("proposals:assign", args=[item.pk])).content.decode()
    assert reverse("proposals:deadline_preview", args=[item.pk]) in assign_page
    response = client.get(reverse("proposals:deadline_preview", args=[item.pk]),
                          {"deadline_choice": "working_days", "working_days": "20"})
    page = response.content.decode()
    assert "20 个工作日" in page and "到期当日" in page and "到期前 10 个工作日" in page and "仍未面商提醒" in page
    client.post(reverse("proposals:assign", args=[item.pk]), {
        "lead_unit": world.unit.pk, "supervision_mode": "routine", "deadline_choice": "working_days",
        "working_days": "20"})
    item.refresh_from_db()
    assert f'data-testid="preview-deadline">{item.deadline:%Y-%m-%d}<' in page
    assert item.deadline >= timezone.localdate()


def test_it_says_what_is_missing_instead_of_failing(world, login, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    response = login(world.user(Role.PRESIDIUM_STAFF)).get(
        reverse("proposals:deadline_preview", args=[item.pk]), {"deadline_choice": "working_days", "working_days": ""})
    assert response.status_code == 200 and "请填写天数" in response.content.decode()


def test_it_keeps_the_preview_to_staff(world, login, deputy):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered")
    url = reverse("proposals:deadline_preview", args=[item.pk])
    assert login(world.user(Role.DEPUTY)).get(url, {"deadline_choice": "normal"}).status_code == 403
