"""The deputies step of ``seed_demo --scale county|province``: a township's deputies and five years of duty, in bulk.

Per township the plan built (``presidium.scale.org``), in the township's current term:

* the organisation (:mod:`deputies.scale.registry`): big and small deputy groups (one small group per
  village, with leader and deputy leader), the 人大代表之家 and village liaison stations with their staff,
  constituencies with seats for every township-level deputy;
* ``plan.deputies`` deputies with an account ``tNN_dNNNN`` each (role 代表 in the township), their
  derived fields (pinyin, initials, ID digest) made by the service's own :func:`prepare_fields`, and a
  few departures with their :class:`~deputies.models.DeputyStatusChange`;
* visits (:mod:`deputies.scale.visits`): ``plan.yearly("visits")`` a year, spread so that most deputies are
  near the yearly target and some far behind, one to three opinions each, a yearly target, and photos on
  about one visit in ten (each photo its own small file: deleting one photo deletes its file);
* the duty archive (:mod:`deputies.scale.duty`): pledges, trainings, reports to voters, assessments, awards.

No service call per row and no per-row ``save()``: a handful of bulk inserts per model and township.
History tables (django-simple-history) are not written: no list, figure or report reads them; the
变更记录 page (``presidium.history``) of a bulk-made row starts empty and fills as services change it.
The opinions stay unconverted: turning one into a suggestion or a petition is the proposals' and
petitions' builders' business (they can link the opinions they take up).
Other steps (meetings, proposals, petitions, evaluations) read the deputies written here from the database.
"""

from __future__ import annotations

from deputies.models import Deputy
from presidium.documents.storage import RemoveFilesOnError
from presidium.scale import ScalePlan, ScaleTownship

KEY = "deputies"


def build(plan: ScalePlan) -> None:
    """Fill every built township that has no deputies in its current term yet (one transaction each)."""
    for built in plan.each_township(KEY, lambda township: Deputy.objects.filter(township=township).exists()):
        build_township(plan, built)


def build_township(plan: ScalePlan, built: ScaleTownship) -> None:
    from deputies.scale import duty, registry, visits

    # Photo files written for a township whose transaction then fails are removed again.
    with RemoveFilesOnError() as written:
        roster = registry.build_roster(plan, built)
        visits.build_visits(plan, built, roster, written)
        duty.build_duty_records(plan, built, roster)
