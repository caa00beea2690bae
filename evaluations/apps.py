from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评议与考评")

    def ready(self) -> None:
        from evaluations.units import wiring as units_wiring

        units_wiring.connect()
