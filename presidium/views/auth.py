"""Login, logout and password screens: Django's views with the portal's Chinese templates."""

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from presidium.forms import PortalAuthenticationForm

urlpatterns = [
    path("login/", auth.LoginView.as_view(authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/change/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # password_reset itself ("password/reset/") is wired in config/urls.py: its e-mail leaves through
    # the outbox (presidium.notifications.views.PasswordResetView), which this module does not import.
    path("password/reset/done/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("password_reset_complete")), name="password_reset_confirm"),
    path("password/reset/complete/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
