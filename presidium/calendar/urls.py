from django.urls import path

from presidium.calendar import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.month_view, name="month"),
    path("<int:year>/<int:month>/", views.month_view, name="month_detail"),
    path("<int:year>/", views.year_view, name="year"),
    path("<int:year>/history/", views.history_view, name="history"),
    path("<int:year>/confirm/", views.year_confirm_view, name="year_confirm"),
    path("<int:year>/reopen/", views.YearReopenView.as_view(), name="year_reopen"),
    path("days/edit/", views.CalendarDayEditView.as_view(), name="day_edit"),
    path("days/clear/", views.day_clear_view, name="day_clear"),
    path("deadline/", views.deadline_view, name="deadline"),
]
