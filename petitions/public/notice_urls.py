"""Staff downloads of the petition notices and 转办单, mounted at ``petitions/notices/`` (namespace
``petition_notices``): ``notice_pdf``/``notice_docx`` take a ``PetitionNotice`` id, ``transfer_pdf``/
``transfer_docx`` a ``PetitionTransfer`` id."""

from django.urls import path

from petitions.public import notice_views

app_name = "petition_notices"

urlpatterns = [
    path("<int:notice_id>.pdf", notice_views.notice_pdf, name="notice_pdf"),
    path("<int:notice_id>.docx", notice_views.notice_docx, name="notice_docx"),
    path("transfer/<int:transfer_id>.pdf", notice_views.transfer_pdf, name="transfer_pdf"),
    path("transfer/<int:transfer_id>.docx", notice_views.transfer_docx, name="transfer_docx"),
]
