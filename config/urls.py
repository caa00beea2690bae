from django.contrib import admin
from django.urls import include, path

from presidium.notifications.views import account_settings, password_reset
from presidium.views import auth as auth_views
from presidium.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/password/reset/", password_reset, name="password_reset"),  # mail through the outbox
    path("accounts/", include(auth_views.urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("presidium.urls")),
    path("notifications/", include("presidium.notifications.urls")),
    path("documents/", include("presidium.documents.urls")),
    path("calendar/", include("presidium.calendar.urls")),
    path("deputies/", include("deputies.urls")),
    path("proposals/", include("proposals.urls")),
    path("public/projects/", include("presidium.votes.public_urls")),  # 民生实事项目公开: no login
    path("public/", include("proposals.public_urls")),
    path("xinfang/", include("petitions.public.urls")),  # 网上信访 and 信访查询: public, no login
    path("petitions/notices/", include("petitions.public.notice_urls")),
    path("petitions/reception/", include("petitions.reception.urls")),
    path("petitions/", include("petitions.urls")),
    path("meetings/", include("presidium.meetings.urls")),
    path("votes/", include("presidium.votes.urls")),
    path("bulletins/", include("presidium.bulletins.urls")),
    path("terms/", include("presidium.terms.urls")),
    path("evaluations/scorecards/", include("evaluations.scorecards.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("account/settings/", account_settings, name="account_settings"),
    path("admin/", admin.site.urls),
]

handler403 = "presidium.views.errors.permission_denied"
handler404 = "presidium.views.errors.page_not_found"
handler500 = "presidium.views.errors.server_error"
