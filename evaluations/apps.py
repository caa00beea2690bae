from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评议与考评")

    def ready(self) -> None:
        from evaluations.scorecards.wiring import connect as connect_scorecards
        from evaluations.units import wiring as units_wiring

        units_wiring.connect()
        connect_scorecards()
