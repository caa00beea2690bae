from django.urls import path

from evaluations.units.views import campaigns, rectification, results, voting

app_name = "units"

urlpatterns = [
    path("", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("new/", campaigns.CampaignCreateView.as_view(), name="campaign_create"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:pk>/indicators/new/", campaigns.IndicatorCreateView.as_view(), name="indicator_create"),
    path("<int:pk>/cumulative/", results.cumulative_results, name="cumulative"),
    path("<int:pk>/rectification/new/", rectification.RectificationCreateView.as_view(), name="rectification_create"),
    path("rounds/<int:pk>/window/", campaigns.RoundWindowView.as_view(), name="round_window"),
    path("rounds/<int:pk>/open/", campaigns.round_step, {"step": "open"}, name="round_open"),
    path("rounds/<int:pk>/close/", campaigns.round_step, {"step": "close"}, name="round_close"),
    path("rounds/<int:pk>/publish/", campaigns.round_step, {"step": "publish"}, name="round_publish"),
    path("rounds/<int:pk>/turnout/", campaigns.round_turnout, name="round_turnout"),
    path("rounds/<int:pk>/results/", results.round_results, name="round_results"),
    path("rounds/<int:pk>/deductions/", results.round_deductions, name="round_deductions"),
    path("rounds/<int:pk>/deductions/new/", results.DeductionCreateView.as_view(), name="deduction_create"),
    path("rounds/<int:pk>/deductions/refresh/", results.deductions_refresh, name="deductions_refresh"),
    path("deductions/<int:pk>/withdraw/", results.deduction_withdraw, name="deduction_withdraw"),
    path("vote/", voting.vote_home, name="vote_home"),
    path("vote/<int:pk>/", voting.vote_round, name="vote_round"),
    path("vote/<int:pk>/units/<int:unit_pk>/", voting.vote_unit, name="vote_unit"),
    path("mine/", rectification.my_unit, name="unit_mine"),
    path("rectification/<int:pk>/", rectification.rectification_detail, name="rectification_detail"),
    path("rectification/<int:pk>/done/", rectification.RectificationDoneView.as_view(), name="rectification_done"),
    path("rectification/<int:pk>/check/", rectification.RectificationCheckView.as_view(), name="rectification_check"),
    path("evidence/<int:pk>/", rectification.evidence_download, name="evidence"),
]
