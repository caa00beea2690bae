"""The registry screens: the roster, a deputy's page, registration, status changes, account, photo."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies import access as deputies_access
from deputies import selectors, services
from deputies.choices import STATUS_TRANSITIONS
from deputies.filters import DeputyFilter
from deputies.forms import DeputyAccountForm, DeputyForm, DeputyStatusForm, PhotoForm
from deputies.models import Deputy, DeputyStatusChange, PersonalDataAccess
from deputies.roster_rows import RosterRows
from deputies.views.common import (
    DeputiesListView,
    DeputyServiceFormView,
    log_personal_data,
    personal_township_ids,
)
from presidium.access import MANAGE_ACCOUNTS, AccountRefused, has_perm, township_ids_where, townships_where
from presidium.documents.excel import Column
from presidium.documents.storage import private_file_response
from presidium.models import User
from presidium.views.forms import ServiceFormView

DEPUTY_FORM_SECTIONS = [
    (gettext_lazy("基本情况"), ("township", "name", "gender", "ethnicity", "birth_date", "affiliation", "education",
                             "sector", "work_unit", "post")),
    (gettext_lazy("联系方式（个人信息）"), ("mobile", "id_number", "address")),
    (gettext_lazy("代表资格与编组"), ("level", "higher_level", "elected_on", "constituency", "group", "station", "note")),
]


class DeputyFormMixin:
    template_name = "deputies/deputy_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = DEPUTY_FORM_SECTIONS
        return context


def roster_columns(personal_ids: frozenset[int]) -> list[Column]:
    """The roster's columns; personal data is masked outside ``personal_ids`` (townships the viewer administers)."""

    def personal(attr: str, masked: str):
        return lambda d: getattr(d, attr) if d.township_id in personal_ids else getattr(d, masked)

    return [
        Column("乡镇", "township.name", 10), Column("姓名", "name", 10), Column("性别", "get_gender_display", 6),
        Column("民族", "get_ethnicity_display", 8), Column("出生年月", lambda d: d.birth_date and d.birth_date.strftime("%Y.%m"), 10),
        Column("年龄", "age", 6), Column("政治面貌", "get_affiliation_display", 12),
        Column("文化程度", "get_education_display", 10), Column("界别", "get_sector_display", 12),
        Column("工作单位", "work_unit", 24), Column("职务", "post", 14), Column("代表层级", "get_level_display", 18),
        Column("同时是", "get_higher_level_display", 12), Column("选区", "constituency.name", 12),
        Column("代表小组", "group.name", 14), Column("联络站", "station.name", 16),
        Column("手机号码", personal("mobile", "masked_mobile"), 14),
        Column("身份证号码", personal("id_number", "masked_id_number"), 22),
        Column("住址", personal("address", "masked_address"), 24),
        Column("状态", "get_status_display", 8), Column("状态日期", "status_since", 12), Column("备注", "note", 20),
    ]


class DeputyListView(DeputiesListView):
    required_action = deputies_access.VIEW_REGISTRY
    filterset_class = DeputyFilter
    template_name = "deputies/deputy_list.html"
    page_title = gettext_lazy("代表名册")
    export_filename = "代表名册"
    export_columns = True  # built per request in get_export_columns (masking depends on the viewer)
    personal_fields = "mobile,id_number,address"
    # A page reads the columns its rows show (roster_rows.py) and the names of the township, group and station: the
    # full rows of the four tables (the station's fourteen columns, the deputy's address, photo and note) were read
    # and decoded for 50 rows; the export reads every column (PortalListView.row_fields).
    row_joins = ("township", "group", "station")
    row_fields = ("township__name", "name", "gender", "birth_date", "affiliation", "sector", "work_unit", "post",
                  "level", "group__name", "station__name", "mobile", "status", "status_since")

    def visible_queryset(self):
        # The page never shows the ID number: not decrypted for its rows (a Fernet decryption a row, 3 ms a page).
        # Nor the constituency or the term: joined for their columns, they made PostgreSQL spend 10-13 ms planning
        # the six-table join at county scale, for a query that runs in 1 ms (the term is still joined where the
        # 本届 filter asks for it).
        return selectors.deputies_visible_to(self.request.user).select_related(None).select_related(
            "township", "group", "station").defer("id_number").order_by("name_pinyin", "name", "pk")

    def export_rows(self, queryset):
        # the ledger has the ID number column (masked unless the viewer may see it) and the constituency
        return queryset.defer(None).select_related("constituency")

    def get_export_columns(self):
        return roster_columns(personal_township_ids(self.request))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        personal = personal_township_ids(self.request)
        show_township = len({d.township_id for d in rows}) > 1
        row_html = RosterRows(show_township=show_township)
        for deputy in rows:
            deputy.shown_mobile = deputy.mobile if deputy.township_id in personal else deputy.masked_mobile
            deputy.row_html = row_html(deputy)
        log_personal_data(self.request, purpose="list", fields="mobile", rows=[d for d in rows if d.mobile])
        context.update(
            deputies=rows,
            show_township=show_township,
            can_manage=bool(township_ids_where(self.request.user, deputies_access.MANAGE)),
        )
        return context


