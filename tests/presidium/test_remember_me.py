""""在本机保持登录": a long session on a device the person chose, still ended by a password change."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "Renda2026!"
HOUR = 60 * 60
DAY = 24 * HOUR


@pytest.fixture
def farmer(db, settings):
    settings.AXES_ENABLED = False
    user = UserFactory(username="nongmin")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(remember: bool) -> Client:
    client = Client()
    data = {"username": "nongmin", "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_it_offers_the_choice_on_the_login_form(farmer):
    page = Client().get(reverse("login")).content.decode()
    assert "在本机保持登录" in page and 'name="remember"' in page and "30 天内不必再登录" in page


def test_it_keeps_a_remembered_session_for_remember_me_days(farmer, settings):
    settings.REMEMBER_ME_DAYS = 30
    client = log_in(remember=True)
    assert 30 * DAY - 60 <= client.session.get_expiry_age() <= 30 * DAY
    assert 30 * DAY - 60 <= client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] <= 30 * DAY
    assert client.get(reverse("home")).status_code == 200


def test_it_keeps_the_twelve_hours_without_the_tick(farmer, settings):
    client = log_in(remember=False)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 12 * HOUR
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * HOUR


def test_it_ends_a_remembered_session_when_the_password_changes(farmer):
    phone = log_in(remember=True)
    desktop = log_in(remember=False)
    response = desktop.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Qingshi#2027", "new_password2": "Qingshi#2027"})
    assert response.status_code == 302
    assert desktop.get(reverse("home")).status_code == 200  # the device that changed it stays in
    answer = phone.get(reverse("home"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
