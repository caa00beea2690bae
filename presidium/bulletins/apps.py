from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "presidium.bulletins"
    label = "bulletins"
    verbose_name = _("简报")

    def ready(self) -> None:
        from presidium.bulletins import (
            access,  # noqa: F401 - defines the app's actions on the floor's access rules
            wiring,
        )

        wiring.connect()
