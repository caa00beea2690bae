from django.urls import path

from presidium.meetings.views import calendar, meetings, mine, outcomes

app_name = "meetings"

urlpatterns = [
    path("", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("new/", meetings.MeetingScheduleView.as_view(), name="meeting_schedule"),
    path("mine/", mine.my_meetings, name="mine"),
    path("calendar/", calendar.month_view, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.month_view, name="calendar_month"),
    path("feed/", calendar.feed_page, name="feed"),
    path("feed/renew/", calendar.feed_renew, name="feed_renew"),
    path("ical/<str:token>.ics", calendar.feed_ics, name="ical"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("<int:pk>/cancel/", meetings.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("<int:pk>/held/", meetings.meeting_mark_held, name="meeting_held"),
    path("<int:pk>/agenda/", meetings.AgendaView.as_view(), name="agenda"),
    path("<int:pk>/invite/", meetings.InviteView.as_view(), name="invite"),
    path("<int:pk>/attendance/", meetings.attendance_record, name="attendance"),
    path("<int:pk>/documents/", outcomes.DocumentUploadView.as_view(), name="document_upload"),
    path("<int:pk>/outcomes/new/", outcomes.OutcomeAddView.as_view(), name="outcome_add"),
    path("invitations/<int:pk>/remove/", meetings.invitation_remove, name="invitation_remove"),
    path("invitations/<int:pk>/leave/", mine.LeaveView.as_view(), name="leave"),
    path("documents/<int:pk>/", outcomes.document_download, name="document_download"),
    path("documents/<int:pk>/remove/", outcomes.document_remove, name="document_remove"),
    path("outcomes/<int:outcome>/edit/", outcomes.OutcomeEditView.as_view(), name="outcome_edit"),
    path("outcomes/<int:outcome>/send/", outcomes.OutcomeSendView.as_view(), name="outcome_send"),
    path("outcomes/<int:outcome>/answer/", outcomes.OutcomeAnswerView.as_view(), name="outcome_answer"),
    path("outcomes/<int:outcome>/rectification/", outcomes.OutcomeRectificationView.as_view(),
         name="outcome_rectification"),
    path("outcomes/<int:outcome>/rectified/", outcomes.OutcomeRectifiedView.as_view(), name="outcome_rectified"),
    path("outcomes/<int:outcome>/convert/", outcomes.outcome_convert, name="outcome_convert"),
]
