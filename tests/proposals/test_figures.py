"""Figures and lists: the kinds add up to the items received; across townships a unit is named with its township;
a reassigned item counts for its new unit only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from presidium.choices import Role
from proposals import services
from proposals.models import Suggestion
from proposals.selectors import flagged_units, rates_by_unit
from tests.factories import HandlingUnitFactory, proposals_suggestion, user_with_role


def test_it_counts_motions_and_suggestions_among_the_received_items_only(world, login, staff):
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    proposals_suggestion(world.township, status_to="submitted")
    withdrawn = proposals_suggestion(world.township, status_to="submitted", title="撤回的建议")
    services.suggestion_withdraw(suggestion=withdrawn, by=staff, reason="代表已另行反映")
    response = login(staff).get(reverse("proposals:figures"))
    figures, kinds = response.context["figures"], response.context["kinds"]
    assert figures.total == 2 and sum(kinds.values()) == figures.total


def test_it_names_each_units_township_when_the_county_sees_all_townships(world, login):
    twin = HandlingUnitFactory(township=world.other_township, name=world.unit.name)  # every township has a 财政所
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit)
    proposals_suggestion(world.other_township, status_to="assigned", unit=twin)
    client = login(world.user(Role.COUNTY_REVIEWER))

    everywhere = client.get(reverse("proposals:figures"))
    names = set(everywhere.context["charts"]["units"]["yAxis"]["data"])
    assert names == {f"{world.township.name} {world.unit.name}", f"{world.other_township.name} {twin.name}"}
    assert f'<span class="text-muted">{world.other_township.name}</span> {twin.name}' in everywhere.content.decode()

    one = client.get(reverse("proposals:figures"), {"township": world.township.pk})
    assert one.context["charts"]["units"]["yAxis"]["data"] == [world.unit.name]


def test_it_names_the_township_of_each_unit_in_the_county_list_filter_only(world, login, staff):
    county = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("proposals:list")).content.decode()
    assert f">{world.township.name} · {world.unit.name}<" in county
    assert f">{world.other_township.name} · {world.other_unit.name}<" in county
    own = login(staff).get(reverse("proposals:list")).content.decode()
    assert f">{world.unit.name}<" in own and " · " + world.unit.name not in own


def test_it_counts_a_reassigned_item_for_the_new_unit_only(world, staff, deputy):
    """改办: the rates per unit and the 评先 flag follow the new lead unit; the old unit's meeting does not count."""
    water = HandlingUnitFactory(township=world.township, name="水利站")
    water_liaison = user_with_role(Role.UNIT_LIAISON, water, username="water_liaison")
    items = []
    for n in range(3):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit,
                                    title=f"改办的建议{n}")  # 财政所 has met the deputy
        items.append(services.suggestion_reassign(suggestion=item, by=staff, lead_unit=water, note="交办错误"))
    scope = Suggestion.objects.filter(township=world.township)
    by_unit = {unit.name: rates for unit, rates in rates_by_unit(scope)}
    assert set(by_unit) == {"水利站"} and (by_unit["水利站"].assigned, by_unit["水利站"].consulted) == (3, 0)

    for item in items:
        services.consultation_record(suggestion=item, by=water_liaison, stage="before_reply", form="phone",
                                     held_on=timezone.localdate(), participants="代表、站长", summary="电话沟通")
        services.reply_submit(suggestion=item, by=water_liaison, text="暂不能解决", result_class="C", reason="资金限制")
        services.suggestion_rate(suggestion=item, by=staff, work_grade="unsatisfied", result_grade="unsatisfied",
                                 comment="没有解决")
    by_unit = {unit.name: rates for unit, rates in rates_by_unit(scope)}
    assert set(by_unit) == {"水利站"} and (by_unit["水利站"].consulted, by_unit["水利站"].unsatisfied) == (3, 3)
    assert flagged_units(township_ids=[world.township.pk], year=timezone.localdate().year) == {water.pk: 3}


# --- figures that must not mislead (issue 8) -----------------------------------------------------------------


def _assigned(world, deputy, n, **extra):
    return [proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit,
                                 title=f"建议{n}-{i}", **extra) for i in range(n)]


