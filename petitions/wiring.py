"""What the petitions app plugs into the floor (called from ``AppConfig.ready()``).

The clocks' reminder provider, the calendar listeners of working-day clocks, the change history of its models, and the wiring of the app's other
parts, each in a module of its own so the branches that build them do not edit this one: the staff
screens (``petitions.staff_wiring``), the public side (``petitions.public.wiring``) and reception days
(``petitions.reception.wiring``). Each is imported if present and its ``register()`` (or ``connect()``)
called once.
"""

from __future__ import annotations

import importlib
import importlib.util

PARTS = ("petitions.staff_wiring", "petitions.public.wiring", "petitions.reception.wiring")


def connect() -> None:
    _register_reminders()
    _register_history()
    _register_calendar()
    _register_scale()
    for name in PARTS:
        _connect_part(name)


def _connect_part(name: str) -> None:
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # the parent package is not there either
        found = None
    if found is None:
        return
    module = importlib.import_module(name)
    hook = getattr(module, "register", None) or getattr(module, "connect", None)
    if hook is not None:
        hook()


def _register_reminders() -> None:
    from petitions.reminders import ClockReminders
    from presidium.notifications.reminders import register_reminder_handler

    register_reminder_handler("petitions.PetitionClock", ClockReminders())
    from petitions.reception.reminders import DutyEveReminders

    register_reminder_handler("petitions.ReceptionDay", DutyEveReminders())


def _register_calendar() -> None:
    # Calendar-day clocks (the default) never move; a clock a setting counts in working days follows the calendar.
    from petitions.clocks import recompute_clocks_for_day, recompute_clocks_for_year
    from presidium.calendar.services import register_day_changed_listener, register_year_confirmed_listener

    register_day_changed_listener(recompute_clocks_for_day)
    register_year_confirmed_listener(recompute_clocks_for_year)


def _register_history() -> None:
    from petitions.models import Category, Petition, PetitionTransfer
    from petitions.selectors import petitions_visible_to
    from presidium.access import townships_where
    from presidium.history import register_history

    register_history(Petition, petitions_visible_to, title=lambda p: f"{p.registration_number} {p.subject}")
    register_history(PetitionTransfer,
                     lambda user: PetitionTransfer.objects.filter(petition__in=petitions_visible_to(user)),
                     township_of=lambda obj: obj.petition.township)
    register_history(Category, lambda user: Category.objects.filter(
        township__in=townships_where(user, "petitions.view")))


def _register_scale() -> None:
    from petitions.scale import register

    register()
