"""Bulletin screens: series (staff), issues per series with search, compose, preview, sign-off, publish,
void, downloads, and the readers' list (deputies on the phone). Access: :mod:`presidium.bulletins.access`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from presidium.access import STAFF_ROLES, has_perm, require_perm, scope_of, townships_where
from presidium.bulletins import access, lifecycle, services
from presidium.bulletins.choices import IssueState
from presidium.bulletins.documents import issue_docx, issue_pdf
from presidium.bulletins.filters import IssueFilter, ReadingFilter
from presidium.bulletins.forms import (
    ArticleForm,
    IssueCreateForm,
    IssueEditForm,
    SeriesForm,
    SignOffForm,
    VoidForm,
)
from presidium.bulletins.models import Article, BulletinNumber
from presidium.bulletins.numbering import suggest_next
from presidium.bulletins.reading_cards import ReadingCards
from presidium.bulletins.selectors import issues_to_read, issues_visible_to, series_visible_to
from presidium.choices import Role
from presidium.documents.excel import Column
from presidium.documents.pdf import pdf_response
from presidium.documents.storage import private_file_response
from presidium.documents.word import docx_response
from presidium.views.forms import ServiceFormView
from presidium.views.lists import PortalListView


def _series(request, pk):
    # Deputies and liaisons see no series at all (they read issues): a series is then simply not found.
    return get_object_or_404(series_visible_to(request.user), pk=pk)


def _managed_series(request, pk):
    series = _series(request, pk)
    if not access.can_manage(request.user, series):
        raise PermissionDenied
    return series


def _issue(request, pk):
    return get_object_or_404(issues_visible_to(request.user), pk=pk)


def _managed_issue(request, pk):
    issue = _issue(request, pk)
    if not access.can_manage(request.user, issue.series):
        raise PermissionDenied
    return issue


def _refuse(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


# --- series ------------------------------------------------------------------------------------------


@login_required
def series_list(request):
    require_perm(request.user, access.BROWSE)
    series = (series_visible_to(request.user)
              .annotate(published=Count("issues", filter=Q(issues__state=IssueState.PUBLISHED)),
                        drafts=Count("issues", filter=Q(issues__state__in=[IssueState.DRAFT, IssueState.SIGNED_OFF])))
              .order_by("county__name", "township__name", "kind", "masthead", "pk"))
    rows = [(s, access.can_manage(request.user, s)) for s in series]
    return render(request, "bulletins/bulletinseries_list.html", {
        "rows": rows, "can_create": access.may_create_series(request.user),
    })


def _county_admin_county(user):
    ids = sorted(scope_of(user).county_ids({Role.COUNTY_ADMIN}))
    if not ids:
        return None
    from presidium.models import County

    return County.objects.get(pk=ids[0])


class SeriesCreateView(ServiceFormView):
    form_class = SeriesForm
    page_title = _l("新建简报系列")
    success_message = _l("简报系列已建立，可以新编一期了。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.may_create_series(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["townships"] = townships_where(self.request.user, access.MANAGE).order_by("name")
        kwargs["county_allowed"] = _county_admin_county(self.request.user) is not None
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        township = data.pop("township", None)
        if township is not None:
            county = township.county
        else:
            county = _county_admin_county(self.request.user)
            if county is None:
                raise ValidationError({"township": _("请选择乡镇。")})
        series = services.series_create(county=county, township=township, by=self.request.user, **data)
        return reverse("bulletins:issue_list", args=[series.pk])


class SeriesEditView(ServiceFormView):
    form_class = SeriesForm
    success_message = _l("简报系列设置已保存。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.series = _managed_series(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.series}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(s)s · 设置") % {"s": self.series}, **kwargs)

    def perform(self, form):
        services.series_update(series=self.series, by=self.request.user, **form.cleaned_data)
        return reverse("bulletins:issue_list", args=[self.series.pk])


# --- issues ------------------------------------------------------------------------------------------


class IssueListView(PortalListView):
    filterset_class = IssueFilter
    template_name = "bulletins/bulletinissue_list.html"
    export_filename = "简报目录"
    paginate_by = 30
    export_columns = [
        Column("年份", "year", 8),
        Column("期号", "number", 8),
        Column("总期号", "overall_number", 10),
        Column("印发日期", "issue_date", 12),
        Column("状态", "get_state_display", 10),
        Column("文章", lambda issue: "；".join(a.title for a in issue.articles.all()), 60),
        Column("责任编辑", "responsible_editor"),
        Column("签发人", "signer_name"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.series = _series(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self):
        return (issues_visible_to(self.request.user).filter(series=self.series)
                .prefetch_related("articles").order_by("-issue_date", "-pk"))

    @property
    def page_title(self):
        return _("%(s)s · 各期简报") % {"s": self.series}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = self.series
        context["can_manage"] = access.can_manage(self.request.user, self.series)
        if context["can_manage"]:
            context["number_records"] = BulletinNumber.objects.filter(series=self.series).select_related("issue")[:20]
        return context


class IssueCreateView(ServiceFormView):
    form_class = IssueCreateForm
    success_message = _l("已新建一期草稿：请添加文章，预览后签发。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.series = _managed_series(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"issue_date": timezone.localdate(), "responsible_editor": self.series.responsible_editor}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(s)s · 新编一期") % {"s": self.series}, **kwargs)

    def perform(self, form):
        issue = services.issue_create(series=self.series, by=self.request.user, **form.cleaned_data)
        return reverse("bulletins:issue_detail", args=[issue.pk])


@login_required
def issue_detail(request, pk: int):
    issue = _issue(request, pk)
    can_manage = access.can_manage(request.user, issue.series)
    articles = list(issue.articles.order_by("position", "pk"))
    context = {
        "issue": issue,
        "series": issue.series,
        "articles": articles,
        "lines": services.recipients_of_lines(issue),
        "can_manage": can_manage,
        "can_browse": has_perm(request.user, access.BROWSE),
        "refusals": {action: lifecycle.refusal_reason(issue.state, action)
                     for action in (lifecycle.SIGN_OFF, lifecycle.PUBLISH, lifecycle.VOID)},
    }
    return render(request, "bulletins/bulletinissue_detail.html", context)


class _IssueFormView(ServiceFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.issue = _managed_issue(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def detail_url(self):
        return reverse("bulletins:issue_detail", args=[self.issue.pk])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("cancel_url", self.detail_url())
        return super().get_context_data(**kwargs)


class IssueEditView(_IssueFormView):
    form_class = IssueEditForm
    success_message = _l("日期、责任编辑和分送范围已保存。")

    def get_form_kwargs(self):
        from deputies.models import Deputy
        from deputies.selectors import serving
        from presidium.models import HandlingUnit

        township_id = self.issue.series.township_id
        units = HandlingUnit.objects.filter(township_id=township_id, is_active=True).order_by("name")
        deputies = serving(Deputy.objects.filter(township_id=township_id)).order_by("name_pinyin", "pk")
        return {**super().get_form_kwargs(), "units": units, "deputies": deputies}

    def get_initial(self):
        rows = list(self.issue.recipients.all())

        def text(line):
            return "、".join(r.name for r in rows if r.line == line and r.kind == "text")

        return {"issue_date": self.issue.issue_date, "responsible_editor": self.issue.responsible_editor,
                "to_all_deputies": self.issue.to_all_deputies, "report_to": text("report"), "send_to": text("send"),
                "issue_to": text("issue"), "units": [r.unit_id for r in rows if r.unit_id],
                "deputies": [r.deputy_id for r in rows if r.deputy_id]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(i)s · 日期与分送") % {"i": self.issue}, **kwargs)

    def perform(self, form):
        services.issue_update(issue=self.issue, by=self.request.user, **form.cleaned_data)
        return self.detail_url()


class ArticleCreateView(_IssueFormView):
    form_class = ArticleForm
    success_message = _l("文章已添加。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("%(i)s · 添加文章") % {"i": self.issue}, **kwargs)

    def perform(self, form):
        services.article_create(issue=self.issue, by=self.request.user, **form.cleaned_data)
        return self.detail_url()


def _managed_article(request, pk) -> Article:
    article = get_object_or_404(Article.objects.filter(issue__in=issues_visible_to(request.user).values("pk")), pk=pk)
    if not access.can_manage(request.user, article.issue.series):
        raise PermissionDenied
    return article


class ArticleEditView(_IssueFormView):
    form_class = ArticleForm
    success_message = _l("文章已保存。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.article = _managed_article(request, kwargs["pk"])
            self.issue = self.article.issue
        return ServiceFormView.dispatch(self, request, *args, **kwargs)

    def get_initial(self):
        return {"title": self.article.title, "body": self.article.body_html, "source": self.article.source}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("修改文章：%(t)s") % {"t": self.article.title}, **kwargs)

    def perform(self, form):
        services.article_update(article=self.article, by=self.request.user, **form.cleaned_data)
        return self.detail_url()


@login_required
@require_POST
def article_delete(request, pk: int):
    article = _managed_article(request, pk)
    try:
        services.article_delete(article=article, by=request.user)
        messages.success(request, _("文章已删除。"))
    except ValidationError as error:
        _refuse(request, error)
    return redirect("bulletins:issue_detail", article.issue_id)


@login_required
@require_POST
def article_move(request, pk: int):
    article = _managed_article(request, pk)
    try:
        services.article_move(article=article, by=request.user, up=request.POST.get("direction") != "down")
    except ValidationError as error:
        _refuse(request, error)
    return redirect("bulletins:issue_detail", article.issue_id)


@login_required
def issue_preview_pdf(request, pk: int):
    """The issue as it would print now; before publication every page says 样稿."""
    issue = _managed_issue(request, pk)
    content = issue_pdf(issue, draft=issue.state != IssueState.PUBLISHED)
    return pdf_response(content, f"{issue.file_stem}-预览")


class IssueSignOffView(_IssueFormView):
    form_class = SignOffForm

    def get(self, request, *args, **kwargs):
        reason = lifecycle.refusal_reason(self.issue.state, lifecycle.SIGN_OFF)
        if reason:
            messages.error(request, reason)
            return redirect(self.detail_url())
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"number": suggest_next(self.issue.series, self.issue.issue_date.year).number}

    def get_context_data(self, **kwargs):
        nxt = suggest_next(self.issue.series, self.issue.issue_date.year)
        intro = _("按印发日期，本期编入 %(year)s 年；下一期为第 %(n)s 期（总第 %(o)s 期）。签发后内容不能再改。") % {
            "year": nxt.year, "n": nxt.number, "o": nxt.overall_number}
        return super().get_context_data(page_title=_("签发：%(i)s") % {"i": self.issue}, form_intro=intro,
                                        submit_label=_("签发并编号"), **kwargs)

    def perform(self, form):
        self.issue = services.issue_sign_off(issue=self.issue, by=self.request.user, **form.cleaned_data)
        return self.detail_url()

    def get_success_message(self):
        return _("已签发，期号为 %(n)s（%(o)s）。可以印发了。") % {"n": self.issue.number_text, "o": self.issue.overall_text}


@login_required
@require_POST
def issue_publish(request, pk: int):
    issue = _managed_issue(request, pk)
    try:
        issue = services.issue_publish(issue=issue, by=request.user)
        messages.success(request, _("已印发：PDF 已生成，分送名单已固定，有账号的代表已收到通知。"))
    except ValidationError as error:
        _refuse(request, error)
    return redirect("bulletins:issue_detail", issue.pk)


class IssueVoidView(_IssueFormView):
    form_class = VoidForm
    success_message = _l("这期简报已作废；已给出的期号留档，不再使用。")

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=_("作废：%(i)s") % {"i": self.issue}, submit_label=_("作废"),
                                        **kwargs)

    def perform(self, form):
        services.issue_void(issue=self.issue, by=self.request.user, **form.cleaned_data)
        return self.detail_url()


@login_required
def issue_pdf_download(request, pk: int):
    """The published PDF as stored (its SHA-256 recorded at publication)."""
    issue = _issue(request, pk)
    if issue.state != IssueState.PUBLISHED:
        raise Http404
    if issue.pdf_deferred:  # loaded in bulk (seed_demo --scale): rendered and kept on the first download
        issue = services.issue_store_deferred_pdf(issue=issue, by=request.user)
    return private_file_response(issue.pdf, f"{issue.file_stem}.pdf", content_type="application/pdf")


@login_required
def issue_docx_download(request, pk: int):
    """An editable Word copy of the issue (for the office; not the record — the PDF is)."""
    issue = _managed_issue(request, pk)
    return docx_response(issue_docx(issue), issue.file_stem)


# --- readers ------------------------------------------------------------------------------------------


class ReadingListView(PortalListView):
    """简报阅读: published issues sent to the user or their township, newest first, as cards on a phone."""

    filterset_class = ReadingFilter
    template_name = "bulletins/reading_list.html"
    page_title = _l("简报阅读")
    paginate_by = 20

    def visible_queryset(self):
        # The cards show each article's title only: not its body (HTML and text, the heavy columns).
        return issues_to_read(self.request.user).prefetch_related(
            Prefetch("articles", queryset=Article.objects.only("issue", "title")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_staff"] = scope_of(self.request.user).has_role(*STAFF_ROLES)
        card = ReadingCards()
        context["cards"] = [card(issue) for issue in context["object_list"]]
        return context
