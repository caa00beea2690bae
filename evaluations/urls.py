"""/evaluations/: evaluating units (namespace evaluations:units) and the county's scorecards of townships
(namespace scorecards, mounted beside it in config/urls.py)."""

from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("units/", include("evaluations.units.urls")),
]
