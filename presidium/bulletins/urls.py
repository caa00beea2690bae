from django.urls import path

from presidium.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.ReadingListView.as_view(), name="reading"),
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.SeriesCreateView.as_view(), name="series_create"),
    path("series/<int:pk>/", views.IssueListView.as_view(), name="issue_list"),
    path("series/<int:pk>/edit/", views.SeriesEditView.as_view(), name="series_edit"),
    path("series/<int:pk>/new-issue/", views.IssueCreateView.as_view(), name="issue_create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", views.IssueEditView.as_view(), name="issue_edit"),
    path("issues/<int:pk>/articles/new/", views.ArticleCreateView.as_view(), name="article_create"),
    path("issues/<int:pk>/preview.pdf", views.issue_preview_pdf, name="issue_preview_pdf"),
    path("issues/<int:pk>/sign-off/", views.IssueSignOffView.as_view(), name="issue_sign_off"),
    path("issues/<int:pk>/publish/", views.issue_publish, name="issue_publish"),
    path("issues/<int:pk>/void/", views.IssueVoidView.as_view(), name="issue_void"),
    path("issues/<int:pk>/pdf/", views.issue_pdf_download, name="issue_pdf"),
    path("issues/<int:pk>/docx/", views.issue_docx_download, name="issue_docx"),
    path("articles/<int:pk>/edit/", views.ArticleEditView.as_view(), name="article_edit"),
    path("articles/<int:pk>/delete/", views.article_delete, name="article_delete"),
    path("articles/<int:pk>/move/", views.article_move, name="article_move"),
]
