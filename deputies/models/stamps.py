"""The stamp of the rows the lists' select options are read from (``deputies.choice_rows``)."""

from django.db import models

# The tables whose rows name a deputies list's options: the townships (and their county), the terms, the groups,
# the stations and the constituencies. A database trigger on each (migration 0013) writes a new random stamp on
# every insert, update, delete or truncate, in the writing transaction: whatever writes them (a service, the admin,
# an import, ``QuerySet.update()``, raw SQL), the stamp a reader sees changes when the rows it sees change.
STAMPED_TABLES = ("presidium_county", "presidium_township", "presidium_term", "deputies_deputygroup",
                  "deputies_liaisonstation", "deputies_constituency")


class ChoicesStamp(models.Model):
    """One row (id 1): the stamp of the :data:`STAMPED_TABLES`, written only by the database's triggers."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "选项数据戳"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.value)
