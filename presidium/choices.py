"""Choices of the organisation floor. TextChoices only: never bare strings in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user is in the portal. A user may hold several, each with its own scope."""

    COUNTY_ADMIN = "county_admin", _("县人大常委会管理员")
    COUNTY_REVIEWER = "county_reviewer", _("县人大常委会审阅人")
    PRESIDIUM_CHAIR = "presidium_chair", _("主席团主席")
    PRESIDIUM_STAFF = "presidium_staff", _("人大办工作人员")
    DEPUTY = "deputy", _("人大代表")
    UNIT_LIAISON = "unit_liaison", _("承办单位联络员")


COUNTY_ROLES = frozenset({Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER})
TOWNSHIP_ROLES = frozenset({Role.PRESIDIUM_CHAIR, Role.PRESIDIUM_STAFF, Role.DEPUTY})
UNIT_ROLES = frozenset({Role.UNIT_LIAISON})


class TownshipKind(models.TextChoices):
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    ETHNIC_TOWNSHIP = "ethnic_township", _("民族乡")
    SUBDISTRICT = "subdistrict", _("街道")


class PresidiumPosition(models.TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    MEMBER = "member", _("成员")


class HandlingUnitKind(models.TextChoices):
    GOVERNMENT_OFFICE = "government_office", _("政府办公室/部门")
    STATION = "station", _("站所")
    VILLAGE = "village", _("村（社区）")
    ENTERPRISE = "enterprise", _("企事业单位")
    OTHER = "other", _("其他")
