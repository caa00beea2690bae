"""The petitions step of ``seed_demo --scale county|province``: five years of 信访 per built township, in bulk.

Per built township (``plan.built``), in one transaction (``plan.each_township``):

* reception days (接待日) every Monday over the plan's years and the next four weeks, two deputies on duty
  in turn, past duties settled (signed in, on leave, absent), a few days cancelled with a reason, and the
  eve reminder of each coming day (:mod:`petitions.scale.reception`);
* ``plan.yearly("petitions")`` petitions a year over every channel — letters, visits (taken on a
  reception day), calls, online, the deputies' mailbox, referred from above, raised by a deputy (代表代言),
  collective visits with their representatives, repeats of an earlier case — walked through the lifecycle
  with the statutory clocks counted by the app's own functions (:mod:`petitions.scale.cases`): registered,
  answered on the spot, (not) accepted with the notice, transferred to a unit with the 转办单 and its
  reply (and a few 改办), extended, answered in writing, return visit, closed, review and re-review
  requested and decided. Steps whose date lies after today have not happened yet, so older years are
  mostly closed and this year is mixed, with some cases overdue;
* registration numbers from ``PetitionSequence`` and notice numbers (发文字号) from the floor's
  ``DocumentNumberSequence``, a block reserved per year, so a case registered later through the services
  continues after them; query codes and personal-data digests made by the services' own helpers;
* the reminders (``presidium.notifications`` ``Reminder``) of every running duty clock, as
  ``petitions.reminders.schedule_clock_reminders`` arms them, and the timeline rows the case page shows.

No service call per row and no ``save()`` per row: a handful of ``bulk_create`` per model and township.
No change-history rows (django-simple-history): no page needs them for bulk-built cases.
"""

from __future__ import annotations

STEP = "petitions"
ORDER = 40


def register() -> None:
    from presidium.registry import register_scale_step

    register_scale_step(STEP, build, order=ORDER)


def filled(township) -> bool:
    """A township is filled once it has reception days: they are written first, in the same transaction."""
    from petitions.models import ReceptionDay

    return ReceptionDay.objects.filter(township=township).exists()


def build(plan) -> None:
    from petitions.scale.cases import ClockMath, TownshipCases
    from petitions.scale.reception import build_reception

    math = ClockMath()  # due dates counted once per start date for the whole run
    for built in plan.each_township(STEP, filled):
        held = build_reception(plan, built)
        TownshipCases(plan, built, held_days=held, math=math).build()
