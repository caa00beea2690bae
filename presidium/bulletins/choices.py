"""Choices of the bulletins app (简报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinKind(models.TextChoices):
    """The kinds of bulletin the presidiums issue (DOMAIN.md "Bulletins and reports")."""

    NEWS = "news", _("人大信息")
    SUPERVISION = "supervision", _("督查通报")
    BRIEFING = "briefing", _("政情通报")
    LIAISON = "liaison", _("代表联络简报")


class IssueState(models.TextChoices):
    """An issue's lifecycle: draft → signed_off (签发: the number is given) → published; voided from any."""

    DRAFT = "draft", _("草稿")
    SIGNED_OFF = "signed_off", _("已签发")
    PUBLISHED = "published", _("已印发")
    VOIDED = "voided", _("已作废")


class DistributionLine(models.TextChoices):
    """The lines of the distribution (分送) at an issue's foot: 报 superiors, 送 peers, 发 those below."""

    REPORT = "report", _("报")
    SEND = "send", _("送")
    ISSUE = "issue", _("发")


class RecipientKind(models.TextChoices):
    DEPUTY = "deputy", _("代表")
    ALL_DEPUTIES = "all_deputies", _("全体代表")
    UNIT = "unit", _("单位")
    TEXT = "text", _("其他")


class NumberRecordKind(models.TextChoices):
    """Why an issue number is not printed on a published issue: skipped by an override, or voided with its issue."""

    SKIPPED = "skipped", _("跳号")
    VOIDED = "voided", _("作废")
