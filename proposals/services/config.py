"""Categories, the township's proposals settings, attachments and the 五公开 switch."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from presidium.access import STAFF_ROLES, has_perm, scope_of
from presidium.categories import township_category_save
from presidium.choices import Role
from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import DOCUMENT_KINDS, DOCUMENT_LABEL, check_upload
from presidium.records import record
from proposals.access import CONFIGURE, MANAGE, relations
from proposals.choices import ASSIGNED_OR_LATER, AttachmentPurpose, SuggestionStatus
from proposals.models import Attachment, Category, ProposalSettings, Suggestion
from proposals.models.suggestion import DEFAULT_CATEGORIES
from proposals.services.common import lock, log, save

MAX_ATTACHMENTS = 20


def _require_configure(by, township) -> None:
    if not (scope_of(by).is_superuser or has_perm(by, CONFIGURE, township)):
        raise PermissionDenied(_("只有本乡镇人大办可以维护建议类别和办理设置。"))


# --- categories ----------------------------------------------------------------------------------------


def categories_ensure(*, township) -> list[Category]:
    """The township's categories; the default eight are written the first time (idempotent)."""
    existing = list(Category.objects.filter(township=township))
    if existing:
        return [c for c in existing if c.is_active]
    with transaction.atomic():
        for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
            Category.objects.get_or_create(township=township, name=name, defaults={"sort_order": order * 10})
    return list(Category.objects.filter(township=township, is_active=True))


def category_create(*, township, by, name: str, sort_order: int = 0) -> Category:
    _require_configure(by, township)
    return township_category_save(Category(township=township), by=by, name=name, sort_order=sort_order)


def category_update(*, category: Category, by, name: str, sort_order: int, is_active: bool) -> Category:
    _require_configure(by, category.township)
    return township_category_save(category, by=by, name=name, sort_order=sort_order, is_active=is_active)


# --- settings --------------------------------------------------------------------------------------------


@transaction.atomic
def proposal_settings_update(*, township, by, reminder_days_before: str, stale_after_days: int,
                             rehandling_deadline_months: int, public_show_deputy_names: bool,
                             publish_by_default: bool, hand_back_days: int | None = None) -> ProposalSettings:
    """Save the township's settings; ``hand_back_days`` None keeps the current 申请退办 limit."""
    _require_configure(by, township)
    current = ProposalSettings.objects.select_for_update().filter(township=township).first()
    current = current or ProposalSettings(township=township)
    current.reminder_days_before = reminder_days_before
    current.stale_after_days = stale_after_days
    current.rehandling_deadline_months = rehandling_deadline_months
    current.public_show_deputy_names = public_show_deputy_names
    current.publish_by_default = publish_by_default
    if hand_back_days is not None:
        current.hand_back_days = hand_back_days
    current._history_user = by
    current.full_clean()
    current.save()
    # Reminder offsets changed: re-arm the open items so the new offsets apply from now on.
    from proposals.services.deadlines import schedule_reply_reminders

    for suggestion in Suggestion.objects.filter(
        township=township, status__in=[SuggestionStatus.ASSIGNED, SuggestionStatus.IN_HANDLING,
                                       SuggestionStatus.REHANDLING],
    ).select_related("township"):
        schedule_reply_reminders(suggestion)
    return current


# --- attachments -------------------------------------------------------------------------------------------

ACCEPTED_LABEL = DOCUMENT_LABEL


def _may_attach(by, suggestion: Suggestion, purpose: str) -> bool:
    held = relations(by, suggestion)
    if held & STAFF_ROLES:
        return True
    if purpose == AttachmentPurpose.MATERIAL:
        return suggestion.status == SuggestionStatus.DRAFT and (Role.DEPUTY in held or suggestion.entered_by_id == by.pk)
    return Role.UNIT_LIAISON in held and suggestion.status in ASSIGNED_OR_LATER


def attachments_add(*, suggestion: Suggestion, by, uploads: Iterable, purpose: str = AttachmentPurpose.MATERIAL,
                    reply=None, field: str = "attachments") -> list[Attachment]:
    """Keep uploaded files privately: every file is checked first (type by content, size, structure), then
    all are stored, or none (a refused file names itself; ``field`` is the form field the error goes to)."""
    uploads = [upload for upload in uploads if upload]
    if not uploads:
        return []
    if not _may_attach(by, suggestion, purpose):
        raise PermissionDenied(_("您不能为这件议案建议上传附件。"))
    if suggestion.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({field: _("每件最多 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}})
    checked = []
    for upload in uploads:  # CPU work (PDF parsing, image re-encoding) before any row is written
        try:
            checked.append(check_upload(upload, accept=DOCUMENT_KINDS))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    added = []
    with RemoveFilesOnError() as written, transaction.atomic():
        for item in checked:
            name = item.original_name[-200:]
            attachment = Attachment(suggestion=suggestion, purpose=purpose, reply=reply, original_name=name,
                                    content_type=item.content_type, size_bytes=item.size, uploaded_by=by,
                                    content_checked=True)
            attachment.file.save(f"upload{item.suffix}", item.content, save=False)
            written.append((attachment.file.storage, attachment.file.name))
            attachment.full_clean()
            attachment.save()
            log(suggestion, event="attach", by=by, title=record(_l("上传附件“%(name)s”"), {"name": name}))
            added.append(attachment)
    return added


def attachment_add(*, suggestion: Suggestion, by, upload, purpose: str = AttachmentPurpose.MATERIAL,
                   reply=None) -> Attachment:
    """One file: :func:`attachments_add`."""
    return attachments_add(suggestion=suggestion, by=by, uploads=[upload], purpose=purpose, reply=reply)[0]


def attachment_visible(user, attachment: Attachment) -> bool:
    """Anyone who may see the item may read its materials; reply files likewise (they go to the deputy)."""
    from proposals.selectors import suggestions_visible_to

    return suggestions_visible_to(user).filter(pk=attachment.suggestion_id).exists()


# --- 五公开 ----------------------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_set_public(*, suggestion: Suggestion, by, is_public: bool) -> Suggestion:
    suggestion = lock(suggestion)
    if not (scope_of(by).is_superuser or has_perm(by, MANAGE, suggestion.township)):
        raise PermissionDenied(_("只有本乡镇人大办可以设置五公开。"))
    if is_public and suggestion.status not in ASSIGNED_OR_LATER:
        raise ValidationError(_("交办后才能公开。"))
    if suggestion.is_public == is_public:
        return suggestion
    suggestion.is_public = is_public
    save(suggestion, by, ["is_public"])
    log(suggestion, event="publish" if is_public else "unpublish", by=by,
        title=_l("在五公开页面公开") if is_public else _l("取消公开"))
    return suggestion
