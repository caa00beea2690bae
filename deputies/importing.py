"""代表名册导入: the roster offices already keep in Excel, through the foundation's import helper.

Rows are matched to deputies of the township's current term by ID number (through its keyed
digest), else by name and birth year-month; a match is updated (blank cells keep what the portal
has), anything else is created. Constituencies, groups and stations named in the sheet are looked
up by name and created when missing (a first import into an empty township needs no set-up).
Every write goes through the services; the import flow makes the whole sheet all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies import access as deputies_access
from deputies import pii, services
from deputies.choices import (
    TOWNSHIP_SEAT_LEVELS,
    DeputyLevel,
    DeputyStatus,
    Education,
    Ethnicity,
    Gender,
    GroupKind,
    PoliticalAffiliation,
    Sector,
    StationKind,
)
from deputies.import_checks import check_roster_preview
from deputies.models import Constituency, Deputy, DeputyGroup, LiaisonStation
from deputies.selectors import in_term_q
from presidium.documents.import_flow import row_error
from presidium.documents.importing import (
    ImportField,
    ImportSchema,
    make_choice_parser,
    parse_date,
    parse_name,
    parse_phone,
    parse_text,
)
from presidium.documents.parsers import is_blank, normalize
from presidium.documents.views import ImportFlow
from presidium.models import Term

ETHNICITY_SYNONYMS = {str(label)[:-1]: value for value, label in Ethnicity.choices if len(str(label)) > 2}
ETHNICITY_SYNONYMS.update({"汉": Ethnicity.HAN, "1": Ethnicity.HAN, "蒙": Ethnicity.MONGOL, "维吾尔": Ethnicity.UYGHUR,
                           "维族": Ethnicity.UYGHUR})
AFFILIATION_SYNONYMS = {
    "党员": PoliticalAffiliation.CPC_MEMBER, "中共": PoliticalAffiliation.CPC_MEMBER,
    "中国共产党党员": PoliticalAffiliation.CPC_MEMBER, "共产党员": PoliticalAffiliation.CPC_MEMBER,
    "预备党员": PoliticalAffiliation.CPC_PROBATIONARY, "中共预备": PoliticalAffiliation.CPC_PROBATIONARY,
    "团员": PoliticalAffiliation.CYL_MEMBER, "共青团": PoliticalAffiliation.CYL_MEMBER,
    "民革": PoliticalAffiliation.RCCK, "民盟": PoliticalAffiliation.CDL, "民建": PoliticalAffiliation.CNDCA,
    "民进": PoliticalAffiliation.CAPD, "农工党": PoliticalAffiliation.CPWDP, "农工": PoliticalAffiliation.CPWDP,
    "致公党": PoliticalAffiliation.CZGP, "九三学社": PoliticalAffiliation.JS, "九三": PoliticalAffiliation.JS,
    "台盟": PoliticalAffiliation.TDSGL, "无党派": PoliticalAffiliation.NON_PARTY,
    "无党派民主人士": PoliticalAffiliation.NON_PARTY, "非党": PoliticalAffiliation.MASSES,
    "非中共党员": PoliticalAffiliation.MASSES,
}
EDUCATION_SYNONYMS = {
    "博士": Education.POSTGRADUATE, "硕士": Education.POSTGRADUATE, "博士研究生": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE, "本科": Education.BACHELOR, "大学": Education.BACHELOR,
    "大本": Education.BACHELOR, "大专": Education.COLLEGE, "专科": Education.COLLEGE, "高职": Education.COLLEGE,
    "中专": Education.SECONDARY, "高中": Education.SECONDARY, "中技": Education.SECONDARY,
    "职高": Education.SECONDARY, "技校": Education.SECONDARY, "初中": Education.JUNIOR, "小学": Education.PRIMARY,
    "文盲": Education.PRIMARY, "半文盲": Education.PRIMARY,
}
SECTOR_SYNONYMS = {
    "专技": Sector.PROFESSIONAL, "专业技术": Sector.PROFESSIONAL, "技术人员": Sector.PROFESSIONAL,
    "干部": Sector.CADRE, "党政领导干部": Sector.CADRE, "领导干部": Sector.CADRE, "机关干部": Sector.CADRE,
    "企业": Sector.BUSINESS, "企业家": Sector.BUSINESS, "企业管理人员": Sector.BUSINESS,
    "农民工": Sector.WORKER, "军人": Sector.MILITARY, "解放军": Sector.MILITARY, "村干部": Sector.FARMER,
}
# 代表层级 as rosters write it. The cell is read after dropping "人民代表大会代表"/"人大代表"/"代表", "两级"/"级",
# separators (、，/ 和 及 与) and spaces, so "县、镇代表", "县乡两级代表" and "乡镇人大代表" meet the keys below.
LEVEL_SYNONYMS = {
    "乡镇": DeputyLevel.TOWNSHIP, "镇": DeputyLevel.TOWNSHIP, "乡": DeputyLevel.TOWNSHIP, "街道": DeputyLevel.TOWNSHIP,
    "本镇": DeputyLevel.TOWNSHIP, "本乡": DeputyLevel.TOWNSHIP,
    "县": DeputyLevel.COUNTY, "区": DeputyLevel.COUNTY, "县区": DeputyLevel.COUNTY, "市辖区": DeputyLevel.COUNTY,
    "驻镇县": DeputyLevel.COUNTY, "驻乡县": DeputyLevel.COUNTY, "驻乡镇县": DeputyLevel.COUNTY,
    "驻街道县": DeputyLevel.COUNTY, "驻镇区": DeputyLevel.COUNTY, "驻乡区": DeputyLevel.COUNTY,
    "县乡": DeputyLevel.BOTH, "县镇": DeputyLevel.BOTH, "县乡镇": DeputyLevel.BOTH, "乡县": DeputyLevel.BOTH,
    "镇县": DeputyLevel.BOTH, "区镇": DeputyLevel.BOTH, "区乡": DeputyLevel.BOTH, "区乡镇": DeputyLevel.BOTH,
    "县街道": DeputyLevel.BOTH,
}
_LEVEL_WORDS = re.compile(r"(人民代表大会代表|人大代表|代表|两级|两|级|[、，,/／和及与()（）]|\s)")
GENDER_SYNONYMS = {"男性": Gender.MALE, "女性": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}


class LevelParser:
    """代表层级 from the words rosters use ("镇代表", "县、镇代表", "县乡两级代表", "乡镇人大代表"...)."""

    def __init__(self):
        self.exact = {normalize(v): v for v in DeputyLevel.values} | {
            normalize(label): v for v, label in DeputyLevel.choices}

    def label(self, value) -> str:
        return str(DeputyLevel(value).label) if value in DeputyLevel.values else str(value or "")

    def __call__(self, value):
        if is_blank(value):
            return None
        text = str(value).strip()
        if normalize(text) in self.exact:  # the label itself ("驻乡镇县人大代表") or the stored value
            return self.exact[normalize(text)]
        key = _LEVEL_WORDS.sub("", normalize(text))
        if key in LEVEL_SYNONYMS:
            return LEVEL_SYNONYMS[key]
        if not key and "两" in text:  # "两级代表"
            return DeputyLevel.BOTH
        raise ValidationError(_("“%(v)s”不是可识别的代表层级，请填写：乡镇人大代表（或“镇代表”）、驻乡镇县人大代表（或“县代表”）、"
                                "县乡两级人大代表（或“县、镇代表”）。") % {"v": text})


parse_level = LevelParser()


def parse_id_number(value) -> str:
    """An ID number as a text cell. A number cell has lost its last digits in Excel: refuse it clearly."""
    if is_blank(value):
        return ""
    if isinstance(value, float) or (isinstance(value, int) and len(str(value)) > 15):
        raise ValidationError(_("身份证号码被 Excel 存成了数字，后几位已经丢失。请把这一列设为“文本”格式后重新填写。"))
    return pii.validate_id_number(str(value))


def _max_length(name: str) -> int:
    return Deputy._meta.get_field(name).max_length


class RosterImportSchema(ImportSchema):
    title = "人大代表名册"
    sheet_name = "代表名册"
    max_rows = 2000
    fields = [
        ImportField("name", "姓名", ("代表姓名", "名字", "代表", "姓 名"), required=True, parse=parse_name,
                    example="张三", width=10),
        ImportField("gender", "性别", (), parse=make_choice_parser(Gender, GENDER_SYNONYMS), example=Gender.MALE,
                    help_text="男 或 女；填写了身份证号码的可不填"),
        ImportField("ethnicity", "民族", ("族别",), parse=make_choice_parser(Ethnicity, ETHNICITY_SYNONYMS),
                    example=Ethnicity.HAN, help_text="如 汉族、苗族（也可只写“汉”“苗”）；不填为汉族"),
        ImportField("birth_date", "出生年月", ("出生日期", "出生年月日", "生日", "出生时间"), parse=parse_date,
                    example=dt.date(1975, 3, 1)),
        ImportField("affiliation", "政治面貌", ("党派", "政治身份"),
                    parse=make_choice_parser(PoliticalAffiliation, AFFILIATION_SYNONYMS),
                    example=PoliticalAffiliation.CPC_MEMBER,
                    help_text="如 中共党员、中共预备党员、共青团员、民盟盟员、无党派人士、群众（也可写“党员”“团员”）"),
        ImportField("education", "文化程度", ("学历", "文化", "最高学历"),
                    parse=make_choice_parser(Education, EDUCATION_SYNONYMS), example=Education.COLLEGE,
                    help_text="如 研究生、大学本科、大学专科、中专/高中、初中、小学及以下（也可写“本科”“大专”）"),
        ImportField("sector", "界别", ("代表构成", "代表界别", "身份", "所属界别", "构成"),
                    parse=make_choice_parser(Sector, SECTOR_SYNONYMS), example=Sector.FARMER),
        ImportField("work_unit", "工作单位", ("单位", "工作单位及职务", "单位及职务", "工作单位和职务"),
                    parse=parse_text, example="东风村村民委员会", width=24),
        ImportField("post", "职务", ("职务职称", "现任职务"), parse=parse_text, example="主任"),
        ImportField("mobile", "手机号码", ("手机", "联系电话", "电话", "联系方式", "手机号"), parse=parse_phone,
                    example="13812345678", width=14, mask=pii.mask_phone),
        ImportField("id_number", "身份证号码", ("身份证号", "公民身份号码", "身份证", "身份证号码(18位)"),
                    parse=parse_id_number, example="", width=22, mask=pii.mask_id_number,
                    help_text="18 位，按 GB 11643 校验；请把这一列设为“文本”格式"),
        ImportField("address", "住址", ("家庭住址", "地址", "家庭地址", "现住址"), parse=parse_text, width=24,
                    mask=pii.mask_address),
        ImportField("level", "代表层级", ("层级", "代表级别", "级别", "代表类别", "代表层次", "类别", "代表身份"),
                    parse=parse_level, example=DeputyLevel.TOWNSHIP,
                    help_text="乡镇人大代表、驻乡镇县人大代表、县乡两级人大代表（也可写“镇”“县”“两级”）；不填为乡镇人大代表"),
        ImportField("constituency", "选区", ("选区名称", "选举单位", "选区名"), parse=parse_text, example="第一选区"),
        ImportField("group", "代表小组", ("小组", "代表组", "组别", "小组名称", "代表小组名称"), parse=parse_text,
                    example="第一代表小组"),
        ImportField("station", "联络站", ("代表联络站", "进站", "联系站", "联络站名称", "代表之家"), parse=parse_text),
        ImportField("elected_on", "当选日期", ("当选时间",), parse=parse_date),
        ImportField("note", "备注", (), parse=parse_text),
    ]
    instructions = (
        "按身份证号码对应本届已有的代表；没有身份证号码的，按“姓名 + 出生年月”对应。对应上的更新，对应不上的新增。",
        "留空的单元格不会清除系统中已有的内容。",
        "选区、代表小组、联络站按名称对应；系统中还没有的会自动建立（选区的应选名额按本表中的代表人数计）。",
        "身份证号码、出生年月等列请设为“文本”格式，避免 Excel 改动数字。",
    )

    def __init__(self, *, township=None, next_term: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.township = township
        self.next_term = next_term
        self.term = _target_term(township, next_term=next_term) if township is not None else None
        self.by_digest: dict[str, Deputy] = {}
        self.by_name: dict[tuple[str, int, int], list[Deputy]] = {}
        self.seen_digests: dict[str, str] = {}
        if township is not None:
            for deputy in Deputy.objects.filter(township=township, term=self.term).select_related("constituency"):
                if deputy.id_number_digest:
                    self.by_digest[deputy.id_number_digest] = deputy
                if deputy.birth_date:
                    key = (deputy.name, deputy.birth_date.year, deputy.birth_date.month)
                    self.by_name.setdefault(key, []).append(deputy)

    def match(self, values: dict) -> Deputy | None:
        """The existing deputy this row describes, or None; ValidationError when it is ambiguous."""
        if values.get("id_number"):
            found = self.by_digest.get(pii.id_number_digest(values["id_number"]))
            if found:
                return found
        birth = values.get("birth_date")
        if values.get("id_number") and not birth:
            birth = pii.birth_date_from_id(values["id_number"])
        if birth:
            candidates = self.by_name.get((values["name"], birth.year, birth.month), [])
            candidates = [d for d in candidates if not (values.get("id_number") and d.id_number_digest)]
            if len(candidates) > 1:
                raise ValidationError(_("本届有 %(n)d 名同名、同出生年月的代表，请填写身份证号码以区分。")
                                      % {"n": len(candidates)})
            if candidates:
                return candidates[0]
        return None

    def clean_row(self, values: dict) -> dict:
        if self.next_term and self.township is not None and self.term is None:
            raise ValidationError(_("本乡镇还没有开启下一届，请先在“换届”页面开启下一届。"))
        errors: dict[str, str] = {}
        for key in ("name", "work_unit", "post", "address", "note"):
            if len(values.get(key) or "") > _max_length(key):
                errors[key] = _("不能超过 %(n)s 个字。") % {"n": _max_length(key)}
        if values.get("mobile") and not re.fullmatch(r"1[3-9]\d{9}", values["mobile"]):
            errors["mobile"] = _("请填写 11 位手机号码（座机号码请写在备注中）。")
        number = values.get("id_number")
        if number:
            born = pii.birth_date_from_id(number)
            birth = values.get("birth_date")
            if birth and (birth.year, birth.month) != (born.year, born.month):
                errors["birth_date"] = _("与身份证号码中的出生日期（%(d)s）不一致。") % {"d": born.strftime("%Y.%m.%d")}
            gender = values.get("gender")
            if gender and gender != pii.gender_from_id(number):
                errors["gender"] = _("与身份证号码（第 17 位）不一致。")
            digest = pii.id_number_digest(number)
            if digest in self.seen_digests:
                errors["id_number"] = _("与本表中“%(n)s”的身份证号码重复。") % {"n": self.seen_digests[digest]}
            self.seen_digests.setdefault(digest, values.get("name") or "")
        if errors:
            raise ValidationError(errors)
        if self.township is not None:
            existing = self.match(values)
            if existing is None and not values.get("gender") and not number:
                raise ValidationError({"gender": _("新增的代表请填写性别（或身份证号码）。")})
            if existing is not None and existing.status != DeputyStatus.SERVING:
                raise ValidationError(_("“%(n)s”已%(s)s，名册导入不能修改离任代表；如需恢复请在代表页面更正状态。")
                                      % {"n": existing.name, "s": existing.get_status_display()})
        return values

    def check_preview(self, preview) -> None:
        check_roster_preview(self, preview)

    def row_note(self, values: dict) -> str:
        if self.township is None:
            return ""
        try:
            return _("更新") if self.match(values) else _("新增")
        except ValidationError:
            return ""


UPDATABLE = ("gender", "ethnicity", "birth_date", "affiliation", "education", "sector", "work_unit", "post",
             "mobile", "id_number", "address", "level", "elected_on", "note")


def _labelled(error: ValidationError) -> ValidationError:
    """Field errors from the services with the column's name in front ("手机号码：…")."""
    if not hasattr(error, "error_dict"):
        return error
    labels = {f.key: f.label for f in RosterImportSchema.fields}
    messages = []
    for field, errors in error.error_dict.items():
        label = labels.get(field) or (str(Deputy._meta.get_field(field).verbose_name)
                                      if field in {f.name for f in Deputy._meta.fields} else "")
        for item in errors:
            messages.extend(f"{label}：{m}" if label else m for m in item.messages)
    return ValidationError(messages)


