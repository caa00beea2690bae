"""Pages without login, mounted at ``/public/projects/``: each township's adopted livelihood projects."""

from django.urls import path

from presidium.votes.views import projects

app_name = "votes_public"

urlpatterns = [
    path("<int:township_id>/", projects.public_projects, name="projects"),
]
