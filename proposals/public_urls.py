"""Pages without login, mounted at ``/public/``: the 五公开 list of each township."""

from django.urls import path

from proposals.views import reports

app_name = "proposals_public"

urlpatterns = [
    path("<int:township_id>/suggestions/", reports.public_list, name="suggestions"),
]
