"""The screens: voting on a phone, refusals with reasons, results and exports, the liaison's page, query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluations.models import Ballot, BallotCast, Indicator
from evaluations.units import rectification, services
from presidium.choices import Role
from tests.factories import HandlingUnitFactory, unit_campaign, unit_round_open, unit_voters, user_with_role

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"evaluations:units:{name}", args=args)


def _published_grades(world, *, voters=5, units=None):
    staff = world.user(Role.PRESIDIUM_STAFF)
    units = units or [world.unit]
    campaign = unit_campaign(world.township, by=staff, units=units, scheme_kind="grades", period_kind="annual",
                             unsatisfied_threshold=D("30"))
    deputies = unit_voters(world.township, voters)
    round_ = unit_round_open(campaign, by=staff)
    for i, deputy in enumerate(deputies):
        services.ballot_cast(round_=round_, deputy=deputy, by=deputy.user,
                             votes=dict.fromkeys(units, "unsatisfied" if i % 2 else "satisfied"))
    services.round_close(round_=round_, by=staff)
    return campaign, services.round_publish(round_=round_, by=staff)


def test_it_lets_a_deputy_grade_every_unit_on_one_page(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    other = HandlingUnitFactory(township=world.township, name="农技站")
    campaign = unit_campaign(world.township, by=staff, units=[world.unit, other], scheme_kind="grades")
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    client.force_login(deputy.user)
    page = client.get(_url("vote_round", round_.pk))
    assert page.status_code == 200 and "农技站" in page.content.decode()
    missing = client.post(_url("vote_round", round_.pk), {f"u{world.unit.pk}": "satisfied"})
    assert missing.status_code == 200 and not Ballot.objects.exists()  # every unit needs a grade; nothing saved
    done = client.post(_url("vote_round", round_.pk), {f"u{world.unit.pk}": "satisfied", f"u{other.pk}": "basic"})
    assert done.status_code == 302
    assert sorted(Ballot.objects.values_list("grade", flat=True)) == ["basic", "satisfied"]
    again = client.get(_url("vote_round", round_.pk))
    assert again.status_code == 403 and "已完成" in again.content.decode()


def test_it_lets_a_deputy_score_one_unit_per_page_and_refuses_a_second_time(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit])
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    a, b = Indicator.objects.filter(campaign=campaign).order_by("position")
    client.force_login(deputy.user)
    too_high = client.post(_url("vote_unit", round_.pk, world.unit.pk), {f"i{a.pk}": "41", f"i{b.pk}": "50"})
    assert too_high.status_code == 200 and "不能超过满分" in too_high.content.decode()
    assert not Ballot.objects.exists()
    ok = client.post(_url("vote_unit", round_.pk, world.unit.pk), {f"i{a.pk}": "38", f"i{b.pk}": "55.5"})
    assert ok.status_code == 302
    again = client.get(_url("vote_unit", round_.pk, world.unit.pk))
    assert again.status_code == 403 and "只能投一次" in again.content.decode()


def test_it_refuses_outside_the_window_with_the_date(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], scheme_kind="grades")
    deputy = unit_voters(world.township, 1)[0]
    round_ = unit_round_open(campaign, by=staff)
    today = timezone.localdate()
    services.round_update_window(round_=round_, by=staff, opens_on=today + dt.timedelta(days=2),
                                 closes_on=today + dt.timedelta(days=9))
    client.force_login(deputy.user)
    page = client.get(_url("vote_round", round_.pk))
    assert page.status_code == 403 and "开始" in page.content.decode()


def test_it_shows_staff_turnout_but_never_what_was_voted(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], scheme_kind="grades")
    deputies = unit_voters(world.township, 3)
    round_ = unit_round_open(campaign, by=staff)
    services.ballot_cast(round_=round_, deputy=deputies[0], votes={world.unit: "unsatisfied"}, by=deputies[0].user)
    client.force_login(staff)
    body = client.get(_url("round_turnout", round_.pk)).content.decode()
    assert deputies[0].name in body and deputies[1].name in body and "1 / 3" in body
    assert "不满意" not in body
    results = client.get(_url("round_results", round_.pk)).content.decode()
    assert "投票期间不显示结果" in results


def test_it_exports_the_results_table_and_prints_the_notice(world, client):
    campaign, round_ = _published_grades(world)
    client.force_login(world.user(Role.COUNTY_REVIEWER))
    xlsx = client.get(_url("round_results", round_.pk) + "?format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "财政所" in values and "不满意" in values
    pdf = client.get(_url("round_results", round_.pk) + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(_url("round_results", round_.pk) + "?format=docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_it_shows_a_liaison_its_own_result_and_items_only(world, client):
    other = HandlingUnitFactory(township=world.township, name="城建办")
    campaign, round_ = _published_grades(world, units=[world.unit, other])
    items = list(campaign.rectifications.order_by("unit__name"))
    assert {i.unit_id for i in items} == {world.unit.pk, other.pk}  # 2 of 5 unsatisfied = 40% > 30%
    client.force_login(world.user(Role.UNIT_LIAISON))
    body = client.get(_url("unit_mine")).content.decode()
    assert "财政所" in body and "城建办" not in body
    mine = next(i for i in items if i.unit_id == world.unit.pk)
    theirs = next(i for i in items if i.unit_id == other.pk)
    assert client.get(_url("rectification_detail", mine.pk)).status_code == 200
    assert client.get(_url("rectification_detail", theirs.pk)).status_code == 404
    assert client.get(_url("round_results", round_.pk)).status_code == 404
    done = client.post(_url("rectification_done", mine.pk), {"note": "窗口增设引导员"})
    assert done.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "done" and mine.done_note == "窗口增设引导员"


def test_it_reminds_the_unit_before_a_rectification_item_is_due(world):
    from presidium.notifications.models import Notification
    from presidium.notifications.reminders import send_due_reminders

    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit])
    liaison = world.user(Role.UNIT_LIAISON)
    due = timezone.localdate() + dt.timedelta(days=10)
    item = rectification.rectification_open(campaign=campaign, unit=world.unit, title="窗口服务", owner="李站长",
                                            due_on=due, by=staff)
    send_due_reminders(now=timezone.now() + dt.timedelta(days=8))
    titles = list(Notification.objects.filter(recipient=liaison).values_list("title", flat=True))
    assert titles and "整改提醒" in titles[0] and item.title in titles[0]
    send_due_reminders(now=timezone.now() + dt.timedelta(days=8))
    assert Notification.objects.filter(recipient=liaison).count() == 1  # once


def _grow(world, n_units, n_deputies):
    staff = world.user(Role.PRESIDIUM_STAFF)
    units = [HandlingUnitFactory(township=world.township, name=f"站所{i}") for i in range(n_units)]
    campaign = unit_campaign(world.township, by=staff, units=units, min_ballots=1)
    leaves = list(Indicator.objects.filter(campaign=campaign))
    deputies = unit_voters(world.township, n_deputies)
    round_ = unit_round_open(campaign, by=staff)
    for deputy in deputies:
        for unit in units:
            services.ballot_cast(round_=round_, deputy=deputy, by=deputy.user,
                                 votes={unit: dict.fromkeys(leaves, 30)})
    services.deduction_add(round_=round_, unit=units[0], points=D("1"), reason="脱岗", by=staff)
    services.round_close(round_=round_, by=staff)
    services.round_publish(round_=round_, by=staff)
    rectification.rectification_open(campaign=campaign, unit=units[0], title="整改", owner="张三", by=staff,
                                     due_on=timezone.localdate() + dt.timedelta(days=9))
    return campaign, round_


@pytest.mark.parametrize("size", [(2, 2), (8, 5)])
def test_it_reads_the_pages_in_a_fixed_number_of_queries(world, client, django_assert_max_num_queries, size):
    """Lists, results, turnout, deductions, exports and the liaison's page: as many queries for 2 units as for 8."""
    campaign, round_ = _grow(world, *size)
    staff = world.user(Role.PRESIDIUM_STAFF)
    client.force_login(staff)
    pages = [_url("campaign_list"), _url("campaign_list") + "?export=xlsx", _url("campaign_detail", campaign.pk),
             _url("round_results", round_.pk), _url("round_results", round_.pk) + "?format=xlsx",
             _url("round_turnout", round_.pk), _url("round_deductions", round_.pk),
             _url("cumulative", campaign.pk)]
    for page in pages:
        with django_assert_max_num_queries(20):
            assert client.get(page).status_code == 200, page
    liaison = user_with_role(Role.UNIT_LIAISON, round_.campaign.units.first().unit)
    client.force_login(liaison)
    with django_assert_max_num_queries(12):
        assert client.get(_url("unit_mine")).status_code == 200


