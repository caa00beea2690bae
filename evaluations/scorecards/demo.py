"""Demo data of the county scorecards: the demo county's last quarter scored and finalised for every township,
and the current quarter's checklist (copied from the last) published, 青石镇's response submitted and
柳河乡's sent back with comments, the rest still filling in.

Everything goes through the services (with their ``on`` dates for the past quarter). Idempotent: a county that
has checklists is left alone. Deterministic: scores come from the township's position. About a second.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

log = logging.getLogger(__name__)

ITEMS = [
    ("基础工作", "召开主席团会议不少于1次", "研究部署本季度人大工作，形成会议纪要。", 15, "会议通知、签到表、会议纪要", "", None),
    ("监督工作", "组织代表视察或专题调研不少于1次", "围绕群众关心的民生实事开展，形成视察报告。", 20,
     "活动方案、照片、视察报告", "", None),
    ("代表工作", "代表走访选民", "每名在任代表本季度至少走访选民1次（水冶：每月联系2人）。", 20, "走访记录由平台统计",
     "visits_per_deputy", Decimal("1")),
    ("代表工作", "代表建议按期办复", "交办的代表建议按期答复，办复率不低于90%。", 20, "由平台统计", "reply_rate", Decimal("90")),
    ("代表工作", "代表接待日正常开展", "每月至少开展接待日活动1次。", 15, "由平台统计", "reception_days_held", Decimal("3")),
    ("宣传工作", "报送人大工作信息", "向县人大常委会报送工作信息不少于2篇。", 10, "信息稿件", "", None),
]


def _pdf(name: str) -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _answer(response, staff, *, on, rng_index: int, files: bool) -> None:
    from evaluations.scorecards import services

    for n, item in enumerate(response.checklist.items.all()):
        answer = "partly" if (n + rng_index) % 4 == 3 else "done"
        upload = [_pdf(f"{item.title[:10]}佐证.pdf")] if files and n == 0 else []
        services.item_answer_save(response=response, item=item, answer=answer, note="已按要求完成，材料见附件。",
                                  files=upload, by=staff, on=on)


def seed_scorecards(*, scale: int = 1, stdout=None) -> None:
    from evaluations.models import Checklist
    from evaluations.scorecards import services
    from presidium.demo import COUNTY_NAME
    from presidium.models import County, User

    county = County.objects.filter(name=COUNTY_NAME).first()
    reviewer = User.objects.filter(username="reviewer").first()
    if county is None or reviewer is None or Checklist.objects.filter(county=county).exists():
        return
    today = timezone.localdate()
    start = _quarter_start(_quarter_start(today) - dt.timedelta(days=1))
    end = _quarter_start(today) - dt.timedelta(days=1)
    quarter = (start.month - 1) // 3 + 1
    last = services.checklist_create(county=county, title=f"{start.year}年第{quarter}季度乡镇人大工作指导清单",
                                     period_kind="quarter", period_start=start, period_end=end,
                                     responses_due=end - dt.timedelta(days=10), plan_working_days=3, by=reviewer)
    for position, (section, title, guidance, points, evidence, key, target) in enumerate(ITEMS, start=1):
        services.checklist_item_save(checklist=last, by=reviewer, section=section, position=position, title=title,
                                     guidance=guidance, points=Decimal(points), evidence_expected=evidence,
                                     indicator_key=key, target=target)
    last = services.checklist_publish(checklist=last, by=reviewer, on=start)
    responses = list(last.responses.select_related("township").order_by("township__pk"))
    for index, response in enumerate(responses):
        staff = _staff_of(response.township) or User.objects.filter(is_superuser=True).first()
        _answer(response, staff, on=start + dt.timedelta(days=20), rng_index=index, files=index == 0)
        services.township_response_submit(response=response, by=staff, on=end - dt.timedelta(days=12))
        for n, item in enumerate(last.items.all()):
            lost = Decimal((index + n) % 3) if n != index else Decimal(0)
            services.item_score_set(response=response, item=item, score=item.points - lost,
                                    comment="" if not lost else "材料不够完整", by=reviewer)
        services.township_response_finalise(response=response, by=reviewer)

    current = services.checklist_copy(source=last, by=reviewer)
    if current.responses_due < today:
        current = services.checklist_update(checklist=current, by=reviewer, responses_due=current.period_end)
    current = services.checklist_publish(checklist=current, by=reviewer, on=today)
    responses = list(current.responses.select_related("township").order_by("township__pk"))
    for index, response in enumerate(responses[:2]):
        staff = _staff_of(response.township)
        if staff is None:
            continue
        services.township_response_plan_save(response=response, plan="本季度召开主席团会议1次，组织代表视察1次，"
                                             "每月开展接待日活动。", by=staff)
        _answer(response, staff, on=today, rng_index=index, files=True)
        services.township_response_submit(response=response, by=staff)
        if index == 1:
            services.township_response_return(response=response, by=reviewer,
                                              comment="视察报告未附照片，请补充后重新提交。")
    log.info("scorecards: %s finalised, current checklist %s", len(responses), current.pk)


def _staff_of(township):
    from presidium.choices import Role
    from presidium.models import User

    return (User.objects.filter(role_assignments__role=Role.PRESIDIUM_STAFF, role_assignments__township=township,
                                is_active=True).order_by("pk").first()
            or User.objects.filter(role_assignments__role=Role.PRESIDIUM_CHAIR, role_assignments__township=township,
                                   is_active=True).order_by("pk").first())
