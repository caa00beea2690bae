"""The duty archive's "petitions" section (接待日值班和代表代言), through the deputies app's provider slot.

Rows: the deputy's reception duties of the year (attended, on leave, absent, still ahead) and the
petitions raised through them (代表代言). Counts: duties scheduled, attended, leave, absent; petitions
raised. A petition raised through a deputy counts as an opinion raised for the 三不 check (like a
suggestion); reception duty is not fed into "activity" — that signal is the meetings app's.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from deputies.archive import ArchiveProvider, ArchiveRow, ArchiveSection, DutySignal
from petitions.reception.choices import DayStatus, DutyStatus

TONES = {DutyStatus.SIGNED_IN: "success", DutyStatus.LEAVE: "warning", DutyStatus.ABSENT: "danger",
         DutyStatus.ON_DUTY: "secondary"}


def duty_rows(deputy_ids, year: int):
    """The duties of ``deputy_ids`` in ``year`` (cancelled days left out), oldest first."""
    from petitions.models import ReceptionDuty

    return (ReceptionDuty.objects.filter(deputy_id__in=list(deputy_ids), day__date__year=year)
            .exclude(day__status=DayStatus.CANCELLED).select_related("day").order_by("day__date", "pk"))


def raised_petitions(deputy_ids):
    """Petitions raised through the deputies (代表代言)."""
    from petitions.models import Petition

    return Petition.objects.filter(raised_by_deputy_id__in=list(deputy_ids))


class PetitionsArchive(ArchiveProvider):
    title = _("接待日值班和代表代言")
    order = 60
    signals = frozenset({DutySignal.OPINION})

    def section(self, deputy, year: int, *, viewer):
        from petitions.reception.views import petition_url
        from petitions.selectors import petitions_visible_to

        rows, counts = [], dict.fromkeys(DutyStatus, 0)
        for duty in duty_rows([deputy.pk], year):
            counts[DutyStatus(duty.status)] += 1
            detail = duty.day.place
            if duty.status == DutyStatus.LEAVE and duty.leave_reason:
                detail += f" · {duty.leave_reason}"
            rows.append(ArchiveRow(date=duty.day.date, title=str(_("接待日值班")), detail=detail,
                                   status=duty.get_status_display(), tone=TONES[DutyStatus(duty.status)],
                                   url=duty.day.get_absolute_url()))
        raised = list(raised_petitions([deputy.pk]).filter(received_on__year=year).order_by("received_on", "pk"))
        visible = set(petitions_visible_to(viewer).filter(pk__in=[p.pk for p in raised])
                      .values_list("pk", flat=True)) if raised else set()
        for petition in raised:
            rows.append(ArchiveRow(
                date=petition.received_on, title=f"{petition.registration_number} {petition.subject}".strip(),
                detail=str(_("代表代言")), status=petition.get_status_display(),
                tone="success" if petition.status == "closed" else "secondary",
                url=petition_url(petition) if petition.pk in visible else ""))
        rows.sort(key=lambda r: (r.date or dt.date.min))
        scheduled = sum(counts.values())
        return ArchiveSection(key="petitions", title=str(self.title), rows=rows, counts={
            _("值班"): scheduled, _("出席"): counts[DutyStatus.SIGNED_IN], _("请假"): counts[DutyStatus.LEAVE],
            _("缺席"): counts[DutyStatus.ABSENT], _("代表代言"): len(raised),
        }, empty=not rows, signals={DutySignal.OPINION: len(raised)})

    def signal_counts(self, deputy_ids, start: dt.date, end: dt.date):
        raised = (raised_petitions(deputy_ids).filter(received_on__range=(start, end)).order_by()
                  .values("raised_by_deputy_id").annotate(n=Count("pk")).values_list("raised_by_deputy_id", "n"))
        return {deputy_id: {DutySignal.OPINION: n} for deputy_id, n in raised}
