"""Login, logout and password screens: Django's views with the portal's Chinese templates."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from presidium.forms import PortalAuthenticationForm


class PortalLoginView(auth.LoginView):
    """Django's login; "在本机保持登录" makes the session last ``REMEMBER_ME_DAYS`` from now instead of 12 h.

    The longer session is still ended by a password change: the session keeps a hash of the password and
    Django's authentication middleware logs out a session whose hash no longer matches.
    """

    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            self.request.session.set_expiry(timedelta(days=settings.REMEMBER_ME_DAYS))
        return response


urlpatterns = [
    path("login/", PortalLoginView.as_view(), name="login"),
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