def test_it_offers_last_years_lowest_unit_by_default(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    low = HandlingUnitFactory(township=world.township, name="末位站")
    high = HandlingUnitFactory(township=world.township, name="先进站")
    last_year = timezone.localdate().year - 1
    campaign = unit_campaign(world.township, by=staff, units=[low, high], year=last_year, min_ballots=1,
                             indicators=(("总体", 100),))
    leaf = Indicator.objects.get(campaign=campaign)
    deputy = unit_voters(world.township, 1)[0]
    round_ = campaign.rounds.get(number=1)
    services.round_update_window(round_=round_, by=staff, opens_on=round_.period_start, closes_on=round_.period_end)
    services.round_open(round_=round_, by=staff)
    services.ballot_cast(round_=round_, deputy=deputy, by=deputy.user, today=round_.period_end,
                         votes={low: {leaf: 50}})
    services.ballot_cast(round_=round_, deputy=deputy, by=deputy.user, today=round_.period_end,
                         votes={high: {leaf: 90}})
    services.round_close(round_=round_, by=staff)
    services.round_publish(round_=round_, by=staff)
    client.force_login(staff)
    page = client.get(_url("campaign_create"))
    assert page.context["form"].initial["units"] == [low]
    response = client.post(_url("campaign_create"), {
        "title": "新年度评议", "year": timezone.localdate().year, "period_kind": "annual", "scheme_kind": "grades",
        "methods": ["inspection"], "units": [low.pk, high.pk], "min_ballots": 5, "unsatisfied_threshold": "20",
        "title_top_n": 5, "praise_top_n": 3, "criticism_bottom_n": 2, "form_token": page.context["form_token"], "form_end": "1"})
    assert response.status_code == 302, response.context["form"].errors
    new = type(campaign).objects.get(title="新年度评议")
    assert [(cu.unit.name, cu.evaluated_again) for cu in new.units.order_by("unit__name")] == [
        ("先进站", False), ("末位站", True)]
    assert BallotCast.objects.filter(round__campaign=new).count() == 0


def test_it_sends_an_item_back_at_the_re_check_and_reminds_again(world, client):
    from presidium.notifications.models import Reminder

    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit])
    item = rectification.rectification_open(campaign=campaign, unit=world.unit, title="窗口服务", owner="李站长",
                                            due_on=timezone.localdate() + dt.timedelta(days=10), by=staff)
    client.force_login(world.user(Role.UNIT_LIAISON))
    assert client.post(_url("rectification_done", item.pk), {"note": "已整改", "form_end": "1"}).status_code == 302
    assert client.get(_url("rectification_check", item.pk)).status_code == 403  # the unit does not re-check itself
    client.force_login(staff)
    refused = client.post(_url("rectification_check", item.pk), {"confirmed": "no", "note": ""})
    assert refused.status_code == 200 and "写明原因" in refused.content.decode()
    back = client.post(_url("rectification_check", item.pk), {"confirmed": "no", "note": "窗口仍无人"})
    assert back.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.done_on, item.check_note) == ("open", None, "窗口仍无人")
    assert Reminder.objects.filter(object_id=item.pk, status="scheduled").count() == 2


