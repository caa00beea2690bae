"""承办单位导入: a township's handling units from the spreadsheet the office already keeps.

Re-importing updates units by name (within the township) instead of duplicating them; a blank cell
keeps what the portal already has. Every write goes through ``handling_unit_create`` /
``handling_unit_update``; the import flow makes it all-or-nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presidium import access, services
from presidium.choices import HandlingUnitKind
from presidium.documents.import_flow import row_error
from presidium.documents.importing import (
    ImportField,
    ImportSchema,
    make_choice_parser,
    parse_bool,
    parse_name,
    parse_phone,
    parse_text,
)
from presidium.documents.parsers import is_blank, normalize
from presidium.documents.views import ImportFlow
from presidium.models import HandlingUnit

KIND_SYNONYMS = {
    "站": HandlingUnitKind.STATION, "所": HandlingUnitKind.STATION, "站所单位": HandlingUnitKind.STATION,
    "事业站所": HandlingUnitKind.STATION, "七站八所": HandlingUnitKind.STATION,
    "村委会": HandlingUnitKind.VILLAGE, "居委会": HandlingUnitKind.VILLAGE, "村居": HandlingUnitKind.VILLAGE,
    "行政村": HandlingUnitKind.VILLAGE, "村(居)": HandlingUnitKind.VILLAGE, "村社区": HandlingUnitKind.VILLAGE,
    "政府部门": HandlingUnitKind.GOVERNMENT_OFFICE, "政府办公室": HandlingUnitKind.GOVERNMENT_OFFICE,
    "办公室": HandlingUnitKind.GOVERNMENT_OFFICE, "机关": HandlingUnitKind.GOVERNMENT_OFFICE,
    "内设机构": HandlingUnitKind.GOVERNMENT_OFFICE, "镇直部门": HandlingUnitKind.GOVERNMENT_OFFICE,
    "乡直部门": HandlingUnitKind.GOVERNMENT_OFFICE, "部门": HandlingUnitKind.GOVERNMENT_OFFICE,
    "企业": HandlingUnitKind.ENTERPRISE, "事业单位": HandlingUnitKind.ENTERPRISE,
    "企事业": HandlingUnitKind.ENTERPRISE, "国企": HandlingUnitKind.ENTERPRISE,
}
VILLAGE_SUFFIXES = ("村", "社区", "村委会", "居委会", "村民委员会", "居民委员会")


def parse_active(value) -> bool | None:
    """"在用/停用" as the unit list shows it, or the usual 是/否."""
    if not is_blank(value) and normalize(value) in {"在用", "启用", "正常"}:
        return True
    if not is_blank(value) and normalize(value) in {"停用", "撤销", "已撤销", "注销"}:
        return False
    return parse_bool(value)


def _max_length(field_name: str) -> int:
    return HandlingUnit._meta.get_field(field_name).max_length


class UnitImportSchema(ImportSchema):
    title = "承办单位名单"
    sheet_name = "承办单位"
    unique_keys = ("name",)
    max_rows = 1000
    fields = [
        ImportField("name", "单位名称", ("名称", "单位", "承办单位", "单位全称", "承办单位名称"), required=True,
                    parse=parse_text, example="财政所", width=26),
        ImportField("kind", "单位类型", ("类型", "单位类别", "类别", "单位性质"),
                    parse=make_choice_parser(HandlingUnitKind, KIND_SYNONYMS), example=HandlingUnitKind.STATION,
                    help_text="可选：" + "、".join(str(label) for label in HandlingUnitKind.labels)
                    + "；新增的村、社区可不填"),
        ImportField("responsible_leader", "分管领导", ("分管镇领导", "分管乡领导", "分管负责人", "联系领导"),
                    parse=parse_name, example="王建国"),
        ImportField("contact_person", "联系人", ("经办人", "联络员", "联系人姓名"), parse=parse_name,
                    example="李红梅"),
        ImportField("contact_phone", "联系电话", ("电话", "手机", "手机号码", "联系方式", "办公电话", "联系人电话"),
                    parse=parse_phone, example="13812345678", width=16),
        ImportField("is_active", "是否在用", ("在用", "状态", "是否启用"), parse=parse_active,
                    help_text="填“在用”或“停用”（也可填是/否），不填则新增的单位为在用"),
    ]
    instructions = (
        "按“单位名称”对应：系统中已有同名单位的，用表中的内容更新；没有的，新增。",
        "留空的单元格不会清除系统中已有的内容。",
    )

    def __init__(self, *, township=None, **kwargs):
        super().__init__(**kwargs)
        self.township = township
        self.existing: set[str] = set()
        if township is not None:
            self.existing = set(HandlingUnit.objects.filter(township=township).values_list("name", flat=True))

    def clean_row(self, values: dict) -> dict:
        errors = {}
        for key in ("name", "responsible_leader", "contact_person"):
            if len(values.get(key) or "") > _max_length(key):
                errors[key] = _("不能超过 %(n)s 个字。") % {"n": _max_length(key)}
        name = values.get("name") or ""
        if not values.get("kind") and name not in self.existing:
            if name.endswith(VILLAGE_SUFFIXES):
                values["kind"] = HandlingUnitKind.VILLAGE
            else:
                errors["kind"] = _("新增的单位必须填写单位类型。")
        if errors:
            raise ValidationError(errors)
        return values

    def row_note(self, values: dict) -> str:
        if self.township is None:
            return ""
        return _("更新") if values["name"] in self.existing else _("新增")


UPDATABLE = ("kind", "responsible_leader", "contact_person", "contact_phone", "is_active")


def _differs(unit: HandlingUnit, key: str, value) -> bool:
    """A blank cell keeps the stored value; a phone is compared as digits ("0794-6200022" is unchanged)."""
    if value in (None, ""):
        return False
    current = getattr(unit, key)
    if key == "contact_phone" and current:
        try:
            return parse_phone(current) != value
        except ValidationError:
            return True
    return value != current


def commit_units(preview, batch, by) -> dict:
    """Create or update each row's unit by name; blank cells leave the stored value alone."""
    township = batch.township
    existing = {unit.name: unit for unit in HandlingUnit.objects.filter(township=township)}
    created = updated = unchanged = 0
    for row in preview.rows:
        values = row.values
        try:
            unit = existing.get(values["name"])
            if unit is None:
                unit = services.handling_unit_create(
                    township=township, by=by, name=values["name"], kind=values["kind"],
                    responsible_leader=values.get("responsible_leader") or "",
                    contact_person=values.get("contact_person") or "",
                    contact_phone=values.get("contact_phone") or "",
                    is_active=True if values.get("is_active") is None else values["is_active"],
                )
                existing[unit.name] = unit
                created += 1
                continue
            changes = {key: values[key] for key in UPDATABLE if _differs(unit, key, values.get(key))}
            if changes:
                services.handling_unit_update(unit=unit, by=by, **changes)
                updated += 1
            else:
                unchanged += 1
        except ValidationError as error:
            raise row_error(row, error) from None
    return {"created": created, "updated": updated, "unchanged": unchanged}


unit_import_flow = ImportFlow(
    kind="handling_units",
    title=gettext_lazy("导入承办单位"),
    action=access.MANAGE_ORGANISATION,
    schema=UnitImportSchema,
    commit=commit_units,
    url_name="documents:unit_import",
    back_url_name="presidium:unit_list",
    intro=gettext_lazy("按单位名称对应：已有的单位更新，没有的新增；留空的单元格不会清除已有内容。"),
    template_filename="承办单位导入模板.xlsx",
)
