from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "presidium.calendar"
    label = "workcalendar"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from presidium.access import action_roles
        from presidium.calendar.access import VIEW_CALENDAR
        from presidium.calendar.frame import calendar_shell_context
        from presidium.registry import register_nav
        from presidium.shell import register_shell_context

        register_nav("workcalendar", _("工作日历"), "workcalendar:month", action_roles(VIEW_CALENDAR),
                     order=930, icon="calendar3", section=_("组织"))
        register_shell_context(calendar_shell_context)
