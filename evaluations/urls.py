from django.urls import include, path

urlpatterns = [
    path("scorecards/", include("evaluations.scorecards.urls")),
]
