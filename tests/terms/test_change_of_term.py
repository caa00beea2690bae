"""The change of term (换届): opening the next term, marking the not re-elected, carrying over, switching."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from deputies import selectors as deputies_selectors
from deputies import services as deputies_services
from deputies.models import (
    Constituency,
    Deputy,
    DeputyGroup,
    DeputyStatusChange,
    LiaisonStation,
    StationStaff,
    Visit,
    VisitOpinion,
)
from presidium.access import forget_scope
from presidium.models import Term
from presidium.terms import services
from presidium.terms.selectors import change_of_term
from tests.factories import DeputyFactory, VisitFactory, VisitOpinionFactory, proposals_suggestion

NEW_START = dt.date(2026, 12, 1)  # on or before "today" of the suite (the clock is never before 2026-12-03)


@pytest.fixture
def township(world):
    """Township A in its 18th term: a big group over a small one, a station with staff, a constituency,
    four deputies with visits and a suggestion; one of them is the world's deputy account."""
    staff = world.user("presidium_staff")
    t = world.township
    constituency = deputies_services.constituency_create(township=t, by=staff, name="第一选区", seats=3)
    big = deputies_services.deputy_group_create(township=t, by=staff, name="东片代表大组", kind="big")
    small = deputies_services.deputy_group_create(township=t, by=staff, name="第一代表小组", parent=big)
    station = deputies_services.liaison_station_create(township=t, by=staff, name="中心代表联络站", has_place=True)
    people = {}
    for name, mobile in (("张建国", "13800000001"), ("李秀英", "13800000002"), ("王海涛", "13800000003"),
                         ("赵春生", "13800000004")):
        people[name] = DeputyFactory(township=t, name=name, mobile=mobile, group=small, station=station,
                                     constituency=constituency if name != "赵春生" else None,
                                     elected_on=dt.date(2021, 12, 28))
    people["张建国"] = deputies_services.deputy_link_user(deputy=people["张建国"], by=None, user=world.user("deputy"))
    deputies_services.deputy_group_update(group=small, by=staff, leader=people["张建国"],
                                          deputy_leader=people["李秀英"])
    deputies_services.station_staff_add(station=station, by=staff, role="head", deputy=people["张建国"])
    deputies_services.station_staff_add(station=station, by=staff, role="liaison", name="周敏", phone="0571-1234567")
    for person in people.values():
        VisitOpinionFactory(visit=VisitFactory(deputy=person))
    proposals_suggestion(t, lead_deputy=people["张建国"], status_to="submitted")
    return t


def _snapshot(township) -> dict:
    """Every row of the old term, as plain values (the suggestions and visits of its deputies too)."""
    old = Deputy.objects.filter(township=township).values_list("pk", flat=True)

    def rows(model, **where):
        return {obj.pk: model_to_dict(obj) for obj in model.objects.filter(**where)}

    from proposals.models import Suggestion

    deputies = rows(Deputy, pk__in=list(old))
    for values in deputies.values():
        values.pop("photo", None)
    return {
        "deputies": deputies,
        "groups": rows(DeputyGroup, township=township),
        "stations": rows(LiaisonStation, township=township),
        "station_staff": rows(StationStaff, station__township=township),
        "constituencies": rows(Constituency, township=township),
        "visits": rows(Visit, deputy__in=list(old)),
        "opinions": rows(VisitOpinion, visit__deputy__in=list(old)),
        "suggestions": rows(Suggestion, township=township),
        "status_changes": rows(DeputyStatusChange, deputy__in=list(old)),
        "terms": rows(Term, township=township),
    }


def _walk(world, township):
    """Open the 19th, mark 王海涛 and 赵春生 届满, carry the other two over (twice), switch."""
    staff = world.user("presidium_staff")
    old = township.current_term()
    new = services.term_open_next(township=township, by=staff, start_date=NEW_START)
    gone = Deputy.objects.filter(term=old, name__in=["王海涛", "赵春生"])
    services.term_mark_not_reelected(term=old, by=staff, deputies=gone, effective_on=dt.date(2026, 12, 1))
    staying = Deputy.objects.filter(term=old, name__in=["张建国", "李秀英"])
    services.term_carry_over(term=new, by=staff, deputies=staying)
    services.term_carry_over(term=new, by=staff, deputies=staying)
    services.term_switch_current(term=new, by=staff)
    return old, new


