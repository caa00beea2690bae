"""The inbox, opening and marking notifications, the unread badge, and the personal settings page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from presidium.notifications.models import Notification, NotificationPreference
from presidium.notifications.services import notify
from presidium.notifications.wiring import unread_notifications_context
from tests.factories import UserFactory


def _make(user, n, *, read=False, title="消息"):
    notifications = []
    for i in range(n):
        (created,) = notify(recipients=[user], title=f"{title}{i}", url="/", channels=())
        notifications.append(created)
    if read:
        Notification.objects.filter(pk__in=[x.pk for x in notifications]).update(read_at=timezone.now())
    return notifications


@pytest.fixture
def deputy(world):
    return world.user("deputy")


def test_it_lists_only_my_notifications_with_the_unread_first(deputy, world, login):
    old_unread = _make(deputy, 1, title="旧未读")[0]
    Notification.objects.filter(pk=old_unread.pk).update(created_at=timezone.now() - timedelta(days=3))
    _make(deputy, 1, title="新已读", read=True)
    _make(world.other_staff, 1, title="别人的")
    body = login(deputy).get(reverse("notifications:inbox")).content.decode()
    assert "别人的" not in body
    assert body.index("旧未读0") < body.index("新已读0")
    assert 'data-testid="inbox-unread"' in body


def test_it_filters_to_the_unread(deputy, login):
    _make(deputy, 1, title="未读的")
    _make(deputy, 1, title="读过的", read=True)
    body = login(deputy).get(reverse("notifications:inbox"), {"show": "unread"}).content.decode()
    assert "未读的0" in body and "读过的0" not in body


def test_it_answers_a_bad_filter_value_without_an_error(deputy, login):
    response = login(deputy).get(reverse("notifications:inbox"), {"show": "<script>"})
    assert response.status_code == 200


def test_it_pages_the_inbox_in_a_bounded_number_of_queries(deputy, login, django_assert_max_num_queries):
    client = login(deputy)
    _make(deputy, 5)
    with django_assert_max_num_queries(8) as first:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    _make(deputy, 40)
    _make(deputy, 10, read=True)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("notifications:inbox"))
    assert len(response.context["object_list"]) == 20
    assert "共 55 条" in response.content.decode()


def test_it_marks_a_notification_read_on_open_and_goes_to_its_link(deputy, login):
    (notification,) = notify(recipients=[deputy], title="请答复", url="/org/units/", channels=())
    response = login(deputy).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/org/units/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    first_read = notification.read_at
    login(deputy).get(reverse("notifications:open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read, "reading again keeps the first reading time"


def test_it_returns_to_the_inbox_when_the_notification_has_no_link(deputy, login):
    (notification,) = notify(recipients=[deputy], title="无链接", channels=())
    response = login(deputy).get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_it_hides_another_users_notification_even_from_a_superuser(deputy, world, login):
    """Another user's notification is a 404, and opening it does not mark it read."""
    (notification,) = notify(recipients=[deputy], title="私人", channels=())
    for intruder in (world.user("presidium_staff"), world.other_staff, UserFactory(is_superuser=True)):
        response = login(intruder).get(reverse("notifications:open", args=[notification.pk]))
        assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_marks_all_my_notifications_read_and_no_one_elses(deputy, world, login):
    _make(deputy, 3)
    _make(world.other_staff, 2)
    client = login(deputy)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert Notification.objects.filter(recipient=deputy, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=world.other_staff, read_at__isnull=True).count() == 2


def test_it_sends_anonymous_visitors_to_the_login_page(db, client):
    for name in ("notifications:inbox", "account_settings"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302


def test_it_shows_the_unread_count_in_the_navigation_with_one_query(deputy, login, rf,
                                                                    django_assert_num_queries):
    _make(deputy, 4)
    _make(deputy, 2, read=True)
    request = rf.get("/")
    request.user = deputy
    with django_assert_num_queries(1):
        assert unread_notifications_context(request) == {"unread_notifications": 4}
    body = login(deputy).get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">4<' in body


def test_it_shows_my_settings_with_channels_off_where_i_have_no_address(world, login):
    user = UserFactory(email="", mobile="13812345678")
    response = login(user).get(reverse("account_settings"))
    form = response.context["form"]
    assert form.initial["email_enabled"] is False and form.initial["sms_enabled"] is False
    assert "站内消息" in response.content.decode()


def test_it_saves_my_profile_and_channels(deputy, login):
    response = login(deputy).post(reverse("account_settings"), {
        "real_name": "冯国强", "mobile": "13812345678", "email": "feng@example.com",
        "email_enabled": "on", "sms_enabled": "on",
    }, follow=True)
    assert "个人设置已保存" in response.content.decode()
    deputy.refresh_from_db()
    assert (deputy.real_name, deputy.mobile, deputy.email) == ("冯国强", "13812345678", "feng@example.com")
    preference = NotificationPreference.objects.get(user=deputy)
    assert preference.email_enabled and preference.sms_enabled


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"mobile": "12345"}, "mobile", "请输入 11 位手机号码"),
    ({"email": "not-an-address"}, "email", "请输入有效的邮箱地址"),
    ({"sms_enabled": "on", "mobile": ""}, "mobile", "开启短信提醒需要填写手机号码"),
    ({"real_name": ""}, "real_name", "请填写姓名"),
])
def test_it_explains_bad_settings_in_chinese_and_saves_nothing(deputy, login, data, field, message):
    before = (deputy.real_name, deputy.mobile, deputy.email)
    post = {"real_name": "新名字", "mobile": "", "email": deputy.email, **data}
    response = login(deputy).post(reverse("account_settings"), post)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "已填写的内容已保留" in response.content.decode()
    deputy.refresh_from_db()
    assert (deputy.real_name, deputy.mobile, deputy.email) == before
    assert not NotificationPreference.objects.filter(user=deputy).exists()
