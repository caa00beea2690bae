"""Staff and deputies' screens of votes and livelihood projects, mounted at ``/votes/``."""

from django.urls import path

from presidium.votes.views import projects, votes

app_name = "votes"

urlpatterns = [
    path("", votes.VoteListView.as_view(), name="vote_list"),
    path("meeting/<int:meeting_id>/new/", votes.VoteCreateView.as_view(), name="vote_create"),
    path("meeting/<int:meeting_id>/projects/", votes.ProjectVoteCreateView.as_view(), name="project_vote_create"),
    path("<int:pk>/", votes.vote_detail, name="vote_detail"),
    path("<int:pk>/tally/<int:entry>/", votes.VoteTallyView.as_view(), name="vote_tally"),
    path("<int:pk>/correct/", votes.VoteCorrectView.as_view(), name="vote_correct"),
    path("<int:pk>/<str:action>/", votes.vote_step, name="vote_step"),
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/progress/", projects.ProgressReportView.as_view(), name="project_progress"),
    path("projects/<int:pk>/satisfaction/", projects.SatisfactionView.as_view(), name="project_satisfaction"),
    path("projects/photos/<int:pk>/", projects.progress_photo, name="progress_photo"),
]