class _Organisation:
    """Constituencies, groups and stations of the target term by name, created on first mention."""

    def __init__(self, township, by, seats_needed: dict[str, int], term):
        self.township, self.by, self.seats_needed, self.term = township, by, seats_needed, term
        self.constituencies = {c.name: c for c in Constituency.objects.filter(in_term_q(term), township=township)}
        self.groups = {g.name: g for g in DeputyGroup.objects.filter(in_term_q(term), township=township)}
        self.stations = {s.name: s for s in LiaisonStation.objects.filter(in_term_q(term), township=township)}
        self.created = {"constituencies": 0, "groups": 0, "stations": 0}

    def constituency(self, name: str):
        if not name:
            return None
        if name not in self.constituencies:
            seats = self.seats_needed.get(name, 1)
            if seats > 3:
                raise ValidationError(_("选区“%(c)s”在表中有 %(n)d 名乡镇人大代表，超过了每个选区最多 3 名的规定。")
                                      % {"c": name, "n": seats})
            self.constituencies[name] = services.constituency_create(township=self.township, by=self.by, term=self.term, name=name,
                                                                     seats=max(1, seats))
            self.created["constituencies"] += 1
        return self.constituencies[name]

    def group(self, name: str):
        if not name:
            return None
        if name not in self.groups:
            self.groups[name] = services.deputy_group_create(township=self.township, by=self.by, term=self.term, name=name,
                                                             kind=GroupKind.SMALL)
            self.created["groups"] += 1
        group = self.groups[name]
        if group.kind != GroupKind.SMALL:
            raise ValidationError(_("“%(g)s”是代表大组，代表应编入其下的代表小组。") % {"g": name})
        return group

    def station(self, name: str):
        if not name:
            return None
        if name not in self.stations:
            kind = StationKind.HOME if "之家" in name else StationKind.STUDIO if "工作室" in name else StationKind.STATION
            self.stations[name] = services.liaison_station_create(township=self.township, by=self.by, term=self.term, name=name,
                                                                  kind=kind)
            self.created["stations"] += 1
        return self.stations[name]


