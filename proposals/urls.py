from django.urls import path

from proposals.views import actions, config, items, lists, reports

app_name = "proposals"

urlpatterns = [
    path("items/", lists.SuggestionListView.as_view(), name="list"),
    path("new/", items.SuggestionCreateView.as_view(), name="create"),
    path("hearing/", lists.HearingListView.as_view(), name="hearing"),
    path("figures/", reports.figures, name="figures"),
    path("report/", reports.handling_report, name="report"),
    path("categories/", config.category_list, name="category_list"),
    path("categories/new/", config.CategoryCreateView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", config.CategoryUpdateView.as_view(), name="category_update"),
    path("settings/", config.SettingsView.as_view(), name="settings"),
    path("files/<int:pk>/", items.attachment_download, name="attachment"),
    path("cosignatures/<int:pk>/", actions.cosign_view, name="cosign"),
    path("items/<int:pk>/", items.suggestion_detail, name="detail"),
    path("items/<int:pk>/edit/", items.SuggestionUpdateView.as_view(), name="edit"),
    path("items/<int:pk>/submit/", actions.submit_view, name="submit"),
    path("items/<int:pk>/withdraw/", actions.WithdrawView.as_view(), name="withdraw"),
    path("items/<int:pk>/return/", actions.ReturnView.as_view(), name="return"),
    path("items/<int:pk>/convert/", actions.ConvertView.as_view(), name="convert"),
    path("items/<int:pk>/register/", actions.RegisterView.as_view(), name="register"),
    path("items/<int:pk>/agenda/", actions.AgendaView.as_view(), name="agenda"),
    path("items/<int:pk>/assign/", actions.AssignView.as_view(), name="assign"),
    path("items/<int:pk>/accept/", actions.accept_view, name="accept"),
    path("items/<int:pk>/consult/", actions.ConsultView.as_view(), name="consult"),
    path("items/<int:pk>/co-opinion/", actions.CoOpinionView.as_view(), name="co_opinion"),
    path("items/<int:pk>/reply/", actions.ReplyView.as_view(), name="reply"),
    path("items/<int:pk>/replies/<int:obj_pk>/promise/", actions.PromiseKeptView.as_view(), name="promise_kept"),
    path("items/<int:pk>/extension/", actions.ExtensionRequestView.as_view(), name="extension"),
    path("items/<int:pk>/extensions/<int:obj_pk>/decide/", actions.ExtensionDecideView.as_view(), name="extension_decide"),
    path("items/<int:pk>/rate/", actions.RateView.as_view(), name="rate"),
    path("items/<int:pk>/ratings/<int:obj_pk>/reason/", actions.AcceptReasonView.as_view(), name="accept_reason"),
    path("items/<int:pk>/supervise/", actions.SuperviseView.as_view(), name="supervise"),
    path("items/<int:pk>/close/", actions.CloseView.as_view(), name="close"),
    path("items/<int:pk>/close-with-reason/", actions.CloseWithReasonView.as_view(), name="close_with_reason"),
    path("items/<int:pk>/publish/", actions.publish_view, name="publish"),
    path("items/<int:pk>/letter.pdf", reports.assignment_letter, name="letter"),
]
