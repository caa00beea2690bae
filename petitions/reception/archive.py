"""The duty archive's "petitions" section (接待日值班和代表代言), through the deputies app's provider slot.

Rows: the deputy's reception duties of the year (attended, on leave, absent, still ahead) and the
petitions raised through them (代表代言). Counts: duties scheduled, attended, leave, absent; petitions
raised. A petition raised through a deputy counts as an opinion raised for the 三不 check (like a
suggestion); reception duty is not fed into "activity" — that signal is the meetings app's.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.encoding import force_str
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

    @staticmethod
    def _raised(viewer, deputy_ids, year: int):
        """The petitions raised through the deputy in ``year`` and whether the viewer may open each, as values, in
        one query (kept as SQL per viewer's roles and day: ``kept_section_rows``); the viewer's cases were a
        second query."""
        from petitions.selectors import petitions_visible_to

        return (raised_petitions(deputy_ids).filter(received_on__year=year)
                .annotate(viewer_may_open=Exists(petitions_visible_to(viewer).filter(pk=OuterRef("pk"))))
                .order_by("received_on", "pk")
                .values("pk", "year", "number", "subject", "status", "received_on", "viewer_may_open"))

    def section(self, deputy, year: int, *, viewer):
        from deputies.archive import kept_section_rows
        from petitions.models import Petition
        from presidium.choice_labels import labels_of
        from presidium.notifications.links import pk_links

        rows, counts = [], dict.fromkeys(DutyStatus, 0)
        for duty in duty_rows([deputy.pk], year):
            counts[DutyStatus(duty.status)] += 1
            detail = duty.day.place
            if duty.status == DutyStatus.LEAVE and duty.leave_reason:
                detail += f" · {duty.leave_reason}"
            rows.append(ArchiveRow(date=duty.day.date, title=str(_("接待日值班")), detail=detail,
                                   status=duty.get_status_display(), tone=TONES[DutyStatus(duty.status)],
                                   url=duty.day.get_absolute_url()))
        raised = kept_section_rows(("petitions", year), lambda user, ids: self._raised(user, ids, year), viewer,
                                   [deputy.pk])
        statuses = labels_of(Petition._meta.get_field("status"))
        petition_url = pk_links(lambda pk: reverse("petitions:detail", args=[pk]))
        for petition in raised:
            status = petition["status"]
            rows.append(ArchiveRow(
                date=petition["received_on"],
                title=f"〔{petition['year']}〕第{petition['number']}号 {petition['subject']}".strip(),
                detail=str(_("代表代言")), status=force_str(statuses.get(status, status), strings_only=True),
                tone="success" if status == "closed" else "secondary",
                url=petition_url(petition["pk"]) if petition["viewer_may_open"] else ""))
        rows.sort(key=lambda r: (r.date or dt.date.min))
        scheduled = sum(counts.values())
        return ArchiveSection(key="petitions", title=str(self.title), rows=rows, counts={
            _("值班"): scheduled, _("出席"): counts[DutyStatus.SIGNED_IN], _("请假"): counts[DutyStatus.LEAVE],
            _("缺席"): counts[DutyStatus.ABSENT], _("代表代言"): len(raised),
        }, empty=not rows, signals={DutySignal.OPINION: len(raised)})

    signal_columns = (DutySignal.OPINION,)

    def signal_query(self, deputy_ids, start: dt.date, end: dt.date):
        return (raised_petitions(deputy_ids).filter(received_on__range=(start, end)).order_by()
                .values("raised_by_deputy_id").annotate(n=Count("pk")).values_list("raised_by_deputy_id", "n"))