def test_it_counts_overdue_unanswered_items_as_late_in_the_on_time_rate(world, staff, deputy, liaison, login):
    """按期答复率 = 按期首次答复 ÷ (已答复 + 超期未答复): "100%" never stands next to overdue items."""
    import datetime as dt

    from proposals.selectors import rates

    today = timezone.localdate()
    on_time, late, *rest = _assigned(world, deputy, 6)
    overdue, not_due = rest[:3], rest[3]
    services.reply_submit(suggestion=on_time, by=liaison, text="已修缮", result_class="A")
    Suggestion.objects.filter(pk__in=[late.pk, *[s.pk for s in overdue]]).update(
        deadline=today - dt.timedelta(days=1))
    services.reply_submit(suggestion=Suggestion.objects.get(pk=late.pk), by=liaison, text="已修缮",
                          result_class="A")

    figures = rates(Suggestion.objects.filter(township=world.township))
    # by hand: 2 replied (1 on time, 1 late), 3 overdue without a reply, 1 not yet due → 1 / (2 + 3)
    assert (figures.replied, figures.replied_on_time, figures.overdue, figures.due) == (2, 1, 3, 5)
    assert figures.on_time_rate == 20.0
    assert not_due.deadline > today

    page = login(staff).get(reverse("proposals:figures")).content.decode()
    assert "20%" in page and "按期 1/5" in page
    assert "超过期限仍未答复的件数" in page  # the note defines the rate


def test_it_has_no_on_time_rate_while_nothing_is_due(world, deputy):
    from proposals.selectors import rates

    _assigned(world, deputy, 2)
    figures = rates(Suggestion.objects.filter(township=world.township))
    assert figures.due == 0 and figures.on_time_rate is None


def _rate_unsatisfied(item, staff, liaison):
    services.reply_submit(suggestion=item, by=liaison, text="暂不能解决", result_class="C", reason="资金限制")
    return services.suggestion_rate(suggestion=Suggestion.objects.get(pk=item.pk), by=staff,
                                    work_grade="unsatisfied", result_grade="unsatisfied", comment="没有解决")


def test_it_shows_every_units_unsatisfied_count_without_accepted_reason(world, staff, deputy, liaison, login):
    """The 不满意（无正当理由） column shows the count for every unit (1 is 1, not blank); 评先 is lost above 2."""
    first, second = _assigned(world, deputy, 2)
    _rate_unsatisfied(first, staff, liaison)
    excused = _rate_unsatisfied(second, staff, liaison)
    services.rating_accept_reason(rating=excused, by=staff, note="涉及上级政策")

    response = login(staff).get(reverse("proposals:figures"))
    rows = {u.name: (count, flag) for u, _r, count, flag in response.context["unit_rows"]}
    assert rows[world.unit.name] == (1, False)
    assert '<td data-label="不满意（无正当理由）">1</td>' in response.content.decode()


def test_it_counts_an_item_rated_unsatisfied_twice_as_one_item(world, staff, deputy, liaison):
    """"超过2件": items, so a second unsatisfied round of the same item does not count again."""
    item, = _assigned(world, deputy, 1)
    _rate_unsatisfied(item, staff, liaison)
    services.consultation_record(suggestion=Suggestion.objects.get(pk=item.pk), by=liaison, stage="before_reply",
                                 form="phone", held_on=timezone.localdate(), participants="代表、所长", summary="再次沟通")
    _rate_unsatisfied(Suggestion.objects.get(pk=item.pk), staff, liaison)
    year = timezone.localdate().year
    from proposals.selectors import unsatisfied_counts

    assert unsatisfied_counts(township_ids=[world.township.pk], year=year) == {world.unit.pk: 1}


