from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TermsConfig(AppConfig):
    """换届 — opening the next term, ending and carrying over deputies, switching the current term."""

    name = "presidium.terms"
    label = "terms"
    verbose_name = _("换届")

    def ready(self) -> None:
        from presidium.terms import wiring

        wiring.register()
