"""The floor's own navigation entries and home cards (higher apps register theirs in ready())."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from presidium.access import STAFF_ROLES
from presidium.choices import Role
from presidium.registry import HomeCard, register_demo_step, register_home_card, register_nav

ALL = set(Role)
COUNTY = {Role.COUNTY_ADMIN, Role.COUNTY_REVIEWER}


def register() -> None:
    from presidium.demo import seed_organisation

    register_demo_step("organisation", seed_organisation, order=0)
    _register_history()
    _register_home_cards()
    from presidium.registry import HomeBlock, register_home_block
    from presidium.views.home import chair_desk

    register_home_block(HomeBlock(key="chair_desk", roles=frozenset({Role.PRESIDIUM_CHAIR}), render=chair_desk,
                                  order=5))
    register_nav("home", _("工作台"), "home", ALL, order=0, icon="speedometer2")
    register_nav("townships", _("乡镇概况"), "presidium:township_list", COUNTY | STAFF_ROLES, order=900,
                 icon="buildings", section=_("组织"))
    register_nav("units", pgettext_lazy("list", "承办单位"), "presidium:unit_list", COUNTY | STAFF_ROLES, order=910,
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


def _townships_without_current_term_rows(user):
    from presidium import access

    return access.townships_where(user, access.VIEW_TOWNSHIP).exclude(terms__is_current=True)


def _townships_without_current_term(user) -> int:
    return _townships_without_current_term_rows(user).count()


def _units_without_contact_rows(user):
    from presidium import access

    townships = access.townships_where(user, access.MANAGE_ORGANISATION)
    return access.handling_units_visible_to(user).filter(township__in=townships, is_active=True, contact_person="")


def _units_without_contact(user) -> int:
    return _units_without_contact_rows(user).count()


def _register_home_cards() -> None:
    register_home_card(HomeCard(
        key="org.no_term", title=_("未登记本届届次的乡镇"), roles=frozenset(COUNTY | STAFF_ROLES),
        count=_townships_without_current_term, rows=_townships_without_current_term_rows, url_name="presidium:township_list", order=900, tone="warning",
        hint=_("届次是代表、会议和档案的依据"),
    ))
    register_home_card(HomeCard(
        key="org.unit_contact", title=_("缺少联系人的承办单位"), roles=frozenset({Role.COUNTY_ADMIN, *STAFF_ROLES}),
        count=_units_without_contact, rows=_units_without_contact_rows, url_name="presidium:unit_list", order=910, tone="secondary",
        hint=_("交办和提醒需要联系人"),
    ))
