"""Choices of the deputies app. TextChoices only: never bare strings in code.

The ethnic groups follow GB/T 3304 (codes 01–56, in the standard's order); the stored value is the
code, so rosters exchanged with the county and the statistics tables keep the official order.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Ethnicity(models.TextChoices):
    """民族 — the 56 ethnic groups in the order and with the codes of GB/T 3304."""

    HAN = "01", _("汉族")
    MONGOL = "02", _("蒙古族")
    HUI = "03", _("回族")
    TIBETAN = "04", _("藏族")
    UYGHUR = "05", _("维吾尔族")
    MIAO = "06", _("苗族")
    YI = "07", _("彝族")
    ZHUANG = "08", _("壮族")
    BUYEI = "09", _("布依族")
    KOREAN = "10", _("朝鲜族")
    MANCHU = "11", _("满族")
    DONG = "12", _("侗族")
    YAO = "13", _("瑶族")
    BAI = "14", _("白族")
    TUJIA = "15", _("土家族")
    HANI = "16", _("哈尼族")
    KAZAKH = "17", _("哈萨克族")
    DAI = "18", _("傣族")
    LI = "19", _("黎族")
    LISU = "20", _("傈僳族")
    VA = "21", _("佤族")
    SHE = "22", _("畲族")
    GAOSHAN = "23", _("高山族")
    LAHU = "24", _("拉祜族")
    SUI = "25", _("水族")
    DONGXIANG = "26", _("东乡族")
    NAXI = "27", _("纳西族")
    JINGPO = "28", _("景颇族")
    KYRGYZ = "29", _("柯尔克孜族")
    TU = "30", _("土族")
    DAUR = "31", _("达斡尔族")
    MULAO = "32", _("仫佬族")
    QIANG = "33", _("羌族")
    BLANG = "34", _("布朗族")
    SALAR = "35", _("撒拉族")
    MAONAN = "36", _("毛南族")
    GELAO = "37", _("仡佬族")
    XIBE = "38", _("锡伯族")
    ACHANG = "39", _("阿昌族")
    PUMI = "40", _("普米族")
    TAJIK = "41", _("塔吉克族")
    NU = "42", _("怒族")
    UZBEK = "43", _("乌孜别克族")
    RUSSIAN = "44", _("俄罗斯族")
    EWENKI = "45", _("鄂温克族")
    DEANG = "46", _("德昂族")
    BONAN = "47", _("保安族")
    YUGUR = "48", _("裕固族")
    GIN = "49", _("京族")
    TATAR = "50", _("塔塔尔族")
    DERUNG = "51", _("独龙族")
    OROQEN = "52", _("鄂伦春族")
    HEZHEN = "53", _("赫哲族")
    MONBA = "54", _("门巴族")
    LHOBA = "55", _("珞巴族")
    JINO = "56", _("基诺族")


class PoliticalAffiliation(models.TextChoices):
    """政治面貌 — in the order the statistics tables use."""

    CPC_MEMBER = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL_MEMBER = "cyl", _("共青团员")
    RCCK = "rcck", _("民革党员")
    CDL = "cdl", _("民盟盟员")
    CNDCA = "cndca", _("民建会员")
    CAPD = "capd", _("民进会员")
    CPWDP = "cpwdp", _("农工党党员")
    CZGP = "czgp", _("致公党党员")
    JS = "jiusan", _("九三学社社员")
    TDSGL = "tdsgl", _("台盟盟员")
    NON_PARTY = "non_party", _("无党派人士")
    MASSES = "masses", _("群众")


CPC_AFFILIATIONS = frozenset({PoliticalAffiliation.CPC_MEMBER, PoliticalAffiliation.CPC_PROBATIONARY})
DEMOCRATIC_PARTIES = frozenset({
    PoliticalAffiliation.RCCK, PoliticalAffiliation.CDL, PoliticalAffiliation.CNDCA, PoliticalAffiliation.CAPD,
    PoliticalAffiliation.CPWDP, PoliticalAffiliation.CZGP, PoliticalAffiliation.JS, PoliticalAffiliation.TDSGL,
})


class Education(models.TextChoices):
    """文化程度 — highest level completed."""

    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专/高中")
    JUNIOR = "junior", _("初中")
    PRIMARY = "primary", _("小学及以下")


class Sector(models.TextChoices):
    """界别 / 代表构成 — as the credentials report (代表资格审查报告) counts them."""

    WORKER = "worker", _("工人")
    FARMER = "farmer", _("农民")
    PROFESSIONAL = "professional", _("专业技术人员")
    CADRE = "cadre", _("党政干部")
    BUSINESS = "business", _("企业负责人")
    MILITARY = "military", _("解放军和武警")
    OTHER = "other", _("其他")


class DeputyLevel(models.TextChoices):
    """代表层级 — a township deputy, a county deputy based in the township, or both."""

    TOWNSHIP = "township", _("乡镇人大代表")
    COUNTY = "county", _("驻乡镇县人大代表")
    BOTH = "both", _("县、乡镇两级人大代表")


TOWNSHIP_SEAT_LEVELS = (DeputyLevel.TOWNSHIP, DeputyLevel.BOTH)


class HigherLevel(models.TextChoices):
    """同时担任的更高层级代表职务 — kept for information only."""

    NONE = "", _("无")
    CITY = "city", _("市人大代表")
    PROVINCE = "province", _("省人大代表")
    NATIONAL = "national", _("全国人大代表")


class DeputyStatus(models.TextChoices):
    """代表资格状态. Only 在任 counts in statistics, targets and the 三不 check."""

    SERVING = "serving", _("在任")
    RESIGNED = "resigned", _("辞职")
    RECALLED = "recalled", _("罢免")
    MOVED_AWAY = "moved_away", _("迁出")
    DECEASED = "deceased", _("去世")
    TERM_ENDED = "term_ended", _("任期届满")


# The one table of allowed status changes (DESIGN rule 2). Leaving is final except for a
# correction back to 在任 when a departure was recorded in error (with a reason, kept in history).
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    DeputyStatus.SERVING: frozenset({
        DeputyStatus.RESIGNED, DeputyStatus.RECALLED, DeputyStatus.MOVED_AWAY, DeputyStatus.DECEASED,
        DeputyStatus.TERM_ENDED,
    }),
    DeputyStatus.RESIGNED: frozenset({DeputyStatus.SERVING}),
    DeputyStatus.RECALLED: frozenset({DeputyStatus.SERVING}),
    DeputyStatus.MOVED_AWAY: frozenset({DeputyStatus.SERVING}),
    DeputyStatus.DECEASED: frozenset({DeputyStatus.SERVING}),
    DeputyStatus.TERM_ENDED: frozenset({DeputyStatus.SERVING}),
}


class AgeBand(models.TextChoices):
    """年龄段 — the bands of the credentials report."""

    UNDER_36 = "0-35", _("35岁及以下")
    FROM_36_TO_45 = "36-45", _("36至45岁")
    FROM_46_TO_55 = "46-55", _("46至55岁")
    FROM_56_TO_60 = "56-60", _("56至60岁")
    OVER_60 = "61-200", _("61岁及以上")

    @property
    def bounds(self) -> tuple[int, int]:
        low, high = self.value.split("-")
        return int(low), int(high)


class GroupKind(models.TextChoices):
    BIG = "big", _("代表大组")
    SMALL = "small", _("代表小组")


class StationKind(models.TextChoices):
    STATION = "station", _("代表联络站")
    HOME = "home", _("代表之家")
    STUDIO = "studio", _("代表工作室")
    POINT = "point", _("代表联络点")


class StationLevel(models.TextChoices):
    TOWNSHIP = "township", _("乡镇级")
    VILLAGE = "village", _("村（社区）级")


class StationStaffRole(models.TextChoices):
    HEAD = "head", _("站长")
    DEPUTY_HEAD = "deputy_head", _("副站长")
    LIAISON = "liaison", _("联络员")


class VisitMethod(models.TextChoices):
    """走访方式."""

    HOME = "home", _("入户走访")
    FORUM = "forum", _("座谈会")
    PHONE = "phone", _("电话联系")
    RECEPTION = "reception", _("进站接待")
    OTHER = "other", _("其他")


class OpinionCategory(models.TextChoices):
    """意见类别 — coarse, so the presidium can see what voters talk about."""

    INFRASTRUCTURE = "infrastructure", _("道路交通与基础设施")
    WATER = "water", _("饮水与水利")
    AGRICULTURE = "agriculture", _("农业生产")
    WELFARE = "welfare", _("社会保障与民政")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗卫生")
    ENVIRONMENT = "environment", _("环境卫生")
    SAFETY = "safety", _("社会治安与安全")
    ECONOMY = "economy", _("产业发展与就业")
    OTHER = "other", _("其他")


class AssessmentGrade(models.TextChoices):
    """年度履职考核等次."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class AwardLevel(models.TextChoices):
    TOWNSHIP = "township", _("乡镇级")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级及以上")


class PersonalDataPurpose(models.TextChoices):
    """Why personal data was shown unmasked (the access log's purpose)."""

    LIST = "list", _("名册列表")
    DETAIL = "detail", _("代表详情")
    REVEAL = "reveal", _("查看完整身份证号码")
    EXPORT = "export", _("导出名册")
    CARD = "card", _("履职登记卡")
    IMPORT = "import", _("名册导入核对")
    IMPORT_FILE = "import_file", _("下载导入的原文件")
    HANDLING = "handling", _("承办单位联系代表")
