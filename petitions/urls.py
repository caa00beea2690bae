from django.urls import path

from petitions.views import actions, categories, items, lists, register, reports

app_name = "petitions"

urlpatterns = [
    path("", lists.PetitionListView.as_view(), name="list"),
    path("unit/", lists.UnitPetitionListView.as_view(), name="unit_list"),
    path("new/", register.PetitionRegisterView.as_view(), name="register"),
    path("new/repeats/", register.repeats_panel, name="repeats"),
    path("figures/", reports.figures_view, name="figures"),
    path("categories/", categories.CategoryListView.as_view(), name="category_list"),
    path("categories/new/", categories.CategoryCreateView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", categories.CategoryUpdateView.as_view(), name="category_update"),
    path("files/<int:pk>/", items.attachment_download, name="attachment"),
    path("<int:pk>/", items.petition_detail, name="detail"),
    path("<int:pk>/edit/", actions.EditView.as_view(), name="edit"),
    path("<int:pk>/query-code/", items.query_code, name="query_code"),
    path("<int:pk>/answer-on-spot/", actions.AnswerOnSpotView.as_view(), name="answer_on_spot"),
    path("<int:pk>/accept/", actions.AcceptView.as_view(), name="accept"),
    path("<int:pk>/reject/", actions.RejectView.as_view(), name="reject"),
    path("<int:pk>/transfer/", actions.TransferView.as_view(), name="transfer"),
    path("<int:pk>/unit-reply/", actions.UnitReplyView.as_view(), name="unit_reply"),
    path("<int:pk>/extend/", actions.ExtendView.as_view(), name="extend"),
    path("<int:pk>/reply/", actions.ReplyView.as_view(), name="reply"),
    path("<int:pk>/return-visit/", actions.ReturnVisitView.as_view(), name="return_visit"),
    path("<int:pk>/close/", actions.CloseView.as_view(), name="close"),
    path("<int:pk>/review/request/", actions.ReviewRequestView.as_view(), name="review_request"),
    path("<int:pk>/review/decide/", actions.ReviewDecideView.as_view(), name="review_decide"),
    path("<int:pk>/key-supervision/", actions.KeySupervisionView.as_view(), name="key_supervision"),
    path("<int:pk>/lead-leader/", actions.LeadLeaderView.as_view(), name="lead_leader"),
    path("<int:pk>/referral-result/", actions.ReferralResultView.as_view(), name="referral_result"),
    path("<int:pk>/link-repeat/", actions.LinkRepeatView.as_view(), name="link_repeat"),
]
