"""A new suggestion (with its attachment) posted twice from the same form page is saved once."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals.models import Attachment, Suggestion
from tests.documents import hostile


def test_it_saves_one_suggestion_when_the_form_is_posted_twice(world, login, deputy):
    client = login(world.user("deputy"))
    page = client.get(reverse("proposals:create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    assert "data-upload-form" in page and 'name="form_end"' in page
    category = Suggestion._meta.get_field("category").related_model.objects.filter(township=world.township).first()

    def post():
        return client.post(reverse("proposals:create"), {
            "kind": "suggestion", "raised_during": "recess", "category": category.pk, "title": "增设路灯",
            "content": "村口无路灯，夜间出行不安全。", "form_token": token, "form_end": "1",
            "attachments": [SimpleUploadedFile("现场.png", hostile.image_bytes("PNG"), content_type="image/png")],
        })

    first, second = post(), post()
    item = Suggestion.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == item.get_absolute_url()
    assert Attachment.objects.filter(suggestion=item).count() == 1
    assert "已保存，未重复提交" in client.get(item.get_absolute_url()).content.decode()

