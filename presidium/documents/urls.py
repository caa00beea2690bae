from django.urls import include, path

from presidium.documents import job_views
from presidium.documents.issuer_views import DocumentIssuerView
from presidium.documents.unit_ledger import UnitLedgerStartView
from presidium.unit_import import unit_import_flow

app_name = "documents"

urlpatterns = [
    path("jobs/", job_views.DocumentJobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", job_views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
    path("units/ledger/", UnitLedgerStartView.as_view(), name="unit_ledger"),
    path("townships/<int:pk>/issuer/", DocumentIssuerView.as_view(), name="issuer"),
    path("units/import/", include(unit_import_flow.urls())),
]