def test_it_shows_staff_the_turnout_of_an_open_round_on_the_home_page(world, client):
    staff = world.user(Role.PRESIDIUM_STAFF)
    campaign = unit_campaign(world.township, by=staff, units=[world.unit], scheme_kind="grades")
    deputies = unit_voters(world.township, 2)
    round_ = unit_round_open(campaign, by=staff)
    services.ballot_cast(round_=round_, deputy=deputies[0], votes={world.unit: "basic"}, by=deputies[0].user)
    client.force_login(staff)
    body = client.get(reverse("home")).content.decode()
    assert "评议未投票代表" in body and "已投 1 / 2 张" in body
    client.force_login(deputies[1].user)
    assert "待评议的单位" in client.get(reverse("home")).content.decode()


def _turnout_as_before(user) -> str | None:
    """The turnout block as it was rendered before its query was kept: the rounds as instances with their campaign."""
    from django.db.models import Count, Q
    from django.template.loader import render_to_string

    from evaluations.models import Round
    from evaluations.units.access import MANAGE
    from presidium.access import townships_where

    rounds = list(Round.objects.filter(state="open", campaign__township__in=townships_where(user, MANAGE))
                  .select_related("campaign")
                  .annotate(roll=Count("casts__deputy", distinct=True),
                            cast=Count("casts", filter=Q(casts__cast_on__isnull=False)), total=Count("casts"))
                  .order_by("closes_on", "pk"))
    if not rounds:
        return None
    for round_ in rounds:
        round_.share = round(round_.cast * 100 / round_.total) if round_.total else 0
    return render_to_string("evaluations/units/home_block.html", {"rounds": rounds})


