"""The registry: deputies, constituencies, groups, liaison stations, status changes, data access log."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deputies.choices import (
    DeputyLevel,
    DeputyStatus,
    Education,
    Ethnicity,
    Gender,
    GroupKind,
    HigherLevel,
    PersonalDataPurpose,
    PoliticalAffiliation,
    Sector,
    StationKind,
    StationLevel,
    StationStaffRole,
)
from deputies.pii import mask_address, mask_id_number, mask_phone
from presidium.crypto import EncryptedCharField
from presidium.documents.storage import private_storage

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入 11 位手机号码，例如 13812345678。"))


def deputy_photo_path(instance, filename: str) -> str:
    # Never keep the uploader's file name: it may carry a name or ID number.
    return f"deputies/photos/{instance.township_id}/{uuid.uuid4().hex}.jpg"


class Constituency(models.Model):
    """选区 — an electoral district of the township congress; each elects one to three deputies."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="constituencies",
                                 verbose_name=_("乡镇"))
    term = models.ForeignKey("presidium.Term", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="constituencies", verbose_name=_("届次"))
    copied_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies",
                                    editable=False, verbose_name=_("由上届复制"))
    name = models.CharField(_("选区名称"), max_length=50)
    name_sort_key = models.CharField(_("排序键"), max_length=200, blank=True, editable=False,
                                     help_text=_("名称中的数字按数值排序（第三在第三十一之前），由服务写入。"))
    villages = models.CharField(_("包含的村（社区）、村民小组"), max_length=300, blank=True,
                                help_text=_("用顿号或逗号分隔，例如：东风村一组、东风村二组。"))
    seats = models.PositiveSmallIntegerField(
        _("应选代表名额"), default=1, validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("每个选区选举一至三名代表。"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["township", "name_sort_key", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "term", "name"], name="constituency_unique_name_in_term"),
            models.UniqueConstraint(fields=["township", "name"], condition=Q(term__isnull=True),
                                    name="constituency_unique_name_no_term"),
            models.CheckConstraint(condition=Q(seats__gte=1) & Q(seats__lte=3), name="constituency_seats_1_3"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("deputies:constituency_list") + f"?township={self.township_id}"


class DeputyGroup(models.Model):
    """代表小组 / 代表大组 — deputies grouped by village or sector; small groups may sit under a big group."""

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="deputy_groups",
                                 verbose_name=_("乡镇"))
    term = models.ForeignKey("presidium.Term", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deputy_groups", verbose_name=_("届次"))
    copied_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies",
                                    editable=False, verbose_name=_("由上届复制"))
    name = models.CharField(_("名称"), max_length=50)
    name_sort_key = models.CharField(_("排序键"), max_length=200, blank=True, editable=False,
                                     help_text=_("名称中的数字按数值排序（第三在第三十一之前），由服务写入。"))
    kind = models.CharField(_("类型"), max_length=10, choices=GroupKind.choices, default=GroupKind.SMALL)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="subgroups",
                               verbose_name=_("所属代表大组"))
    leader = models.ForeignKey("deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("组长"))
    deputy_leader = models.ForeignKey("deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("副组长"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["township", "sort_order", "name_sort_key", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "term", "name"], name="deputy_group_unique_name_in_term"),
            models.UniqueConstraint(fields=["township", "name"], condition=Q(term__isnull=True),
                                    name="deputy_group_unique_name_no_term"),
            models.CheckConstraint(condition=Q(kind="small") | Q(parent__isnull=True), name="deputy_group_big_no_parent"),
            models.CheckConstraint(condition=Q(leader__isnull=True) | Q(deputy_leader__isnull=True)
                                   | ~Q(leader=models.F("deputy_leader")), name="deputy_group_two_leaders"),
        ]

    def __str__(self) -> str:
        return self.name


class LiaisonStation(models.Model):
    """代表联络站 / 代表之家 / 代表工作室 — where deputies receive voters; the 五有 checklist and a star rating."""

    FIVE_HAS = ("has_place", "has_sign", "has_rules", "has_activities", "has_records")

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="liaison_stations",
                                 verbose_name=_("乡镇"))
    term = models.ForeignKey("presidium.Term", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="liaison_stations", verbose_name=_("届次"))
    copied_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies",
                                    editable=False, verbose_name=_("由上届复制"))
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=10, choices=StationKind.choices, default=StationKind.STATION)
    level = models.CharField(_("层级"), max_length=10, choices=StationLevel.choices, default=StationLevel.TOWNSHIP)
    village = models.CharField(_("所在村（社区）"), max_length=50, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    reception_schedule = models.CharField(_("接待安排"), max_length=200, blank=True,
                                          help_text=_("例如：每月 15 日上午 9:00–12:00，代表轮流进站接待选民。"))
    has_place = models.BooleanField(_("有固定场所"), default=False)
    has_sign = models.BooleanField(_("有标识牌匾"), default=False)
    has_rules = models.BooleanField(_("有工作制度"), default=False)
    has_activities = models.BooleanField(_("有活动计划"), default=False)
    has_records = models.BooleanField(_("有工作台账"), default=False)
    star_rating = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(5)])
    is_active = models.BooleanField(_("在用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["township", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "term", "name"], name="liaison_station_unique_name_in_term"),
            models.UniqueConstraint(fields=["township", "name"], condition=Q(term__isnull=True),
                                    name="liaison_station_unique_name_no_term"),
            models.CheckConstraint(condition=Q(star_rating__isnull=True) | (Q(star_rating__gte=1) & Q(star_rating__lte=5)),
                                   name="liaison_station_stars_1_5"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def stars(self) -> str:
        return "★" * (self.star_rating or 0)

    @property
    def five_has_done(self) -> int:
        return sum(1 for name in self.FIVE_HAS if getattr(self, name))

    def five_has_items(self) -> list[tuple[str, bool]]:
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.FIVE_HAS]


class StationStaff(models.Model):
    """联络站工作人员 — the head, deputy heads and liaison of a station (a deputy or a township worker)."""

    station = models.ForeignKey(LiaisonStation, on_delete=models.CASCADE, related_name="staff",
                                verbose_name=_("联络站"))
    role = models.CharField(_("职务"), max_length=20, choices=StationStaffRole.choices)
    name = models.CharField(_("姓名"), max_length=50)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="station_posts", verbose_name=_("代表"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联络站工作人员")
        verbose_name_plural = _("联络站工作人员")
        ordering = ["station", "role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["station"], condition=Q(role="head"), name="station_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"


class Deputy(models.Model):
    """人大代表 — a deputy of one term: township level, county level based in the township, or both.

    Name pinyin and the ID-number digest are computed by the services; personal fields (ID number,
    mobile, address) are shown through :meth:`masked` unless the viewer administers deputies.
    """

    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, related_name="deputies",
                                 verbose_name=_("乡镇"))
    term = models.ForeignKey("presidium.Term", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deputies", verbose_name=_("届次"))
    # 连任: the same person's row in the term before; the old row keeps its history, this one the new term's.
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor",
                                    editable=False, verbose_name=_("上届代表记录"))
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin = models.CharField(_("姓名拼音"), max_length=120, db_index=True, editable=False)
    name_initials = models.CharField(_("拼音首字母"), max_length=20, db_index=True, editable=False)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.HAN)
    birth_date = models.DateField(_("出生年月"), null=True, blank=True)
    affiliation = models.CharField(_("政治面貌"), max_length=20, choices=PoliticalAffiliation.choices,
                                   default=PoliticalAffiliation.MASSES)
    education = models.CharField(_("文化程度"), max_length=20, choices=Education.choices, blank=True)
    sector = models.CharField(_("界别（代表构成）"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    work_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[mobile_validator])
    id_number = EncryptedCharField(_("身份证号码"), max_length=18, blank=True,
                                   help_text=_("加密保存；按摘要列查重，不能按号码检索。"))
    id_number_digest = models.CharField(_("身份证号码摘要"), max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    level = models.CharField(_("代表层级"), max_length=10, choices=DeputyLevel.choices, default=DeputyLevel.TOWNSHIP)
    higher_level = models.CharField(_("同时是"), max_length=10, choices=HigherLevel.choices, blank=True)
    elected_on = models.DateField(_("当选日期"), null=True, blank=True)
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="deputies", verbose_name=_("选区"))
    group = models.ForeignKey(DeputyGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
                              verbose_name=_("代表小组"))
    station = models.ForeignKey(LiaisonStation, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="deputies", verbose_name=_("联络站"))
    photo = models.FileField(_("照片"), storage=private_storage, upload_to=deputy_photo_path, blank=True,
                             max_length=200)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="deputy_profile", verbose_name=_("登录账号"))
    status = models.CharField(_("状态"), max_length=20, choices=DeputyStatus.choices, default=DeputyStatus.SERVING)
    status_since = models.DateField(_("状态日期"), null=True, blank=True)
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The ID number is never copied into the history table; its digest shows that it changed.
    history = HistoricalRecords(excluded_fields=["id_number", "photo"])

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["name_pinyin", "name", "pk"]
        indexes = [
            models.Index(fields=["township", "status", "name_pinyin"], name="deputy_township_status_py"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["township", "term", "id_number_digest"], condition=~Q(id_number_digest=""),
                                    name="deputy_unique_id_in_term"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in DeputyStatus]), name="deputy_status_valid"),
            models.CheckConstraint(condition=Q(status="serving") | Q(status_since__isnull=False),
                                   name="deputy_departure_dated"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("deputies:deputy_detail", args=[self.pk])

    @property
    def is_serving(self) -> bool:
        return self.status == DeputyStatus.SERVING

    @property
    def sits_in_township_congress(self) -> bool:
        return self.level in (DeputyLevel.TOWNSHIP, DeputyLevel.BOTH)

    def age_on(self, day: dt.date) -> int | None:
        if not self.birth_date:
            return None
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        return self.age_on(timezone.localdate())

    @property
    def masked_mobile(self) -> str:
        return mask_phone(self.mobile)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)

    @property
    def work_unit_and_post(self) -> str:
        return "".join(part for part in (self.work_unit, self.post) if part)


class DeputyStatusChange(models.Model):
    """代表资格变动 — one change of a deputy's status, with its date and reason (resignation, recall ...)."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("代表"))
    from_status = models.CharField(_("原状态"), max_length=20, choices=DeputyStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=DeputyStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代表资格变动")
        verbose_name_plural = _("代表资格变动")
        ordering = ["deputy", "-effective_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=models.F("to_status")), name="status_change_changes"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_from_status_display()} → {self.get_to_status_display()}"


class PersonalDataAccess(models.Model):
    """个人信息查看记录 — who saw deputies' personal data unmasked, when, where and why (PIPL art. 51)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("查看人"))
    township = models.ForeignKey("presidium.Township", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("乡镇"))
    deputy = models.ForeignKey(Deputy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("代表"))
    purpose = models.CharField(_("用途"), max_length=20, choices=PersonalDataPurpose.choices)
    fields = models.CharField(_("字段"), max_length=100)
    row_count = models.PositiveIntegerField(_("涉及人数"), default=1)
    path = models.CharField(_("页面"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {self.at:%Y-%m-%d %H:%M}"
