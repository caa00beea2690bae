"""The organisation: county, townships, terms, presidium, handling units, users and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from presidium.choices import (
    COUNTY_ROLES,
    TOWNSHIP_ROLES,
    UNIT_ROLES,
    HandlingUnitKind,
    PresidiumPosition,
    Role,
    TownshipKind,
)

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入 11 位手机号码，例如 13812345678。"))


class User(AbstractUser):
    """平台用户 — a person who logs in. Roles and their scope live in :class:`RoleAssignment`."""

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[mobile_validator])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class County(models.Model):
    """县/区 — the county (or district) whose standing committee guides its townships."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("县（区）")
        verbose_name_plural = _("县（区）")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    """乡镇/街道 — the tenant: every working record belongs to exactly one township."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("所属县（区）"))
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=TownshipKind.choices, default=TownshipKind.TOWN)
    code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    reply_deadline_months = models.PositiveSmallIntegerField(
        _("建议办理期限（月）"), default=3, help_text=_("交办后的办理期限，默认 3 个月。")
    )
    hard_case_deadline_months = models.PositiveSmallIntegerField(
        _("复杂建议办理期限（月）"), default=6, help_text=_("涉及面广、处理难度大的建议的办理期限，默认 6 个月。")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("乡镇（街道）")
        verbose_name_plural = _("乡镇（街道）")
        ordering = ["county__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="township_unique_name_in_county"),
            models.CheckConstraint(condition=Q(reply_deadline_months__gte=1) & Q(reply_deadline_months__lte=12),
                                   name="township_reply_deadline_1_12"),
        ]

    def __str__(self) -> str:
        return self.name

    def current_term(self) -> Term | None:
        return self.terms.filter(is_current=True).first()


class Term(models.Model):
    """届 — a five-year congress term of one township, e.g. 第十八届."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="terms", verbose_name=_("乡镇"))
    ordinal = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("届满日期"))
    is_current = models.BooleanField(_("本届"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("届次")
        verbose_name_plural = _("届次")
        ordering = ["township", "-ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["township", "ordinal"], name="term_unique_ordinal"),
            models.UniqueConstraint(fields=["township"], condition=Q(is_current=True), name="term_one_current"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="term_end_after_start"),
        ]

    def __str__(self) -> str:
        chinese = (get_language() or "zh-hans").startswith("zh")
        return _("第%(n)s届") % {"n": chinese_ordinal(self.ordinal) if chinese else self.ordinal}


def chinese_ordinal(number: int) -> str:
    """1..99 as Chinese numerals (十八, 二十一), as terms and bulletin issues are written."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    if number < 100:
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(number)


class PresidiumMembership(models.Model):
    """主席团成员 — a person's seat on the presidium for one term: chair, vice-chair or member."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="presidium_members", verbose_name=_("届次"))
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("账号"))
    position = models.CharField(_("职务"), max_length=20, choices=PresidiumPosition.choices)
    since = models.DateField(_("任职日期"), null=True, blank=True)
    until = models.DateField(_("离任日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("主席团成员")
        verbose_name_plural = _("主席团成员")
        ordering = ["term", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["term"], condition=Q(position="chair", until__isnull=True),
                                    name="presidium_one_sitting_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"


class HandlingUnit(models.Model):
    """承办单位 — a government office, station, village or enterprise that handles suggestions and petitions."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="handling_units", verbose_name=_("乡镇"))
    name = models.CharField(_("单位名称"), max_length=80)
    kind = models.CharField(_("单位类型"), max_length=30, choices=HandlingUnitKind.choices, default=HandlingUnitKind.STATION)
    responsible_leader = models.CharField(_("分管领导"), max_length=50, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["township", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="handling_unit_unique_name_in_township"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """角色授权 — one role of a user with its scope: a county, a township or a handling unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    county = models.ForeignKey(County, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("县（区）"))
    township = models.ForeignKey(Township, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("乡镇"))
    handling_unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, null=True, blank=True,
                                      verbose_name=_("承办单位"))
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role__in=sorted(r.value for r in COUNTY_ROLES), county__isnull=False, township__isnull=True,
                      handling_unit__isnull=True)
                    | Q(role__in=sorted(r.value for r in TOWNSHIP_ROLES), county__isnull=True, township__isnull=False,
                        handling_unit__isnull=True)
                    | Q(role__in=sorted(r.value for r in UNIT_ROLES), county__isnull=True, township__isnull=True,
                        handling_unit__isnull=False)
                ),
            ),
            models.UniqueConstraint(fields=["user", "role", "county"], condition=Q(county__isnull=False),
                                    name="role_unique_county_scope"),
            models.UniqueConstraint(fields=["user", "role", "township"], condition=Q(township__isnull=False),
                                    name="role_unique_township_scope"),
            models.UniqueConstraint(fields=["user", "role", "handling_unit"], condition=Q(handling_unit__isnull=False),
                                    name="role_unique_unit_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return self.county or self.township or self.handling_unit

    def clean(self) -> None:
        role = Role(self.role) if self.role else None
        if role in COUNTY_ROLES and (not self.county_id or self.township_id or self.handling_unit_id):
            raise ValidationError(_("县级角色只能授权到一个县（区），不能同时指定乡镇或承办单位。"))
        if role in TOWNSHIP_ROLES and (not self.township_id or self.county_id or self.handling_unit_id):
            raise ValidationError(_("乡镇角色只能授权到一个乡镇，不能同时指定县（区）或承办单位。"))
        if role in UNIT_ROLES and (not self.handling_unit_id or self.county_id or self.township_id):
            raise ValidationError(_("承办单位联络员只能授权到一个承办单位。"))
