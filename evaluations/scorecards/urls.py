from django.urls import path

from evaluations.scorecards.views import checklists, responses

app_name = "scorecards"

urlpatterns = [
    path("", checklists.ChecklistListView.as_view(), name="checklist_list"),
    path("new/", checklists.ChecklistCreateView.as_view(), name="checklist_create"),
    path("<int:pk>/", checklists.checklist_detail, name="checklist_detail"),
    path("<int:pk>/edit/", checklists.ChecklistEditView.as_view(), name="checklist_edit"),
    path("<int:pk>/items/add/", checklists.ItemFormView.as_view(), name="item_add"),
    path("items/<int:item>/edit/", checklists.ItemFormView.as_view(), name="item_edit"),
    path("items/<int:item>/delete/", checklists.item_delete, name="item_delete"),
    path("<int:pk>/publish/", checklists.checklist_publish, name="checklist_publish"),
    path("<int:pk>/close/", checklists.checklist_close, name="checklist_close"),
    path("<int:pk>/copy/", checklists.checklist_copy, name="checklist_copy"),
    path("<int:pk>/compare/", checklists.comparison, name="comparison"),
    path("<int:pk>/summary/", checklists.summary_document, name="summary_document"),
    path("responses/<int:pk>/", responses.response_detail, name="response_detail"),
    path("responses/<int:pk>/plan/", responses.plan_save, name="plan_save"),
    path("responses/<int:pk>/items/<int:item>/answer/", responses.answer_save, name="answer_save"),
    path("responses/<int:pk>/items/<int:item>/score/", responses.score_save, name="score_save"),
    path("responses/<int:pk>/submit/", responses.response_submit, name="response_submit"),
    path("responses/<int:pk>/return/", responses.ResponseReturnView.as_view(), name="response_return"),
    path("responses/<int:pk>/finalise/", responses.response_finalise, name="response_finalise"),
    path("responses/<int:pk>/reopen/", responses.ResponseReopenView.as_view(), name="response_reopen"),
    path("responses/<int:pk>/scorecard/", responses.scorecard_document, name="scorecard_document"),
    path("evidence/<int:pk>/", responses.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/review/", responses.evidence_review, name="evidence_review"),
    path("evidence/<int:pk>/remove/", responses.evidence_remove, name="evidence_remove"),
]
