from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresidiumConfig(AppConfig):
    name = "presidium"
    verbose_name = _("组织与主席团")

    def ready(self) -> None:
        from presidium import choice_labels, lookups, wiring  # noqa: F401 — lookups registers ``field__any``

        wiring.register()
        choice_labels.install()
