"""What the change of term adds to the floor: a navigation entry for staff and the chair."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from presidium.access import action_roles
    from presidium.registry import register_demo_step, register_nav
    from presidium.terms import access
    from presidium.terms.demo import seed_change_of_term

    register_nav("terms_change", _("换届"), "terms:index", action_roles(access.CHANGE_TERM), order=925,
                 icon="arrow-repeat", section=_("组织"))
    register_demo_step("terms", seed_change_of_term, order=95)
