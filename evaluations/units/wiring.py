"""What the evaluation of units plugs into the floor (called once from ``EvaluationsConfig.ready()``)."""

from __future__ import annotations


def connect() -> None:
    from evaluations.units import access  # noqa: F401 - defines the actions on the floor's access rules
    from evaluations.units.rectification import RectificationReminders
    from presidium.notifications.reminders import register_reminder_handler

    register_reminder_handler("evaluations.RectificationItem", RectificationReminders())
    _register_home_card()
    _register_nav()
    _register_demo()


def _register_home_card() -> None:
    pass


def _register_nav() -> None:
    pass


def _register_demo() -> None:
    pass