def test_it_lists_a_unit_rated_this_year_for_an_item_of_last_year(world, staff, deputy, liaison, login):
    """The column counts ratings given in the year, so a unit whose only rated item was raised last year is listed."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item, = _assigned(world, deputy, 1)
    last_year = timezone.now() - dt.timedelta(days=400)
    Suggestion.objects.filter(pk=item.pk).update(submitted_at=last_year, created_at=last_year)
    client = login(staff)
    client.get(reverse("proposals:figures"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("proposals:figures"))
    _rate_unsatisfied(item, staff, liaison)
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("proposals:figures"))
    rows = {u.name: (count, flag) for u, _r, count, flag in response.context["unit_rows"]}
    assert rows[world.unit.name] == (1, False)
    assert [u.township.name for u, *_rest in response.context["unit_rows"]] == [world.unit.township.name]
    assert len(after) == len(before)  # the unit is named by the unsatisfied counts' own query


def test_it_flags_a_unit_with_more_than_two_unsatisfied_items(world, staff, deputy, liaison, login):
    for item in _assigned(world, deputy, 3):
        _rate_unsatisfied(item, staff, liaison)
    response = login(staff).get(reverse("proposals:figures"))
    rows = {u.name: (count, flag) for u, _r, count, flag in response.context["unit_rows"]}
    assert rows[world.unit.name] == (3, True) and response.context["flagged_count"] == 1


def test_it_keeps_the_figures_page_queries_flat(world, staff, deputy, liaison, login, django_assert_max_num_queries):
    """The figures page costs the same number of queries for 2 units as for 6 (each with an unsatisfied rating)."""
    client = login(staff)

    def add_units(n):
        for _i in range(n):
            unit = HandlingUnitFactory(township=world.township)
            item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=unit)
            services.reply_submit(suggestion=item, by=staff.__class__.objects.get(is_superuser=True), text="好",
                                  result_class="C", reason="资金限制")

    add_units(2)
    with django_assert_max_num_queries(22) as few:
        client.get(reverse("proposals:figures"))
    add_units(4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("proposals:figures"))


# --- the per-unit table at county size: pages of 50, the worst first, every unit in the Excel (issue 12) --------


def _unit_with(world, name, *, replied=0, waiting=0):
    unit = HandlingUnitFactory(township=world.township, name=name)
    for _i in range(replied):
        proposals_suggestion(world.township, status_to="replied", unit=unit)
    for _i in range(waiting):
        proposals_suggestion(world.township, status_to="assigned", unit=unit)
    return unit


def _sheet(response):
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))


def test_it_pages_the_unit_table_with_the_worst_units_first(world, login, staff, monkeypatch):
    """The table shows a page of units, those replying least first (a sort control changes the order); the Excel
    holds every unit in the same order."""
    from proposals.views import reports

    monkeypatch.setattr(reports, "UNIT_PAGE_SIZE", 2)
    _unit_with(world, "甲站", replied=1)
    _unit_with(world, "乙站", waiting=2)
    _unit_with(world, "丙站", waiting=1)
    client = login(staff)

    first = client.get(reverse("proposals:figures"))
    assert [row.unit.name for row in first.context["unit_rows"]] == ["乙站", "丙站"]
    assert first.context["unit_count"] == 3
    page = first.content.decode()
    assert 'data-testid="unit-paging-note"' in page and "共 3 个承办单位，每页显示 2 个" in page
    assert "?page=2" in page
    second = client.get(reverse("proposals:figures"), {"page": 2})
    assert [row.unit.name for row in second.context["unit_rows"]] == ["甲站"]

    by_reply = client.get(reverse("proposals:figures"), {"sort": "assigned"})
    assert by_reply.context["unit_rows"][0].unit.name == "乙站" and by_reply.context["unit_sort"] == "assigned"
    odd = client.get(reverse("proposals:figures"), {"sort": "<script>", "page": "x"})
    assert odd.status_code == 200 and odd.context["unit_sort"] == "worst"

    sheet = _sheet(client.get(reverse("proposals:figures"), {"export": "xlsx"}))
    assert sheet[1][:3] == ("主办单位", "交办", "办复率")
    assert [row[0] for row in sheet[2:]] == ["乙站", "丙站", "甲站"] and sheet[-1][2] == "100%"


def test_it_names_each_units_township_in_the_county_export(world, login):
    _unit_with(world, "甲站", waiting=1)
    twin = HandlingUnitFactory(township=world.other_township, name="甲站")
    proposals_suggestion(world.other_township, status_to="assigned", unit=twin)
    sheet = _sheet(login(world.user(Role.COUNTY_REVIEWER)).get(reverse("proposals:figures"), {"export": "xlsx"}))
    assert sheet[1][:2] == ("乡镇", "主办单位")
    assert sorted(row[:2] for row in sheet[2:]) == sorted([(world.township.name, "甲站"),
                                                           (world.other_township.name, "甲站")])


def test_it_pages_and_exports_the_unit_table_in_flat_queries(world, login, staff, monkeypatch,
                                                             django_assert_max_num_queries):
    """The page of units and the export of all of them cost the same queries for 3 units as for 9."""
    from proposals.views import reports

    monkeypatch.setattr(reports, "UNIT_PAGE_SIZE", 2)
    client = login(staff)
    counts = []
    for grow in (3, 6):
        for n in range(grow):
            _unit_with(world, f"单位{len(counts)}-{n}", replied=n % 2, waiting=1)
        with django_assert_max_num_queries(22) as page:
            assert client.get(reverse("proposals:figures"), {"sort": "satisfaction", "page": 2}).status_code == 200
        with django_assert_max_num_queries(12) as export:
            assert len(_sheet(client.get(reverse("proposals:figures"), {"export": "xlsx"}))) == 2 + (
                3 if grow == 3 else 9)
        counts.append((len(page.captured_queries), len(export.captured_queries)))
    assert counts[0] == counts[1]
