"""Demo messages: every demo account finds a welcome and a settings tip in its inbox. Idempotent."""

from __future__ import annotations

from django.urls import reverse

from presidium.models import User
from presidium.notifications.models import Notification
from presidium.notifications.services import notify

DEMO_MESSAGES = [
    ("demo.welcome", "欢迎使用乡镇人大主席团工作平台",
     "交办、答复、办理期限等消息都会显示在这里。点击一条消息即可打开相关事项，并自动标为已读。", "home"),
    ("demo.settings_tip", "请核对您的手机号码和邮箱",
     "到期提醒除站内消息外，还可以通过邮件或短信发送。请在“个人设置”中核对联系方式，选择提醒方式。",
     "account_settings"),
]


def seed_notifications(*, scale: int = 1, stdout=None) -> None:
    from presidium.demo import DEMO_ACCOUNTS

    users = list(User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]))
    for kind, title, body, url_name in DEMO_MESSAGES:
        done = set(Notification.objects.filter(kind=kind, recipient__in=users).values_list("recipient_id", flat=True))
        notify(recipients=[u for u in users if u.pk not in done], title=title, body=body,
               url=reverse(url_name), kind=kind, channels=())  # in-app only: no demo mail
