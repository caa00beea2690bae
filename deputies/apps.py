from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("人大代表")

    def ready(self) -> None:
        from deputies import wiring

        wiring.register()
