from django.urls import include, path

from deputies.importing import roster_import_flow, roster_import_next_term_flow
from deputies.views import duty, organisation, registry, visits

app_name = "deputies"

urlpatterns = [
    # registry
    path("", registry.index, name="index"),
    path("roster/", registry.DeputyListView.as_view(), name="deputy_list"),  # not "": the nav marks prefixes active
    path("new/", registry.DeputyCreateView.as_view(), name="deputy_create"),
    path("me/", registry.my_profile, name="me"),
    path("statistics/", organisation.composition_view, name="composition"),
    path("access-log/", registry.AccessLogView.as_view(), name="access_log"),
    path("<int:pk>/", registry.deputy_detail, name="deputy_detail"),
    path("<int:pk>/edit/", registry.DeputyUpdateView.as_view(), name="deputy_update"),
    path("<int:pk>/status/", registry.DeputyStatusView.as_view(), name="deputy_status"),
    path("<int:pk>/account/", registry.DeputyAccountView.as_view(), name="deputy_account"),
    path("<int:pk>/reveal-id/", registry.deputy_reveal_id, name="deputy_reveal_id"),
    path("<int:pk>/photo/", registry.deputy_photo, name="deputy_photo"),
    path("<int:pk>/photo/upload/", registry.DeputyPhotoUploadView.as_view(), name="deputy_photo_upload"),
    path("<int:pk>/photo/remove/", registry.deputy_photo_remove, name="deputy_photo_remove"),
    # duty archive and records
    path("<int:pk>/archive/", duty.deputy_archive, name="deputy_archive"),
    path("<int:pk>/archive/card.pdf", duty.deputy_archive_pdf, name="deputy_archive_pdf"),
    path("<int:pk>/archive/card.docx", duty.deputy_archive_docx, name="deputy_archive_docx"),
    path("<int:pk>/pledge/", duty.PledgeView.as_view(), name="pledge"),
    path("<int:pk>/voter-report/", duty.VoterReportView.as_view(), name="voter_report"),
    path("<int:pk>/assessment/", duty.AssessmentView.as_view(), name="assessment"),
    path("<int:pk>/trainings/new/", duty.TrainingView.as_view(), name="training_add"),
    path("<int:pk>/awards/new/", duty.AwardView.as_view(), name="award_add"),
    path("trainings/<int:pk>/remove/", duty.training_remove, name="training_remove"),
    path("awards/<int:pk>/remove/", duty.award_remove, name="award_remove"),
    path("duty/", duty.DutyOverviewView.as_view(), name="duty_overview"),
    path("targets/", duty.VisitTargetView.as_view(), name="targets"),
    # constituencies, groups, stations
    path("constituencies/", organisation.ConstituencyListView.as_view(), name="constituency_list"),
    path("constituencies/new/", organisation.ConstituencyCreateView.as_view(), name="constituency_create"),
    path("constituencies/<int:pk>/edit/", organisation.ConstituencyUpdateView.as_view(), name="constituency_update"),
    path("groups/", organisation.GroupListView.as_view(), name="group_list"),
    path("groups/new/", organisation.GroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", organisation.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", organisation.GroupUpdateView.as_view(), name="group_update"),
    path("groups/<int:pk>/members/", organisation.GroupMembersView.as_view(), name="group_members"),
    path("stations/", organisation.StationListView.as_view(), name="station_list"),
    path("stations/new/", organisation.StationCreateView.as_view(), name="station_create"),
    path("stations/<int:pk>/", organisation.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", organisation.StationUpdateView.as_view(), name="station_update"),
    path("stations/<int:pk>/staff/new/", organisation.StationStaffCreateView.as_view(), name="station_staff_add"),
    path("stations/<int:pk>/deputies/", organisation.StationDeputiesView.as_view(), name="station_deputies"),
    path("stations/staff/<int:pk>/remove/", organisation.station_staff_remove, name="station_staff_remove"),
    # visits
    path("visits/", visits.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", visits.VisitFormView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.VisitFormView.as_view(), name="visit_update"),
    path("visits/<int:pk>/delete/", visits.visit_delete, name="visit_delete"),
    path("visits/photos/<int:pk>/", visits.visit_photo, name="visit_photo"),
    path("visits/photos/<int:pk>/thumbnail/", visits.visit_photo_thumbnail, name="visit_photo_thumbnail"),
    path("visits/photos/<int:pk>/delete/", visits.visit_photo_delete, name="visit_photo_delete"),
    path("opinions/<int:pk>/convert/<slug:kind>/", visits.opinion_convert, name="opinion_convert"),
    # roster import (the foundation's flow: upload, preview, commit, discard, template, file)
    path("import/next-term/", include(roster_import_next_term_flow.urls())),
    path("import/", include(roster_import_flow.urls())),
]
