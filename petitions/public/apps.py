from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsPublicConfig(AppConfig):
    """网上信访与信访查询: the public pages, the rate limit they need, and the notices' downloads.

    Its ``wiring.register()`` is called by the petitions app's ``wiring.connect()`` (p-core), once.
    """

    name = "petitions.public"
    label = "petitions_public"
    verbose_name = _("网上信访与信访查询")

