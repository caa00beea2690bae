from django.urls import path

from petitions.reception import views

app_name = "reception"

urlpatterns = [
    path("", views.DayListView.as_view(), name="day_list"),
    path("arrange/", views.RotaView.as_view(), name="generate"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("<int:pk>/", views.day_detail, name="day_detail"),
    path("<int:pk>/edit/", views.DayEditView.as_view(), name="day_edit"),
    path("<int:pk>/cancel/", views.DayCancelView.as_view(), name="day_cancel"),
    path("<int:pk>/duties/add/", views.duty_add, name="duty_add"),
    path("<int:pk>/absent-all/", views.day_mark_absent_all, name="day_absent_all"),
    path("duties/<int:pk>/sign-in/", views.duty_sign_in, name="duty_sign_in"),
    path("duties/<int:pk>/leave/", views.DutyLeaveView.as_view(), name="duty_leave"),
    path("duties/<int:pk>/absent/", views.duty_absent, name="duty_absent"),
    path("duties/<int:pk>/confirm/", views.duty_confirm, name="duty_confirm"),
]