def test_it_opens_the_next_term_not_current_with_copies_of_the_organisation(world, township):
    staff = world.user("presidium_staff")
    old = township.current_term()
    new = services.term_open_next(township=township, by=staff, start_date=dt.date(2027, 1, 6))
    assert (new.ordinal, new.is_current, new.end_date) == (19, False, dt.date(2032, 1, 5))
    assert township.current_term() == old
    small = DeputyGroup.objects.get(term=new, name="第一代表小组")
    assert small.parent == DeputyGroup.objects.get(term=new, name="东片代表大组")
    assert small.copied_from == DeputyGroup.objects.get(term=old, name="第一代表小组")
    assert small.leader is None  # set when the leader carries over
    station = LiaisonStation.objects.get(term=new)
    assert station.has_place and station.copied_from.term == old
    assert sorted(station.staff.values_list("name", flat=True)) == ["周敏", "张建国"]
    assert Constituency.objects.get(term=new).seats == 3
    assert new.history.latest().history_user == staff
    with pytest.raises(ValidationError, match="已经开启"):
        services.term_open_next(township=township, by=staff, start_date=dt.date(2027, 1, 6))


def test_it_marks_the_not_reelected_term_ended_in_bulk_on_one_date(world, township):
    staff = world.user("presidium_staff")
    old = township.current_term()
    with pytest.raises(ValidationError, match="请先开启第十九届"):
        services.term_mark_not_reelected(term=old, by=staff, deputies=Deputy.objects.filter(term=old),
                                         effective_on=dt.date(2026, 12, 1))
    services.term_open_next(township=township, by=staff, start_date=NEW_START)
    gone = Deputy.objects.filter(term=old, name__in=["王海涛", "赵春生"])
    marked = services.term_mark_not_reelected(term=old, by=staff, deputies=gone, effective_on=dt.date(2026, 12, 1))
    assert {d.status for d in marked} == {"term_ended"}
    changes = DeputyStatusChange.objects.filter(deputy__in=gone)
    assert changes.count() == 2
    assert set(changes.values_list("effective_on", "to_status", "recorded_by")) == {
        (dt.date(2026, 12, 1), "term_ended", staff.pk)}
    with pytest.raises(ValidationError, match="已不在任"):
        services.term_mark_not_reelected(term=old, by=staff, deputies=gone, effective_on=dt.date(2026, 12, 1))


def test_it_carries_a_reelected_deputy_over_once_with_their_history_on_the_old_row(world, township):
    staff = world.user("presidium_staff")
    old = township.current_term()
    new = services.term_open_next(township=township, by=staff, start_date=NEW_START)
    person = Deputy.objects.get(term=old, name="张建国")
    first = services.term_carry_over(term=new, by=staff, deputies=[person])
    second = services.term_carry_over(term=new, by=staff, deputies=[person])
    assert len(first.created) == 1 and second.created == [] and second.already == first.created
    assert Deputy.objects.filter(township=township, name="张建国").count() == 2
    carried = first.created[0]
    assert (carried.term, carried.previous, carried.mobile, carried.name_pinyin) == (
        new, person, "13800000001", person.name_pinyin)
    assert carried.group.term == new and carried.group.copied_from == person.group
    assert carried.station.term == new and carried.constituency.term == new
    assert DeputyGroup.objects.get(pk=carried.group_id).leader == carried
    assert StationStaff.objects.get(station__term=new, role="head").deputy == carried
    # The account stays with the serving old-term row until the new term is current.
    assert Deputy.objects.get(pk=person.pk).user == world.user("deputy") and carried.user is None
    assert person.visits.count() == 1 and carried.visits.count() == 0


