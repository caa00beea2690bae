"""Attachments of a case: checked by content before anything is written, all or none, only by those handling it."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from petitions import services
from petitions.models import PetitionAttachment
from presidium.documents.storage import RemoveFilesOnError
from tests.factories import petition_at, petition_registered, user_with_role

pytestmark = pytest.mark.django_db


def png(name="letter.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_it_stores_checked_files_with_a_timeline_line(world):
    staff = world.user("presidium_staff")
    petition = petition_at("registered", world.township, by=staff)
    added = services.petition_attachments_add(petition=petition, by=staff,
                                              checked=services.check_petition_uploads([png("来信扫描.png")]))
    assert [a.original_name for a in added] == ["来信扫描.png"] and added[0].file.storage.exists(added[0].file.name)
    assert "来信扫描" not in added[0].file.name  # the stored name never carries the uploader's file name
    assert petition.events.filter(event="attach").exists()
    assert services.attachment_visible(world.user("county_admin"), added[0])
    assert not services.attachment_visible(world.other_staff, added[0])


def test_it_refuses_a_file_that_is_not_what_its_name_says(world):
    fake = SimpleUploadedFile("信.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as raised:
        services.check_petition_uploads([png(), fake])
    assert "attachments" in raised.value.message_dict


def test_it_lets_only_those_handling_the_case_attach(world):
    staff = world.user("presidium_staff")
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit)
    checked = services.check_petition_uploads([png()])
    for user in (world.other_staff, world.user("county_admin"), user_with_role("unit_liaison", world.other_unit), None):
        with pytest.raises(PermissionDenied):
            services.petition_attachments_add(petition=petition, by=user, checked=checked)
    services.petition_attachments_add(petition=petition, by=world.user("unit_liaison"), checked=checked)


def test_it_takes_the_petitioners_own_files_with_an_online_registration(world):
    petition = petition_registered(world.township, by=None, channel="online", received_on=None)
    added = services.petition_attachments_add(petition=petition, by=None, checked=services.check_petition_uploads([png()]))
    assert added[0].uploaded_by is None


def test_it_removes_the_files_when_the_registration_around_them_fails(world):
    staff = world.user("presidium_staff")
    petition = petition_at("registered", world.township, by=staff)
    checked = services.check_petition_uploads([png()])
    with pytest.raises(RuntimeError), RemoveFilesOnError() as written, transaction.atomic():
        added = services.petition_attachments_add(petition=petition, by=staff, checked=checked, written=written)
        stored = (added[0].file.storage, added[0].file.name)
        raise RuntimeError("the rest of the registration failed")
    assert not PetitionAttachment.objects.exists() and not stored[0].exists(stored[1])
