from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("信访")

    def ready(self) -> None:
        from petitions import (
            access,  # noqa: F401 - defines the app's actions on the floor's access rules
            wiring,
        )

        wiring.connect()
