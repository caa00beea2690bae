"""The floor's own navigation entries and home cards (higher apps register theirs in ready())."""

from django.utils.translation import gettext_lazy as _

from presidium.access import STAFF_ROLES
from presidium.choices import Role
from presidium.registry import register_demo_step, register_nav

ALL = set(Role)
COUNTY = {Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER}


def register() -> None:
    from presidium.demo import seed_organisation

    register_demo_step("organisation", seed_organisation, order=0)
    _register_history()
    register_nav("home", _("工作台"), "home", ALL, order=0, icon="speedometer2")
    register_nav("townships", _("乡镇概况"), "presidium:township_list", COUNTY | STAFF_ROLES, order=900,
                 icon="buildings", section=_("组织"))
    register_nav("units", _("承办单位"), "presidium:unit_list", COUNTY | STAFF_ROLES, order=910,
                 icon="diagram-3", section=_("组织"))
    register_nav("accounts", _("账号与角色"), "presidium:account_list", {Role.COUNTY_ADMIN, *STAFF_ROLES},
                 order=920, icon="people", section=_("组织"))


def _register_history() -> None:
    from presidium import access
    from presidium.history import register_history
    from presidium.models import HandlingUnit, Term, Township

    register_history(Township, lambda user: access.townships_where(user, access.VIEW_TOWNSHIP),
                     township_of=lambda obj: obj)
    register_history(HandlingUnit, access.handling_units_visible_to)
    register_history(Term, lambda user: Term.objects.filter(township__in=access.townships_visible_to(user)))
