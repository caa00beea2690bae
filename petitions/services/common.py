"""Helpers every petitions service shares: the lock, the permission checks, the lifecycle move, the timeline
and telling the lead leader (领导包案) of every step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from petitions import lifecycle
from petitions.access import is_staff_for
from petitions.choices import Action, EventKind
from petitions.models import Petition, PetitionEvent
from presidium.notifications.services import notify
from presidium.records import as_stored, record


def lock(petition: Petition) -> Petition:
    """Re-read the case under a row lock (PostgreSQL) so two clicks cannot both move it."""
    return (Petition.objects.select_for_update(of=("self",))
            .select_related("township", "current_unit", "lead_leader", "raised_by_deputy").get(pk=petition.pk))


def require_staff(by, petition_or_township, message: str | None = None) -> None:
    """Only the staff (or chair) of the case's township handle it."""
    from petitions.access import HANDLE
    from presidium.access import has_perm, scope_of

    if isinstance(petition_or_township, Petition):
        allowed = is_staff_for(by, petition_or_township)
    else:
        allowed = scope_of(by).is_superuser or has_perm(by, HANDLE, petition_or_township)
    if not allowed:
        raise PermissionDenied(message or _("只有本乡镇人大办可以办理这件信访件。"))


def move(petition: Petition, action: Action, *, by, title="", note="") -> Petition:
    """Check the lifecycle table (a refused step is a ValidationError with the reason, not a 403), set the
    new status and write the timeline row. The caller saves the petition afterwards."""
    step = lifecycle.transition(petition.status, action)
    if by is None and lifecycle.PETITIONER not in step.roles:
        raise PermissionDenied(_("这一步须由人大办工作人员办理。"))
    source = petition.status
    petition.status = step.to
    log(petition, event=action, by=by, title=title or Action(action).label, note=note, from_status=source,
        to_status=step.to)
    return petition


def log(petition: Petition, *, event: str, by, title, note="", kind: str = EventKind.STEP, from_status: str = "",
        to_status: str = "", tell_leader: bool = True) -> PetitionEvent:
    """One timeline row, stored in the portal's language (pass :func:`presidium.records.record` or lazy
    text; a user's own words pass through). The lead leader is told of every step but the ones they took."""
    entry = PetitionEvent(petition=petition, kind=kind, event=str(event)[:40], title=as_stored(title)[:300],
                          note=as_stored(note), from_status=from_status, to_status=to_status,
                          by=by if getattr(by, "pk", None) else None)
    entry.save()
    if tell_leader and petition.lead_leader_id and petition.lead_leader_id != getattr(by, "pk", None):
        title = as_stored(record(_l("包案信访件%(label)s：%(title)s"), {"label": label(petition), "title": entry.title}))
        notify(recipients=[petition.lead_leader], kind="petitions.step", target=petition, by=by,
               url=url_of(petition), channels=(), title=title[:200])
    return entry


def url_of(petition: Petition) -> str:
    """The case's page for a notification link."""
    return petition.get_absolute_url()


def tell(petition: Petition, *, recipients, title, body="", kind: str, by) -> None:
    """An in-app notification (and e-mail/SMS per preferences) about a case; never carries personal data."""
    recipients = [user for user in recipients if user is not None]
    if recipients:
        notify(recipients=recipients, title=as_stored(title)[:200], body=body, url=url_of(petition), kind=kind,
               target=petition, by=by)


def label(petition: Petition) -> str:
    """〔2026〕第12号「…」 for stored text (never the petitioner's name)."""
    return f"{petition.registration_number}「{petition.subject[:40]}」"


def save(petition: Petition, by, fields: list[str] | None = None) -> Petition:
    """Validate and save; ``fields`` for an existing row (DESIGN rule 3). Records the history user."""
    petition._history_user = by
    if fields and petition.pk:
        # Validate what changed (and the constraints on it); the rest was validated when it was written, and the
        # database holds every constraint anyway. A whole-row check costs a query per constraint on each step.
        changed = {Petition._meta.get_field(name).name for name in fields}
        petition.full_clean(exclude=[f.name for f in Petition._meta.fields if f.name not in changed])
        petition.save(update_fields=sorted({*fields, "updated_at"}))
    else:
        petition.full_clean()
        petition.save()
    return petition


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def today() -> dt.date:
    return timezone.localdate()


def check_date(value: dt.date | None, field: str, *, not_before: dt.date | None = None,
               not_before_label: str = "") -> dt.date:
    """A step's date: today when not given; never in the future, never before the step it follows."""
    value = value or today()
    if value > today():
        raise ValidationError({field: _("日期不能晚于今天。")})
    if not_before and value < not_before:
        raise ValidationError({field: _("日期不能早于%(what)s（%(date)s）。") % {
            "what": not_before_label, "date": not_before}})
    return value
