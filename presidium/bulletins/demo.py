"""Demo bulletins: per township a 人大信息 series with three published issues this year and one draft, and the
county's 联络动态 (the liaison bulletin of seed 003) with one published issue. Ten PDFs in all (a few seconds)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from presidium.demo import demo_townships
from presidium.models import County, HandlingUnit, User

NEWS_ISSUES = [
    [("{t}人大主席团组织代表视察农村饮水安全工程",
      "为推动民生实事项目落地见效，{t}人大主席团组织部分县、乡人大代表，对全镇农村饮水安全工程建设情况开展专题视察。\n"
      "代表们先后来到水厂、管网改造现场和部分农户家中，实地查看工程进度和供水质量，听取有关部门的情况汇报。\n"
      "代表们建议，要加快管网延伸进度，健全日常管护机制，确保群众喝上放心水。",
      "{t}人大办"),
     ("代表联络站开展“代表接待日”活动",
      "本月，{t}人大代表联络站按照接待日安排，组织代表进站接待群众，共接待群众二十余人次，收集意见建议八条。\n"
      "对收集到的意见建议，联络站逐条登记，按程序转交有关单位办理，并跟踪办理进度。",
      "{t}人大代表联络站")],
    [("{t}召开人大主席团会议",
      "{t}人大主席团召开会议，听取关于上半年民生实事项目推进情况的汇报，研究部署下半年代表活动安排。\n"
      "会议要求，各代表小组要围绕中心工作开展视察调研，认真督办代表建议，切实提高办理实效。",
      "{t}人大办")],
    [("{t}人大代表开展执法检查",
      "为贯彻落实《中华人民共和国安全生产法》，{t}人大主席团组织代表对辖区企业安全生产情况开展执法检查。\n"
      "检查组听取了应急管理部门的汇报，随机抽查了三家企业的安全台账，指出存在的问题五个，提出整改建议六条。",
      "{t}人大办"),
     ("代表建议办理情况通报",
      "截至本月底，本届人大会议期间代表提出的建议已全部交办，已办结的建议占总数的八成以上，代表满意率较高。",
      "{t}人大办")],
]
DRAFT_ARTICLE = ("{t}人大主席团部署年底代表履职评议工作",
                 "{t}人大主席团近日研究部署年底代表履职评议工作，要求各代表小组认真做好述职准备。", "{t}人大办")
LIAISON_ARTICLES = [
    ("采取季度清单 精准指导乡镇人大工作",
     "为了破解目前乡镇人大工作瓶颈，推动新时代乡镇人大工作发展，县人大常委会结合每个季度重点工作安排，采取季度指导清单的形式，"
     "精准指导乡镇人大工作，实现乡镇人大工作清单化、任务化、规范化。\n"
     "充分讨论，完善清单内容。季度指导清单起草后，广泛组织相关单位和部分县乡人大代表进行充分讨论，确保指导清单内容更加完善。\n"
     "季中指导，促进任务落实。常委会主任会议成员根据各自联点乡镇进行具体指导，有效促进季度指导清单的任务落实落细。\n"
     "季末讲评，推动工作提质。每季度末召开乡镇人大主席季度工作交流会，对清单落实情况进行讲评。",
     "县人大常委会联工委"),
    ("深入推进“三个一”工作法 切实提高基层人大工作执行力",
     "县人大常委会着眼于基层，着力于基础，创新开展“一月一指导”“一月一提示”“一月一联系”工作法，"
     "打通了联系基层、服务代表的“最后一公里”。\n"
     "班子成员每月到联点乡镇视察调研、指导人大工作，就乡镇人大例会召开、民生实事票决制等重要工作“手把手教”“一对一扶”。",
     "县人大常委会研究室"),
]


def seed_bulletins(*, scale: int = 1, stdout=None) -> None:
    from presidium.bulletins import services
    from presidium.bulletins.models import BulletinSeries

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None or BulletinSeries.objects.exists():
        return
    today = timezone.localdate()
    for township in demo_townships().select_related("county").order_by("pk"):
        series = services.series_create(
            county=township.county, township=township, by=admin, kind="news", masthead="人大信息",
            compiling_body=f"{township.name}人大主席团编", first_overall_number=41, responsible_editor="钱晓梅",
            contact="0731—8530 9270")
        units = list(HandlingUnit.objects.filter(township=township, is_active=True).order_by("pk")[:2])
        for index, articles in enumerate(NEWS_ISSUES):
            day = max(dt.date(today.year, 1, 2), today - dt.timedelta(days=30 * (len(NEWS_ISSUES) - index)))
            issue = _compose(series, day, articles, township.name, admin)
            services.issue_update(issue=issue, by=admin, issue_date=day, responsible_editor="钱晓梅",
                                  to_all_deputies=True, units=units, report_to="县人大常委会",
                                  send_to="镇党委、镇人民政府")
            services.issue_publish(issue=services.issue_sign_off(issue=issue, by=admin), by=admin)
        _compose(series, today, [DRAFT_ARTICLE], township.name, admin)
    for county in County.objects.filter(townships__isnull=False).distinct().order_by("pk"):
        series = services.series_create(
            county=county, township=None, by=admin, kind="liaison", masthead="联络动态",
            masthead_latin="LIANLUODONGTAI", compiling_body=f"{county.name}人大常委会选举任免联络工作委员会编",
            first_overall_number=651, number_in_chinese=False, overall_in_chinese=True,
            responsible_editor="石韧　谢峥嵘", contact="0731—85309270")
        issue = _compose(series, today, LIAISON_ARTICLES, county.name, admin)
        services.issue_update(issue=issue, by=admin, issue_date=today, responsible_editor="石韧　谢峥嵘",
                              send_to="各乡镇人大主席团、县人大各专门委员会、县人大常委会各工作机构")
        issue = services.issue_sign_off(issue=issue, by=admin, number=11, skip_reason="第 1 至 10 期为纸质印发")
        services.issue_publish(issue=issue, by=admin)
    if stdout is not None:
        stdout.write(f"  bulletins: {BulletinSeries.objects.count()} series")


def _compose(series, day, articles, place: str, by):
    from presidium.bulletins import services

    issue = services.issue_create(series=series, by=by, issue_date=day)
    for title, body, source in articles:
        services.article_create(issue=issue, by=by, title=title.format(t=place), body=body.format(t=place),
                                source=source.format(t=place))
    return issue
