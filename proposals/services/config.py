"""Categories, the township's proposals settings, attachments and the 五公开 switch."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _l

from presidium.access import STAFF_ROLES, has_perm, scope_of
from presidium.choices import Role
from presidium.records import record
from proposals.access import CONFIGURE, MANAGE, relations
from proposals.choices import ASSIGNED_OR_LATER, AttachmentPurpose, SuggestionStatus
from proposals.models import Attachment, Category, ProposalSettings, Suggestion
from proposals.models.suggestion import DEFAULT_CATEGORIES
from proposals.services.common import clean_text, lock, log, save

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


@transaction.atomic
def category_create(*, township, by, name: str, sort_order: int = 0) -> Category:
    _require_configure(by, township)
    name = clean_text(name)
    if Category.objects.filter(township=township, name=name).exists():
        raise ValidationError({"name": _("本乡镇已有“%(name)s”类别。") % {"name": name}})
    category = Category(township=township, name=name, sort_order=sort_order)
    category._history_user = by
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_update(*, category: Category, by, name: str, sort_order: int, is_active: bool) -> Category:
    _require_configure(by, category.township)
    name = clean_text(name)
    if Category.objects.filter(township_id=category.township_id, name=name).exclude(pk=category.pk).exists():
        raise ValidationError({"name": _("本乡镇已有“%(name)s”类别。") % {"name": name}})
    category.name, category.sort_order, category.is_active = name, sort_order, is_active
    category._history_user = by
    category.full_clean()
    category.save(update_fields=["name", "sort_order", "is_active"])
    return category


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

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_TYPES = {".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".wps": "application/vnd.ms-works",
              ".et": "application/vnd.ms-excel"}
_ZIP_TYPES = [
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ("OFD.xml", "application/ofd", ".ofd"),
]
ACCEPTED_LABEL = gettext_lazy("PDF、Word、Excel、OFD、JPG、PNG")


def sniff_type(head: bytes, data_for_zip, filename: str) -> tuple[str, str] | None:
    """(content type, suffix) from the file's bytes, never from its name alone; None if not accepted."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith(_OLE):
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return (_OLE_TYPES[suffix], suffix) if suffix in _OLE_TYPES else ("application/msword", ".doc")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip()) as archive:  # only the directory is read, nothing is extracted
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        for marker, content_type, suffix in _ZIP_TYPES:
            if marker in names:
                return content_type, suffix
    return None


def _may_attach(by, suggestion: Suggestion, purpose: str) -> bool:
    held = relations(by, suggestion)
    if held & STAFF_ROLES:
        return True
    if purpose == AttachmentPurpose.MATERIAL:
        return suggestion.status == SuggestionStatus.DRAFT and (Role.DEPUTY in held or suggestion.entered_by_id == by.pk)
    return Role.UNIT_LIAISON in held and suggestion.status in ASSIGNED_OR_LATER


@transaction.atomic
def attachment_add(*, suggestion: Suggestion, by, upload, purpose: str = AttachmentPurpose.MATERIAL,
                   reply=None) -> Attachment:
    """Keep an uploaded file privately, after checking its size and its type by content."""
    if not _may_attach(by, suggestion, purpose):
        raise PermissionDenied(_("您不能为这件议案建议上传附件。"))
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"attachments": _("文件“%(name)s”超过 %(mb)s MB，请压缩后再上传。") % {
            "name": upload.name, "mb": limit // (1024 * 1024)}})
    if upload.size == 0:
        raise ValidationError({"attachments": _("文件“%(name)s”是空的。") % {"name": upload.name}})
    if suggestion.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("每件最多 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS}})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)

    def whole():
        upload.seek(0)
        return io.BytesIO(upload.read())

    found = sniff_type(head, whole, upload.name or "")
    upload.seek(0)
    if found is None:
        raise ValidationError({"attachments": _("文件“%(name)s”的格式不支持，请上传 %(types)s 文件。") % {
            "name": upload.name, "types": ACCEPTED_LABEL}})
    content_type, suffix = found
    name = (upload.name or "附件").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(suggestion=suggestion, purpose=purpose, reply=reply, original_name=name,
                            content_type=content_type, size_bytes=upload.size, uploaded_by=by)
    attachment.file.save(f"upload{suffix}", upload, save=False)
    attachment.full_clean()
    attachment.save()
    log(suggestion, event="attach", by=by, title=record(_l("上传附件“%(name)s”"), {"name": name}))
    return attachment


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
