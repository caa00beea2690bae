"""The item page links each notice and 转办单 to p-public's PDF/Word downloads once they are mounted
(``petition_notices``), to the staff — and to a unit's liaison only what p-public lets them print."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone

from config.urls import urlpatterns as portal_urls
from presidium.choices import Role
from tests.factories import petition_at


def _stub(request, **kwargs):
    return HttpResponse("stub")


urlpatterns = [
    *portal_urls,
    path("notices-stub/", include(([
        path("<int:notice_id>.pdf", _stub, name="notice_pdf"),
        path("<int:notice_id>.docx", _stub, name="notice_docx"),
        path("transfer/<int:transfer_id>.pdf", _stub, name="transfer_pdf"),
        path("transfer/<int:transfer_id>.docx", _stub, name="transfer_docx"),
    ], "petition_notices"))),
]


def _case(world):
    staff = world.user(Role.PRESIDIUM_STAFF)
    received = timezone.localdate() - dt.timedelta(days=8)
    return petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=received)


@pytest.mark.urls(__name__)
def test_it_links_every_notice_for_staff_and_the_transfer_form_for_the_unit(world, login):
    petition = _case(world)
    acceptance = petition.notices.get(kind="acceptance")
    transfer = petition.transfers.get()
    staff_page = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("petitions:detail", args=[petition.pk]))
    body = staff_page.content.decode()
    assert reverse("petition_notices:notice_pdf", args=[acceptance.pk]) in body
    assert reverse("petition_notices:transfer_docx", args=[transfer.pk]) in body
    unit_page = login(world.user(Role.UNIT_LIAISON)).get(reverse("petitions:detail", args=[petition.pk]))
    body = unit_page.content.decode()
    assert reverse("petition_notices:notice_pdf", args=[acceptance.pk]) not in body
    assert reverse("petition_notices:transfer_pdf", args=[transfer.pk]) in body