def commit_roster(preview, batch, by) -> dict:
    """Create or update each row's deputy (all-or-nothing: the import flow holds the transaction)."""
    return _commit(preview, batch, by, RosterImportSchema(township=batch.township))


def commit_roster_next_term(preview, batch, by) -> dict:
    """As :func:`commit_roster`, into the township's next term (opened in the change of term, not yet current)."""
    schema = RosterImportSchema(township=batch.township, next_term=True)
    if schema.term is None:
        raise ValidationError(_("本乡镇还没有开启下一届，请先在“换届”页面开启下一届。"))
    return _commit(preview, batch, by, schema)


def _target_term(township, *, next_term: bool):
    """The current term, or with ``next_term`` the one after it (None when it is not opened)."""
    current = township.current_term()
    if not next_term:
        return current
    if current is None:
        return None
    return Term.objects.filter(township=township, ordinal=current.ordinal + 1).first()


def _commit(preview, batch, by, schema) -> dict:
    township = batch.township
    seats: dict[str, int] = {}
    for row in preview.rows:
        level = row.values.get("level") or DeputyLevel.TOWNSHIP
        if row.values.get("constituency") and level in TOWNSHIP_SEAT_LEVELS:
            seats[row.values["constituency"]] = seats.get(row.values["constituency"], 0) + 1
    organisation = _Organisation(township, by, seats, schema.term)
    created = updated = unchanged = 0
    for row in preview.rows:
        values = row.values
        try:
            deputy = schema.match(values)
            related = {
                "constituency": organisation.constituency(values.get("constituency") or ""),
                "group": organisation.group(values.get("group") or ""),
                "station": organisation.station(values.get("station") or ""),
            }
            if deputy is None:
                fields = {key: values[key] for key in UPDATABLE if values.get(key) not in (None, "")}
                fields.update({k: v for k, v in related.items() if v is not None})
                gender = fields.pop("gender", "") or (pii.gender_from_id(values["id_number"])
                                                      if values.get("id_number") else "")
                deputy = services.deputy_create(township=township, by=by, name=values["name"], gender=gender,
                                                term=schema.term, **fields)
                schema.by_digest[deputy.id_number_digest] = deputy
                created += 1
                continue
            changes = {key: values[key] for key in UPDATABLE
                       if values.get(key) not in (None, "") and values[key] != getattr(deputy, key)}
            if "birth_date" in changes and deputy.birth_date and (
                    changes["birth_date"].year, changes["birth_date"].month) == (
                    deputy.birth_date.year, deputy.birth_date.month):
                del changes["birth_date"]  # "1975.03" in the sheet, 1975-03-17 from the ID number: same
            changes.update({k: v for k, v in related.items() if v is not None and getattr(deputy, f"{k}_id") != v.pk})
            if deputy.status != DeputyStatus.SERVING:
                raise ValidationError(_("“%(n)s”已%(s)s，名册导入不能修改离任代表；如需恢复请在代表页面更正状态。")
                                      % {"n": deputy.name, "s": deputy.get_status_display()})
            if changes:
                services.deputy_update(deputy=deputy, by=by, **changes)
                updated += 1
            else:
                unchanged += 1
        except ValidationError as error:
            raise row_error(row, _labelled(error)) from None
    summary = {"created": created, "updated": updated, "unchanged": unchanged}
    labels = {"constituencies": "新建选区", "groups": "新建代表小组", "stations": "新建联络站"}
    for key, count in organisation.created.items():
        if count:
            summary[labels[key]] = count
    return summary


