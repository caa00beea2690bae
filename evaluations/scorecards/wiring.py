"""What the county scorecards plug into the floor (called once from ``EvaluationsConfig.ready()``)."""

from __future__ import annotations


def connect() -> None:
    from django.utils.translation import gettext_lazy as _

    from evaluations.scorecards.access import VIEW
    from evaluations.scorecards.demo import seed_scorecards
    from evaluations.scorecards.indicators import register_builtin
    from presidium.access import action_roles
    from presidium.registry import register_demo_step, register_nav

    register_builtin()
    register_nav("scorecards", _("乡镇工作考评"), "scorecards:checklist_list", action_roles(VIEW), order=500,
                 icon="clipboard-check", section=_("评议考评"))
    # After petitions (30): the indicators read visits, suggestions and petitions.
    register_demo_step("scorecards", seed_scorecards, order=50)
    _register_scale()


def _register_scale() -> None:
    from evaluations.scorecards.scale import STEP, build
    from presidium.registry import register_scale_step

    register_scale_step(STEP, build, order=80)
