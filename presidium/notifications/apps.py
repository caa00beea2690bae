from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "presidium.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def ready(self) -> None:
        from presidium.notifications import wiring

        wiring.register()
