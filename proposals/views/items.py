"""One item: create (a deputy from a phone, or staff on a deputy's behalf), edit a draft, the detail page, files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies import services as deputies_services
from deputies.choices import DeputyStatus, PersonalDataPurpose
from deputies.models import Deputy
from presidium.access import has_perm, scope_of, townships_where
from presidium.choices import COUNTY_ROLES, Role
from presidium.documents.storage import private_file_response
from presidium.notifications.choices import ReminderStatus
from presidium.notifications.reminders import reminders_for
from presidium.views.forms import ServiceFormView, apply_validation_error
from proposals import permissions, services
from proposals.access import MANAGE, OPINION_SEND, SUBMIT, relations
from proposals.choices import ExtensionStatus, HandBackStatus, SubmitterKind
from proposals.forms import SuggestionForm
from proposals.lifecycle import STAFF
from proposals.models import (
    Attachment,
    CoUnit,
    Extension,
    HandBackRequest,
    Rating,
    Reply,
    SupervisionAction,
    SupervisionOpinion,
)
from proposals.selectors import (
    hand_back_window,
    handling_contacts,
    opinions_visible_to,
    settings_for,
    suggestions_visible_to,
)
from proposals.services.deadlines import reminder_label
from proposals.services.intake import MOTION_MIN_SIGNERS, motion_signer_count


def get_visible(user, pk: int):
    """The item if ``user`` may see it; another township's (or another deputy's) item is a 404."""
    return get_object_or_404(suggestions_visible_to(user).select_related("lead_deputy__user", "assigned_by",
                                                                         "responsible_leader_user", "entered_by"),
                             pk=pk)


def _has(model) -> Exists:
    return Exists(model.objects.filter(suggestion=OuterRef("pk")))


# The item page's lists that most items do not have (county data: co-units 23 % of the items, supervision actions
# 14 %, extensions 7 %, hand-backs 6 %, county opinions 1 %, attachments fewer): whether each has a row is read with
# the item, and a list without one is not queried (docs/performance.md, eighth round).
DETAIL_PRESENCE = {
    "has_co_units": _has(CoUnit), "has_extensions": _has(Extension), "has_hand_backs": _has(HandBackRequest),
    "has_opinions": _has(SupervisionOpinion), "has_supervisions": _has(SupervisionAction),
    "has_attachments": _has(Attachment),
}


class SuggestionCreateView(ServiceFormView):
    template_name = "proposals/suggestion_form.html"
    form_class = SuggestionForm
    submit_label = _("保存草稿")
    success_message = _("草稿已保存。确认无误后请点击“提交”。")
    one_time_token = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        townships = townships_where(request.user, SUBMIT)
        chosen = request.GET.get("township")
        self.township = (townships.filter(pk=chosen).first() if chosen and chosen.isdigit() else None) \
            or townships.order_by("pk").first()
        if self.township is None:
            raise PermissionDenied
        self.staff = has_perm(request.user, MANAGE, self.township) or scope_of(request.user).is_superuser
        self.own_deputy = None if self.staff else Deputy.objects.filter(
            user=request.user, township=self.township, status=DeputyStatus.SERVING).first()
        services.categories_ensure(township=self.township)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(township=self.township, staff=self.staff, lead=self.own_deputy)
        return kwargs

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in ("motion", "suggestion") else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=_("提出议案建议") if not self.staff else _("录入议案建议"),
                       township=self.township, staff=self.staff,
                       no_profile=not self.staff and self.own_deputy is None,
                       motion_min=MOTION_MIN_SIGNERS)
        return context

    def form_valid(self, form):
        if not self.staff and self.own_deputy is None:
            form.add_error(None, _("您的账号还没有关联代表档案，暂时不能提出建议。请联系本乡镇人大办。"))
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            suggestion = services.suggestion_create(
                township=self.township, by=self.request.user, kind=data["kind"], title=data["title"],
                content=data["content"], measures=data["measures"], category=data["category"],
                lead_deputy=data.get("lead_deputy") if self.staff else self.own_deputy,
                submitter_kind=data.get("submitter_kind") or SubmitterKind.DEPUTIES,
                raised_during=data["raised_during"], session_name=data["session_name"], session=data["session"],
                cosigners=data["cosigners"],
            )
            services.attachments_add(suggestion=suggestion, by=self.request.user, uploads=data["attachments"])
        return suggestion.get_absolute_url()


class SuggestionUpdateView(ServiceFormView):
    template_name = "proposals/suggestion_form.html"
    form_class = SuggestionForm
    submit_label = _("保存草稿")
    success_message = _("草稿已保存。")
    one_time_token = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.suggestion = get_visible(request.user, kwargs["pk"])
        if not permissions.can(request.user, "edit", self.suggestion):
            raise PermissionDenied
        self.staff = bool(relations(request.user, self.suggestion) & STAFF)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(township=self.suggestion.township, staff=self.staff,
                      lead=None if self.staff else self.suggestion.lead_deputy)
        return kwargs

    def get_initial(self):
        s = self.suggestion
        return {"kind": s.kind, "submitter_kind": s.submitter_kind, "lead_deputy": s.lead_deputy,
                "cosigners": [c.deputy for c in s.cosignatures.select_related("deputy")],
                "raised_during": s.raised_during, "session": s.session_id, "session_name": s.session_name,
                "category": s.category,
                "title": s.title, "content": s.content, "measures": s.measures}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(draft_problems=services.intake.draft_problems(self.suggestion) if not self.request.POST else [])
        context.update(page_title=_("修改草稿"), suggestion=self.suggestion, township=self.suggestion.township,
                       staff=self.staff, motion_min=MOTION_MIN_SIGNERS,
                       cancel_url=self.suggestion.get_absolute_url())
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        uploads = data.pop("attachments")
        with transaction.atomic():
            services.suggestion_update(
                suggestion=self.suggestion, by=self.request.user, cosigners=data.pop("cosigners"),
                lead_deputy=data.pop("lead_deputy", None),
                **{k: v for k, v in data.items() if k in services.intake.EDITABLE_FIELDS},
            )
            services.attachments_add(suggestion=self.suggestion, by=self.request.user, uploads=uploads)
        return self.suggestion.get_absolute_url()


ACCOUNTS = ("assigned_by", "responsible_leader_user", "entered_by")


def _read_accounts(suggestion) -> None:
    """The item's accounts (who assigned it, the responsible leader, who entered it, the lead deputy's) in one query
    of their own: joined to the item, the four made its query one of nine relations, ~6 ms of planning for 0.7 of
    execution."""
    from presidium.models import User

    deputy = suggestion.lead_deputy
    wanted = {getattr(suggestion, f"{name}_id") for name in ACCOUNTS} | {deputy.user_id if deputy else None}
    wanted.discard(None)
    users = User._base_manager.in_bulk(wanted) if wanted else {}  # as a join reads them: no manager's filter
    for name in ACCOUNTS:
        if getattr(suggestion, f"{name}_id") is not None:  # None: reading the field asks nothing
            setattr(suggestion, name, users[getattr(suggestion, f"{name}_id")])
    if deputy is not None and deputy.user_id is not None:
        deputy.user = users[deputy.user_id]


@login_required
def suggestion_detail(request, pk: int):
    suggestion = get_object_or_404(suggestions_visible_to(request.user).annotate(**DETAIL_PRESENCE), pk=pk)
    _read_accounts(suggestion)
    # the co-units are read once: the permission checks below (relations, actions, "why not") ask for them
    # through ``co_unit_links.all()`` several times; none: an empty queryset, which asks the database nothing
    prefetch_related_objects([suggestion], Prefetch("co_unit_links", queryset=(
        CoUnit.objects.select_related("unit", "opinion_by") if suggestion.has_co_units else CoUnit.objects.none())))
    user = request.user
    cosignatures = list(suggestion.cosignatures.select_related("deputy"))
    replies = list(
        suggestion.replies.select_related("unit", "submitted_by")
        .prefetch_related(Prefetch("rating", queryset=Rating.objects.select_related("rated_by")))
        .order_by("round")
    )
    for reply in replies:
        reply.rating_or_none = getattr(reply, "rating", None) if _has_rating(reply) else None
    co_unit_links = list(suggestion.co_unit_links.all())
    co_units = [link for link in co_unit_links if link.released_at is None]
    my_cosignature = next((c for c in cosignatures if c.deputy.user_id == user.pk and not c.confirmed_at
                           and not c.declined_at), None)
    actions = permissions.available(user, suggestion)
    held = relations(user, suggestion)
    contacts = _contacts_shown(request, suggestion, cosignatures, held)
    is_staff = bool(held & STAFF)
    extensions = (list(suggestion.extensions.select_related("unit", "requested_by", "decided_by"))
                  if suggestion.has_extensions else [])
    pending_extension = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    hand_backs = list(suggestion.hand_backs.select_related("unit", "suggested_unit", "new_unit", "requested_by",
                                                           "decided_by")) if suggestion.has_hand_backs else []
    pending_hand_back = next((h for h in hand_backs if h.status == HandBackStatus.PENDING), None)
    window = hand_back_window(suggestion) if "hand_back" in actions and pending_hand_back is None else None
    next_reminders = []
    if is_staff or "consult" in actions:
        next_reminders = list(reminders_for(suggestion).filter(status=ReminderStatus.SCHEDULED).order_by("due_at")[:3])
        for reminder in next_reminders:
            reminder.label = reminder_label(reminder.kind)
    return render(request, "proposals/suggestion_detail.html", {
        "s": suggestion,
        "can_send_opinion": has_perm(user, OPINION_SEND, suggestion.township) and not is_staff,
        "county_opinions": (list(opinions_visible_to(user).filter(suggestion=suggestion))
                            if suggestion.has_opinions else []),
        "cosignatures": cosignatures,
        "signers": motion_signer_count(suggestion, confirmed_only=True) if suggestion.is_motion else None,
        "motion_min": MOTION_MIN_SIGNERS,
        "my_cosignature": my_cosignature,
        "can_confirm_for_others": is_staff,
        "co_units": co_units,
        "co_unit_links": co_unit_links,
        "hand_backs": hand_backs,
        "pending_hand_back": pending_hand_back,
        "hand_back_window": window,
        "show_co_opinions": permissions.sees_co_unit_opinions(user, suggestion),
        "show_hand_backs": is_staff or Role.UNIT_LIAISON in held or scope_of(user).has_role(*COUNTY_ROLES),
        "consultations": list(suggestion.consultations.select_related("unit", "recorded_by")),
        "replies": replies,
        "extensions": extensions,
        "pending_extension": pending_extension,
        "supervisions": list(suggestion.supervisions.select_related("by")) if suggestion.has_supervisions else [],
        "attachments": (list(suggestion.attachments.select_related("uploaded_by"))
                        if suggestion.has_attachments else []),
        "log": list(suggestion.log.select_related("by")),
        "actions": actions,
        "upcoming": permissions.upcoming(user, suggestion, actions=actions),
        "draft_problems": services.intake.draft_problems(suggestion) if "edit" in actions else [],
        "contacts": contacts,
        "co_units_waiting": [link for link in co_units if not link.opinion],
        "is_staff": is_staff,
        "is_lead_liaison": "consult" in actions or any(k in actions for k in ("accept", "reply", "extension")),
        "today": timezone.localdate(),
        "next_reminders": next_reminders,
        "settings": settings_for(suggestion.township_id),
        "can_history": has_perm(user, "history.view", suggestion.township),
    })


def _contacts_shown(request, suggestion, cosignatures, held) -> list:
    """The deputies' mobiles for the handling units' liaisons while the item is open, each view logged."""
    if not permissions.sees_deputy_phones(request.user, suggestion, held=held):
        return []
    contacts = handling_contacts(suggestion, cosignatures)
    for contact in contacts:
        if contact.mobile:
            deputies_services.personal_data_access_record(
                user=request.user, purpose=PersonalDataPurpose.HANDLING, fields="mobile", deputy=contact.deputy,
                township=suggestion.township_id, path=request.get_full_path())
    return contacts


def _has_rating(reply: Reply) -> bool:
    try:
        reply.rating  # noqa: B018 — a reverse one-to-one raises when missing
    except Rating.DoesNotExist:
        return False
    return True


@login_required
def attachment_download(request, pk: int):
    """Files are private: served only to people who may see the item (another township's file: 404)."""
    attachment = get_object_or_404(Attachment.objects.select_related("suggestion"), pk=pk)
    if not services.config.attachment_visible(request.user, attachment):
        from django.http import Http404

        raise Http404
    # Checked PDFs and images are shown in the browser; everything else (and files kept before the
    # content checks) is a download. The serving function enforces the list of types it shows.
    return private_file_response(attachment.file, attachment.original_name, inline=attachment.content_checked,
                                 content_type=attachment.content_type)


def co_unit_for(user, suggestion) -> CoUnit | None:
    units = scope_of(user).unit_ids()
    return suggestion.co_unit_links.filter(unit_id__in=units, released_at__isnull=True).select_related("unit").first()


__all__ = ["SuggestionCreateView", "SuggestionUpdateView", "apply_validation_error", "attachment_download",
           "co_unit_for", "get_visible", "suggestion_detail", "ValidationError"]
