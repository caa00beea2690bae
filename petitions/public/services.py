"""The one state change of the public form: an online petition submitted, with its files, exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from petitions.choices import Channel
from petitions.models import Petition
from petitions.public.models import OnlineSubmission
from presidium.documents.storage import RemoveFilesOnError
from presidium.documents.uploads import CheckedFile

KEEP_TOKENS = dt.timedelta(days=1)


def online_petition_submit(*, token_digest: str, township, subject: str, content: str, anonymous: bool,
                           name: str = "", mobile: str = "", id_number: str = "", address: str = "",
                           village: str = "", category_name: str = "",
                           attachments: Sequence[CheckedFile] = ()) -> Petition:
    """网上信访: claim the form's one-time token, register the petition (``by=None``, channel online) and
    keep its checked files, in one transaction. ``category_name`` is one of the names the public form
    offers; the township's category of that name is used when it has one (staff can change it).

    A second submit of the same token fails on the token's unique index (it waits for the first to
    commit) with ``IntegrityError``; the caller shows the first submit's receipt. If anything fails, the
    files written so far are deleted with the rolled-back rows (nothing half-saved).
    """
    from petitions.services import categories_ensure, petition_register
    from petitions.services.attachments import petition_attachments_add

    with RemoveFilesOnError() as written, transaction.atomic():
        claim = OnlineSubmission.objects.create(token_digest=token_digest)
        category = next((c for c in categories_ensure(township=township) if c.name == category_name), None)
        petition = petition_register(
            township=township, by=None, channel=Channel.ONLINE, received_on=timezone.localdate(),
            anonymous=anonymous, name=name, mobile=mobile, id_number=id_number, address=address, village=village,
            subject=subject, content=content, category=category,
        )
        petition_attachments_add(petition=petition, by=None, checked=list(attachments), written=written)
        claim.petition = petition
        claim.save(update_fields=["petition"])
        OnlineSubmission.objects.filter(created_at__lt=timezone.now() - KEEP_TOKENS).delete()
    return petition
