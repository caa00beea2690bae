"""The public pages (no login), mounted at ``xinfang/`` with the namespace ``petitions_public``."""

from django.urls import path

from petitions.public import views

app_name = "petitions_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.petition_create, name="create"),
    path("receipt/", views.receipt, name="receipt"),
    path("lookup/", views.lookup, name="lookup"),
    path("case/", views.case, name="case"),
    path("case/review/", views.review_request, name="review_request"),
    path("case/leave/", views.leave, name="leave"),
]
