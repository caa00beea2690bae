"""The steps of a reception duty (the statuses themselves are the app's, in petitions/choices.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.choices import DutyStatus  # noqa: F401 - re-exported
from petitions.choices import ReceptionStatus as DayStatus  # noqa: F401 - re-exported


class DutyAction(models.TextChoices):
    SIGN_IN = "sign_in", _("签到")
    REQUEST_LEAVE = "request_leave", _("请假")
    MARK_ABSENT = "mark_absent", _("登记缺席")
    CONFIRM = "confirm", _("确认出席")
