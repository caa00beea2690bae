"""The eve-of-duty reminder: the afternoon before a reception day, whoever is on duty then is told once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petitions.reception import services
from petitions.reception.reminders import EVE, eve_of
from presidium.choices import Role
from presidium.notifications.models import Notification, Reminder
from presidium.notifications.reminders import send_due_reminders
from tests.factories import DeputyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    me = DeputyFactory(township=world.township, name="冯国强", user=world.user(Role.DEPUTY))
    mate = DeputyFactory(township=world.township, name="王立新", user=UserFactory(username="wang_lixin"))
    spare = DeputyFactory(township=world.township, name="李春华", user=UserFactory(username="li_chunhua"))
    no_account = DeputyFactory(township=world.township, name="张海")
    return {"me": me, "mate": mate, "spare": spare, "no_account": no_account}


def _day(world, date, deputies):
    return services.reception_day_create(township=world.township, date=date, place="镇人大代表联络站",
                                         by=world.user(Role.PRESIDIUM_STAFF), deputies=deputies)


def test_it_tells_those_on_duty_on_the_eve_and_not_who_took_leave(world, people):
    staff = world.user(Role.PRESIDIUM_STAFF)
    date = timezone.localdate() + dt.timedelta(days=5)
    day = _day(world, date, [people["me"], people["mate"], people["no_account"]])
    assert Reminder.objects.get(object_id=day.pk, kind=EVE).due_at == eve_of(date)
    services.reception_duty_request_leave(duty=day.duties.get(deputy=people["mate"]), reason="外出务工",
                                          by=people["mate"].user)
    services.reception_duty_add(day=day, deputy=people["spare"], by=staff)  # 替班 after the rota was made

    send_due_reminders(now=eve_of(date) - dt.timedelta(minutes=1))
    assert not Notification.objects.filter(kind="reminder.reception.duty_eve").exists()  # not before the eve
    send_due_reminders(now=eve_of(date) + dt.timedelta(minutes=5))
    send_due_reminders(now=eve_of(date) + dt.timedelta(hours=2))  # a second pass sends nothing again
    told = Notification.objects.filter(kind="reminder.reception.duty_eve")
    assert sorted(n.recipient.username for n in told) == sorted([people["me"].user.username, "li_chunhua"])
    assert f"{date:%Y-%m-%d}" in told.first().title and "镇人大代表联络站" in told.first().title
    assert "请假" in told.first().body


def test_it_says_nothing_for_a_cancelled_day_and_arms_nothing_for_a_past_one(world, people):
    staff = world.user(Role.PRESIDIUM_STAFF)
    date = timezone.localdate() + dt.timedelta(days=3)
    day = _day(world, date, [people["me"]])
    services.reception_day_cancel(day=day, by=staff, reason="遇县人大常委会集中视察")
    send_due_reminders(now=eve_of(date) + dt.timedelta(minutes=5))
    assert not Notification.objects.filter(kind="reminder.reception.duty_eve").exists()
    past = _day(world, timezone.localdate() - dt.timedelta(days=7), [people["me"]])
    assert not Reminder.objects.filter(object_id=past.pk, kind=EVE).exists()


def test_it_reads_the_accounts_told_and_not_the_deputies_records(world, people):
    """The duties' read takes the accounts' columns the notice and its e-mail need, not the deputy's record
    (whose encrypted id number cost a decryption per duty): the same people are told, with their addresses."""
    people["me"].user.email, people["me"].user.mobile = "me@example.org", "13800000009"
    people["me"].user.save(update_fields=["email", "mobile"])
    people["me"].id_number = "110101199001011234"
    people["me"].save(update_fields=["id_number"])
    date = timezone.localdate() + dt.timedelta(days=5)
    _day(world, date, [people["me"], people["mate"]])
    with CaptureQueriesContext(connection) as queries:
        send_due_reminders(now=eve_of(date) + dt.timedelta(minutes=5))
    duties = [q["sql"] for q in queries.captured_queries if "reception" in q["sql"] and "duty" in q["sql"]
              and q["sql"].lstrip().upper().startswith("SELECT")]
    assert duties and not any("id_number" in sql for sql in duties)
    told = Notification.objects.filter(kind="reminder.reception.duty_eve").order_by("recipient__username")
    assert sorted(n.recipient.username for n in told) == sorted([people["me"].user.username, "wang_lixin"])
    from presidium.notifications.models import OutboxMessage
    assert set(OutboxMessage.objects.filter(recipient=people["me"].user).values_list("channel", "address")) >= {
        ("email", "me@example.org")}
