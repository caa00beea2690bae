from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "presidium.meetings"
    label = "meetings"
    verbose_name = _("会议活动")

    def ready(self) -> None:
        from presidium.meetings import (
            access,  # noqa: F401 - defines the app's actions on the floor's access rules
            wiring,
        )

        wiring.connect()
