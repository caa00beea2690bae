from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "presidium.votes"
    label = "votes"
    verbose_name = _("表决与民生实事")

    def ready(self) -> None:
        from presidium.votes import (
            access,  # noqa: F401 - defines the app's actions on the floor's access rules
            wiring,
        )

        wiring.connect()