@login_required
def deputy_detail(request, pk: int):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    can_manage = has_perm(request.user, deputies_access.MANAGE, deputy.township)
    show_personal = deputy.township_id in personal_township_ids(request)
    if show_personal and (deputy.mobile or deputy.address):
        log_personal_data(request, purpose="detail", fields="mobile,address", rows=[deputy], deputy=deputy)
    changes = DeputyStatusChange.objects.filter(deputy=deputy).select_related("recorded_by")
    year = timezone.localdate().year
    progress = selectors.progress_for([deputy], year)[deputy.pk]
    return render(request, "deputies/deputy_detail.html", {
        "deputy": deputy,
        "can_manage": can_manage,
        "show_personal": show_personal,
        "status_changes": changes,
        "posts": deputy.station_posts.select_related("station"),
        "progress": progress,
        "year": year,
        "recent_visits": deputy.visits.order_by("-visited_on", "-pk")[:5],
        "can_record_visit": deputy.is_serving and has_perm(request.user, deputies_access.RECORD_VISIT, deputy.township)
        and (not deputies_access.is_deputy_only(request.user) or deputy.user_id == request.user.pk),
        "status_choices": STATUS_TRANSITIONS[deputy.status],
    })


@login_required
@require_POST
def deputy_reveal_id(request, pk: int):
    """Show the full ID number once, to those who administer deputies; every reveal is logged."""
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    if not has_perm(request.user, deputies_access.VIEW_PERSONAL, deputy.township):
        raise PermissionDenied
    if deputy.id_number:
        services.personal_data_access_record(user=request.user, purpose="reveal", fields="id_number", deputy=deputy,
                                             path=request.get_full_path())
    if request.headers.get("HX-Request"):
        return render(request, "deputies/_id_number.html", {"deputy": deputy, "revealed": True})
    return render(request, "deputies/deputy_id_reveal.html", {"deputy": deputy})


class DeputyCreateView(DeputyFormMixin, ServiceFormView):
    form_class = DeputyForm
    page_title = gettext_lazy("登记代表")
    success_message = gettext_lazy("代表已登记。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_perm(request.user, deputies_access.MANAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = townships_where(self.request.user, deputies_access.MANAGE)
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        deputy = services.deputy_create(by=self.request.user, **data)
        return deputy.get_absolute_url()


class DeputyUpdateView(DeputyFormMixin, DeputyServiceFormView):
    form_class = DeputyForm
    success_message = gettext_lazy("代表信息已保存。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(townships=townships_where(self.request.user, deputies_access.MANAGE).filter(
            pk=self.deputy.township_id), deputy=self.deputy)
        return kwargs

    def get_initial(self):
        from deputies.forms import DEPUTY_FORM_FIELDS

        # The ID number is never sent back to the browser: blank means "keep", a new value replaces it.
        initial = {name: getattr(self.deputy, name) for name in DEPUTY_FORM_FIELDS if name != "id_number"}
        initial["township"] = self.deputy.township
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.deputy.id_number and "id_number" in form.fields:
            form.fields["id_number"].help_text = _("现为 %(m)s。留空表示不修改；填写则替换。") % {
                "m": self.deputy.masked_id_number}
        return form

    def get(self, request, *args, **kwargs):
        if self.deputy.mobile or self.deputy.address:
            log_personal_data(request, purpose="detail", fields="mobile,address", rows=[self.deputy],
                              deputy=self.deputy)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("修改代表信息 · %(n)s") % {"n": self.deputy.name}, **kwargs)

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "township"}
        changed = {k: v for k, v in data.items() if k in form.changed_data}
        if not (changed.get("id_number") or "").strip():
            changed.pop("id_number", None)
        deputy = services.deputy_update(deputy=self.deputy, by=self.request.user, **changed)
        return deputy.get_absolute_url()


