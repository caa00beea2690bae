from django.urls import path

from presidium.views import accounts, history, org

app_name = "presidium"

urlpatterns = [
    path("townships/", org.township_list, name="township_list"),
    path("townships/<int:pk>/", org.township_detail, name="township_detail"),
    path("townships/<int:pk>/settings/", org.TownshipSettingsView.as_view(), name="township_settings"),
    path("townships/<int:pk>/terms/new/", org.TermCreateView.as_view(), name="term_create"),
    path("townships/<int:pk>/presidium/new/", org.PresidiumMemberCreateView.as_view(), name="member_create"),
    path("units/", org.HandlingUnitListView.as_view(), name="unit_list"),
    path("units/new/", org.HandlingUnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/edit/", org.HandlingUnitUpdateView.as_view(), name="unit_update"),
    path("history/<str:key>/<int:pk>/", history.object_history, name="object_history"),
    path("accounts/", accounts.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", accounts.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/roles/new/", accounts.AccountRoleGrantView.as_view(), name="account_role_grant"),
    path("accounts/<int:pk>/password/", accounts.AccountPasswordResetView.as_view(), name="account_password_reset"),
    path("accounts/roles/<int:pk>/revoke/", accounts.role_revoke_view, name="role_revoke"),
]