def test_the_home_turnout_block_is_the_same_from_its_kept_query_and_counts_each_ballot_at_once(world):
    """The block's rounds read by SQL kept for the roles and the day: the same bytes as the rounds read as instances
    (quarterly and annual campaigns, a hostile title), a ballot cast between two pages counted on the second, one
    query at one round and at three."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from evaluations.units.wiring import _turnout_block

    staff = world.user(Role.PRESIDIUM_STAFF)
    chair = world.user(Role.PRESIDIUM_CHAIR)

    def block(user):
        request = RequestFactory().get("/")
        request.user = user
        request._shell_context = {}
        with CaptureQueriesContext(connection) as captured:
            html = _turnout_block(request)
        return html, len(captured)

    assert block(staff)[0] is None and _turnout_as_before(staff) is None
    quarterly = unit_campaign(world.township, by=staff, units=[world.unit], scheme_kind="grades")
    deputies = unit_voters(world.township, 3)
    first = unit_round_open(quarterly, by=staff)
    block(staff), block(chair)  # the roles read, the SQL kept
    html, queries = block(staff)
    assert html == _turnout_as_before(staff) and "已投 0 / 3 张" in html and queries == 1
    services.ballot_cast(round_=first, deputy=deputies[0], votes={world.unit: "basic"}, by=deputies[0].user)
    html, queries = block(staff)
    assert html == _turnout_as_before(staff) and "已投 1 / 3 张" in html and queries == 1
    annual = unit_campaign(world.township, by=staff, units=[HandlingUnitFactory(township=world.township)],
                           scheme_kind="grades", period_kind="annual")
    annual.title = '<script>alert("评议")</script>'
    annual.save(update_fields=["title"])
    unit_round_open(annual, by=staff)
    unit_round_open(quarterly, by=staff, number=2)
    for user in (staff, chair):
        html, queries = block(user)
        assert html == _turnout_as_before(user) and queries == 1
        assert html.count("list-group-item-action") == 3 and "<script>" not in html and "年度" in html
    from presidium.home_cards import _BUILT_EACH_TIME, _KEPT

    kept = [value for entry, value in _KEPT.items() if entry[:2] == ("rows", "evaluations_units_turnout")]
    assert len(kept) == 2 and _BUILT_EACH_TIME not in kept  # staff's and chair's, compiled once each today
