"""The deputies app's own sections of the duty archive (registered in ``DeputiesConfig.ready()``)."""

from __future__ import annotations

from django.db.models import Count, FilteredRelation, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.archive import (
    ArchiveProvider,
    ArchiveRow,
    ArchiveSection,
    DutySignal,
    archive_cache,
    register_archive_provider,
)
from deputies.models import (
    Award,
    TrainingRecord,
    Visit,
    VisitOpinion,
)
from deputies.selectors import year_bounds


def _year_records(deputy, year: int) -> dict[str, object]:
    """The deputy's pledge, report to voters and assessment of ``year`` (one row each at most), read in one query
    and kept for the build, so the three sections that show them cost one query together. Of the deputy only its
    key is read: the caller has it already (its other columns, the encrypted ID number among them, read again
    for nothing)."""
    cache = archive_cache(deputy).setdefault("year_records", {})
    if year not in cache:
        names = {"pledge": "pledges", "voter_report": "voter_reports", "assessment": "assessments"}
        row = (type(deputy)._base_manager.filter(pk=deputy.pk)
               .annotate(**{f"year_{name}": FilteredRelation(relation, condition=Q(**{f"{relation}__year": year}))
                            for name, relation in names.items()})
               .select_related(*(f"year_{name}" for name in names)).only("pk").first())
        cache[year] = {name: getattr(row, f"year_{name}", None) if row else None for name in names}
    return cache[year]


def _may_manage(viewer, deputy) -> bool:
    from deputies.access import MANAGE_DUTY
    from presidium.access import has_perm

    return viewer is not None and has_perm(viewer, MANAGE_DUTY, deputy.township)


class PledgeProvider(ArchiveProvider):
    title = gettext_lazy("履职承诺")
    order = 10

    def section(self, deputy, year, *, viewer):
        pledge = _year_records(deputy, year)["pledge"]
        section = ArchiveSection(key="pledge", title=str(self.title), empty_text=_("本年度尚未登记履职承诺"))
        if pledge:
            section.counts = {_("签订日期"): pledge.signed_on}
            section.text = pledge.content
        return section


class VisitsProvider(ArchiveProvider):
    """Visits to constituents; opinions raised in visits count as opinions for the 三不 check."""

    title = gettext_lazy("走访选民")
    order = 40
    signals = frozenset({DutySignal.OPINION})

    def section(self, deputy, year, *, viewer):
        start, end = year_bounds(year)
        visits = list(
            Visit.objects.filter(deputy=deputy, visited_on__range=(start, end))
            .order_by("visited_on", "pk")
        )
        rows = [
            ArchiveRow(
                date=v.visited_on, title=f"{v.place}（{v.get_method_display()}）",
                detail=_("%(h)d 户 %(p)d 人，意见 %(o)d 条") % {"h": v.households, "p": v.people, "o": v.opinion_count},
                url=reverse("deputies:visit_detail", args=[v.pk]),
            )
            for v in visits
        ]
        opinions = sum(v.opinion_count for v in visits)
        return ArchiveSection(key="visits", title=str(self.title), rows=rows, empty=not rows, counts={
            _("走访次数"): len(visits),
            _("走访户数"): sum(v.households for v in visits),
            _("联系选民"): sum(v.people for v in visits),
            _("收集意见"): opinions,
        }, signals={DutySignal.OPINION: opinions})

    signal_columns = (DutySignal.OPINION,)

    def signal_query(self, deputy_ids, start, end):
        return (VisitOpinion.objects.filter(visit__deputy_id__in=deputy_ids, visit__visited_on__range=(start, end))
                .order_by().values("visit__deputy_id").annotate(n=Count("pk")).values_list("visit__deputy_id", "n"))


class TrainingProvider(ArchiveProvider):
    """Trainings attended count as activities joined."""

    title = gettext_lazy("学习培训")
    order = 70
    signals = frozenset({DutySignal.ACTIVITY})

    def section(self, deputy, year, *, viewer):
        start, end = year_bounds(year)
        trainings = list(TrainingRecord.objects.filter(deputy=deputy, attended_on__range=(start, end))
                         .order_by("attended_on", "pk"))
        removable = _may_manage(viewer, deputy)
        rows = [ArchiveRow(date=t.attended_on, title=t.title,
                           detail="，".join(p for p in (t.organizer, _("%s 学时") % t.hours if t.hours else "") if p),
                           remove_url=reverse("deputies:training_remove", args=[t.pk]) if removable else "")
                for t in trainings]
        hours = sum((t.hours or 0) for t in trainings)
        return ArchiveSection(key="trainings", title=str(self.title), rows=rows, empty=not rows,
                              counts={_("参加培训"): len(trainings), _("学时"): hours},
                              signals={DutySignal.ACTIVITY: len(trainings)})

    signal_columns = (DutySignal.ACTIVITY,)

    def signal_query(self, deputy_ids, start, end):
        # Unordered: the records' default order (by deputy) joined the deputies to a grouped count of their keys.
        return (TrainingRecord.objects.filter(deputy_id__in=deputy_ids, attended_on__range=(start, end)).order_by()
                .values("deputy_id").annotate(n=Count("pk")).values_list("deputy_id", "n"))


class VoterReportProvider(ArchiveProvider):
    title = gettext_lazy("向选民述职")
    order = 80

    def section(self, deputy, year, *, viewer):
        report = _year_records(deputy, year)["voter_report"]
        section = ArchiveSection(key="voter_report", title=str(self.title), empty_text=_("本年度尚未向选民述职"))
        if report:
            excellent, competent, incompetent = report.percentages
            section.counts = {
                _("述职日期"): report.reported_on, _("地点"): report.place, _("参加评议"): report.voters_present,
                _("优秀"): f"{report.excellent}（{excellent}%）", _("称职"): f"{report.competent}（{competent}%）",
                _("不称职"): f"{report.incompetent}（{incompetent}%）",
            }
            section.text = report.summary
        return section


class AwardProvider(ArchiveProvider):
    title = gettext_lazy("表彰奖励")
    order = 90

    def section(self, deputy, year, *, viewer):
        start, end = year_bounds(year)
        awards = Award.objects.filter(deputy=deputy, awarded_on__range=(start, end)).order_by("awarded_on", "pk")
        removable = _may_manage(viewer, deputy)
        rows = [ArchiveRow(date=a.awarded_on, title=a.title, detail=a.conferred_by, status=a.get_level_display(),
                           tone="success", remove_url=reverse("deputies:award_remove", args=[a.pk]) if removable else "")
                for a in awards]
        return ArchiveSection(key="awards", title=str(self.title), rows=rows, empty=not rows,
                              counts={_("表彰"): len(rows)})


class AssessmentProvider(ArchiveProvider):
    title = gettext_lazy("年度考核")
    order = 100

    def section(self, deputy, year, *, viewer):
        assessment = _year_records(deputy, year)["assessment"]
        section = ArchiveSection(key="assessment", title=str(self.title), empty_text=_("尚未进行年度考核"))
        if assessment:
            section.counts = {_("考核等次"): assessment.get_grade_display(), _("考核日期"): assessment.assessed_on}
            section.text = assessment.comment
        return section


def register() -> None:
    register_archive_provider("pledge", PledgeProvider())
    register_archive_provider("visits", VisitsProvider())
    register_archive_provider("trainings", TrainingProvider())
    register_archive_provider("voter_report", VoterReportProvider())
    register_archive_provider("awards", AwardProvider())
    register_archive_provider("assessment", AssessmentProvider())

