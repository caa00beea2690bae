from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("units/", include("evaluations.units.urls")),
]