def log_import_personal_data(request, *, batch, purpose: str, row_count: int) -> None:
    """A reveal of the preview, or a download of the uploaded roster, goes into the personal-data access log."""
    services.personal_data_access_record(user=request.user, purpose=purpose, fields="id_number,mobile,address",
                                         township=batch.township, row_count=max(1, row_count),
                                         path=request.get_full_path())


roster_import_flow = ImportFlow(
    kind="deputy_roster",
    title=gettext_lazy("导入代表名册"),
    action=deputies_access.MANAGE,
    schema=RosterImportSchema,
    commit=commit_roster,
    url_name="deputies:roster_import",
    back_url_name="deputies:deputy_list",
    intro=gettext_lazy("表格第一行可以是标题或“填报单位/填报时间”；表头可以合并或换种说法（如“代表姓名”）；"
                       "按身份证号码（没有时按姓名和出生年月）对应本届已有代表：对应上的更新，其余新增。"
                       "整张表全部正确才会导入，不会只导入一部分。"),
    template_filename="人大代表名册导入模板.xlsx",
    personal_action=deputies_access.VIEW_PERSONAL,
    log_personal_data=log_import_personal_data,
)


roster_import_next_term_flow = ImportFlow(
    kind="deputy_roster_next_term",
    title=gettext_lazy("导入新一届代表名册"),
    action=deputies_access.MANAGE,
    schema=partial(RosterImportSchema, next_term=True),
    commit=commit_roster_next_term,
    url_name="deputies:roster_import_next_term",
    back_url_name="terms:index",
    intro=gettext_lazy("换届时使用：把新当选的代表导入已开启、尚未切换的下一届（连任代表请在“换届”页面转入，不必在表中重复）。"
                       "按身份证号码（没有时按姓名和出生年月）对应下一届已有代表：对应上的更新，其余新增。"
                       "选区、代表小组、联络站按名称对应下一届的。整张表全部正确才会导入。"),
    template_filename="人大代表名册导入模板.xlsx",
    personal_action=deputies_access.VIEW_PERSONAL,
    log_personal_data=log_import_personal_data,
)
