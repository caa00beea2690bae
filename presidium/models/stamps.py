"""The stamp of the rows the lists' select options are read from (``presidium.choice_rows``)."""

from django.db import models


class ChoicesStamp(models.Model):
    """One row (id 1): the stamp of the tables in ``presidium.choice_rows.STAMPED_TABLES``, written only by the
    database's triggers (each app's migration puts them on its own tables)."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "选项数据戳"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return str(self.value)
