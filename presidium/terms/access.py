"""Who may carry out the change of term: the township's presidium staff and chair."""

from __future__ import annotations

from presidium.access import STAFF_ROLES, define_action

CHANGE_TERM = define_action("terms.change", STAFF_ROLES,
                            "换届：开启下一届、标记未连任代表任期届满、转入连任代表、切换本届")
