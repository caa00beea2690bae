"""Demo: 柳河乡 has opened its 第十九届 with the steps half done (not switched yet).

The 18th term ends at the end of 2026 in many townships: staff of 柳河乡 (``staff_liuhe``) find the
19th opened, a few deputies marked 任期届满, half of the re-elected carried over and the rest still to
decide, no new deputies imported and the switch still ahead. Idempotent: once the 19th exists, nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from deputies.choices import DeputyStatus
from deputies.models import Deputy
from presidium.models import Term, Township, User
from presidium.terms import services

TOWNSHIP = "柳河乡"
NEW_START = dt.date(2027, 1, 8)


def seed_change_of_term(*, scale: int = 1, stdout=None) -> None:
    township = Township.objects.filter(name=TOWNSHIP).order_by("pk").first()
    current = township.current_term() if township else None
    if current is None or Term.objects.filter(township=township, ordinal=current.ordinal + 1).exists():
        return
    by = (User.objects.filter(username="staff_liuhe").first()
          or User.objects.filter(is_superuser=True).order_by("pk").first())
    rng = random.Random("terms:柳河乡")
    with transaction.atomic():
        new = services.term_open_next(township=township, by=by, start_date=NEW_START)
        serving = list(Deputy.objects.filter(term=current, status=DeputyStatus.SERVING).order_by("pk"))
        rng.shuffle(serving)
        leaving = serving[: max(1, len(serving) // 8)]
        staying = serving[len(leaving):]
        effective_on = min(timezone.localdate(), dt.date(2026, 12, 1))
        services.term_mark_not_reelected(term=current, by=by, deputies=leaving, effective_on=effective_on)
        services.term_carry_over(term=new, by=by, deputies=staying[: len(staying) // 2])