def test_it_switches_only_when_every_serving_deputy_is_decided_and_moves_the_accounts(world, township):
    staff = world.user("presidium_staff")
    old = township.current_term()
    with pytest.raises(ValidationError, match="请先开启第十九届"):
        services.term_switch_current(term=old, by=staff)
    new = services.term_open_next(township=township, by=staff, start_date=NEW_START)
    with pytest.raises(ValidationError, match="4 名在任代表"):
        services.term_switch_current(term=new, by=staff)
    assert "4 名在任代表" in change_of_term(township).steps[-1].blocked
    services.term_carry_over(term=new, by=staff, deputies=Deputy.objects.filter(term=old))
    switched = services.term_switch_current(term=new, by=staff)
    assert switched.is_current and not Term.objects.get(pk=old.pk).is_current
    # One serving row per person from now on: the old rows ended with the term.
    assert not Deputy.objects.filter(term=old, status="serving").exists()
    assert deputies_selectors.serving(Deputy.objects.filter(township=township)).count() == 4
    account = world.user("deputy")
    assert deputies_selectors.deputy_of(account).term == new
    forget_scope(account)
    # The person still reaches their old-term row and its visits.
    visible = deputies_selectors.deputies_visible_to(account)
    assert set(visible.values_list("term__ordinal", flat=True)) == {18, 19}
    assert deputies_selectors.visits_visible_to(account).count() == 1


def test_it_refuses_to_switch_before_the_new_terms_start_date(world, township):
    staff = world.user("presidium_staff")
    old = township.current_term()
    new = services.term_open_next(township=township, by=staff, start_date=dt.date(2099, 1, 1))
    services.term_carry_over(term=new, by=staff, deputies=Deputy.objects.filter(term=old))
    with pytest.raises(ValidationError, match="届时才能切换"):
        services.term_switch_current(term=new, by=staff)


def test_it_changes_no_record_of_the_old_term_but_the_documented_account_and_status(world, township):
    """Every row of the old term is as it was, except the account moved and the status of those who left."""
    before = _snapshot(township)
    old, new = _walk(world, township)
    after = _snapshot(township)
    new_deputies = set(Deputy.objects.filter(term=new).values_list("pk", flat=True))
    for pk in new_deputies:
        after["deputies"].pop(pk)
    for kind in ("groups", "stations", "constituencies"):
        after[kind] = {pk: row for pk, row in after[kind].items() if row["term"] != new.pk}
    after["station_staff"] = {pk: row for pk, row in after["station_staff"].items()
                              if row["station"] in {s["id"] for s in after["stations"].values()}}
    new_changes = after.pop("status_changes")
    before.pop("status_changes")
    assert len(new_changes) == 4  # the two not re-elected when marked, the two re-elected at the switch
    before["terms"][old.pk]["is_current"] = False  # the switch
    after["terms"].pop(new.pk)
    for row in before["deputies"].values():
        if row["name"] in ("王海涛", "赵春生"):
            row.update(status="term_ended", status_since=dt.date(2026, 12, 1), status_reason=services.DEFAULT_REASON)
        else:
            row.update(status="term_ended", status_since=NEW_START - dt.timedelta(days=1),
                       status_reason="任期届满，连任第十九届")
        if row["user"] is not None:
            row["user"] = None  # moved to the new-term row
    assert after == before


def test_it_keeps_names_unique_per_term_not_per_township(world, township):
    staff = world.user("presidium_staff")
    new = services.term_open_next(township=township, by=staff, start_date=NEW_START)
    with pytest.raises(ValidationError, match="已有"):
        deputies_services.deputy_group_create(township=township, by=staff, term=new, name="第一代表小组")
    group = deputies_services.deputy_group_create(township=township, by=staff, term=new, name="第九代表小组")
    old_deputy = Deputy.objects.filter(term=township.current_term()).first()
    with pytest.raises(ValidationError, match="另一届"):
        deputies_services.deputy_group_set_members(group=group, by=staff, deputies=[old_deputy])
