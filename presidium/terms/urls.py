from django.urls import path

from presidium.terms import views

app_name = "terms"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.steps, name="steps"),
    path("<int:pk>/open/", views.open_next, name="open_next"),
    path("<int:pk>/not-reelected/", views.mark_not_reelected, name="mark_not_reelected"),
    path("<int:pk>/carry-over/", views.carry_over, name="carry_over"),
    path("<int:pk>/switch/", views.switch, name="switch"),
]