class DeputyStatusView(DeputyServiceFormView):
    form_class = DeputyStatusForm
    success_message = gettext_lazy("代表状态已变更。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["allowed"] = sorted(STATUS_TRANSITIONS[self.deputy.status])
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("变更代表状态 · %(n)s（现为%(s)s）") % {"n": self.deputy.name, "s": self.deputy.get_status_display()},
            form_intro=_("代表离任后，其走访、履职档案等记录全部保留。更正误登记时选择“在任”并写明原因。"),
            submit_label=_("确认变更"), **kwargs)

    def perform(self, form):
        services.deputy_change_status(deputy=self.deputy, by=self.request.user, **form.cleaned_data)
        return self.deputy.get_absolute_url()


class DeputyAccountView(DeputyServiceFormView):
    """Link the deputy's login account. Linking grants the deputy role, so it needs accounts.manage."""

    form_class = DeputyAccountForm
    success_message = gettext_lazy("登录账号已更新。")
    action = MANAGE_ACCOUNTS

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Active accounts holding a role in this township, not linked to another deputy.
        kwargs["users"] = (User.objects.filter(is_active=True, role_assignments__township=self.deputy.township)
                           .exclude(deputy_profile__in=Deputy.objects.exclude(pk=self.deputy.pk))
                           .distinct().order_by("real_name", "username"))
        return kwargs

    def get_initial(self):
        return {"user": self.deputy.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("关联登录账号 · %(n)s") % {"n": self.deputy.name},
            form_intro=_("账号须先在“账号与角色”中开设。"), **kwargs)

    def perform(self, form):
        try:
            services.deputy_link_user(deputy=self.deputy, by=self.request.user, user=form.cleaned_data["user"])
        except AccountRefused as refusal:
            # The list offers every account of the township; granting the deputy role to one the
            # manager may not manage (the chair's, a county admin's) is refused: say why on the form.
            raise ValidationError({"user": refusal.reason}) from refusal
        return self.deputy.get_absolute_url()


class DeputyPhotoUploadView(DeputyServiceFormView):
    form_class = PhotoForm
    success_message = gettext_lazy("照片已更新。")
    one_time_token = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("上传照片 · %(n)s") % {"n": self.deputy.name}, **kwargs)

    def perform(self, form):
        services.deputy_set_photo(deputy=self.deputy, by=self.request.user, upload=form.cleaned_data["photo"])
        return self.deputy.get_absolute_url()


@login_required
def deputy_photo(request, pk: int):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    if not deputy.photo:
        raise Http404
    return private_file_response(deputy.photo, f"{deputy.pk}.jpg", inline=True, content_type="image/jpeg")


@login_required
@require_POST
def deputy_photo_remove(request, pk: int):
    deputy = get_object_or_404(selectors.deputies_visible_to(request.user), pk=pk)
    if not has_perm(request.user, deputies_access.MANAGE, deputy.township):
        raise PermissionDenied
    services.deputy_remove_photo(deputy=deputy, by=request.user)
    messages.success(request, _("照片已删除。"))
    return redirect(deputy.get_absolute_url())


@login_required
def index(request):
    """/deputies/: the roster for those who keep it, a deputy's own archive for a deputy."""
    if has_perm(request.user, deputies_access.VIEW_REGISTRY):
        return redirect("deputies:deputy_list")
    if has_perm(request.user, deputies_access.VIEW_ARCHIVE):
        return redirect("deputies:me")
    raise PermissionDenied


@login_required
def my_profile(request):
    """A deputy's own page: the Deputy linked to their account."""
    deputy = selectors.deputy_of(request.user)
    if deputy is None:
        return render(request, "deputies/not_linked.html", status=404)
    return redirect("deputies:deputy_archive", pk=deputy.pk)


class AccessLogView(DeputiesListView):
    """Who saw deputies' personal data unmasked: for those who administer deputies."""

    required_action = deputies_access.MANAGE
    template_name = "deputies/access_log.html"
    page_title = gettext_lazy("个人信息查看记录")
    export_filename = "个人信息查看记录"
    export_columns = [
        Column("时间", "at", 18), Column("查看人", "user", 12), Column("乡镇", "township.name", 10),
        Column("代表", "deputy.name", 10), Column("用途", "get_purpose_display", 16), Column("字段", "fields", 24),
        Column("人数", "row_count", 8), Column("页面", "path", 40),
    ]

    def get_filterset_class(self):
        from deputies.filters import AccessLogFilter

        return AccessLogFilter

    def visible_queryset(self):
        return (PersonalDataAccess.objects.filter(township__in=townships_where(self.request.user, deputies_access.MANAGE))
                .select_related("user", "township", "deputy").order_by("-at", "-pk"))

