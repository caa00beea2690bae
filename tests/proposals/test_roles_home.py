"""Home pages for roles that had little to do: the chair's desk (what a chair decides) and the deputy's items."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from presidium import registry
from presidium.choices import Role
from proposals import services
from proposals.models import Suggestion
from tests.factories import HandlingUnitFactory, proposals_suggestion
from tests.proposals.access_cases import _admin, _presidium_motion


def _key_item(world, deputy, *, leader="王镇长", title="关于修建中心小学操场的建议"):
    item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="registered", title=title)
    return services.suggestion_assign(suggestion=item, by=_admin(), lead_unit=world.unit, supervision_mode="follow_up",
                                      is_key=True, leading_leader=leader)


def _unsatisfied(world, deputy, unit, n):
    liaison = _admin()
    for i in range(n):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=unit,
                                    title=f"不满意的建议{i}")
        services.reply_submit(suggestion=item, by=liaison, text="暂不能解决", result_class="C", reason="资金")
        services.suggestion_rate(suggestion=Suggestion.objects.get(pk=item.pk), by=liaison, work_grade="unsatisfied",
                                 result_grade="unsatisfied", comment="没有解决")


def test_it_gives_the_chair_what_the_presidium_decides(world, deputy, login):
    motion = _presidium_motion(world.township)
    pending = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit,
                                   title="要延期的建议")
    services.extension_request(suggestion=pending, by=_admin(), reason="资金未到位", measures="分步实施",
                               requested_deadline=pending.deadline + dt.timedelta(days=20))
    key = _key_item(world, deputy)
    water = HandlingUnitFactory(township=world.township, name="水利站")
    road = HandlingUnitFactory(township=world.township, name="交通站")
    _unsatisfied(world, deputy, water, 3)
    _unsatisfied(world, deputy, road, 2)
    opinion = services.supervision_opinion_send(by=world.user(Role.COUNTY_REVIEWER), unit=world.unit,
                                                title="关于财政所的督办意见", content="请说明。")

    response = login(world.user(Role.PRESIDIUM_CHAIR)).get(reverse("home"))
    page = response.content.decode()
    assert 'data-testid="chair-desk"' in page
    decisions = page.split('data-testid="chair-section-proposals_decisions"')[1].split("</ul>")[0]
    assert motion.title in decisions and "决定是否列入大会议程" in decisions and "要延期的建议" in decisions
    keys = page.split('data-testid="chair-section-proposals_key"')[1].split("</ul>")[0]
    assert key.title in keys and "领办：王镇长" in keys
    units = page.split('data-testid="chair-section-proposals_units"')[1].split("</ul>")[0]
    assert "水利站" in units and "取消评先资格" in units and "交通站" in units and "再有 1 件" in units
    assert opinion.title in page.split('data-testid="chair-section-proposals_opinions"')[1]
    # the clerk's counters are the staff's; the chair has the decisions as a list instead
    titles = {str(item["card"].title) for item in response.context["cards"]}
    assert "待登记的议案建议" not in titles and "待审批的延期申请" not in titles
    staff_titles = {str(item["card"].title)
                    for item in login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("home")).context["cards"]}
    assert {"待登记的议案建议", "待审批的延期申请", "待答复的督办意见"} <= staff_titles
    assert 'data-testid="chair-desk"' not in login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("home")).content.decode()


def test_it_shows_a_section_a_later_app_registers_on_the_chairs_desk(world, login):
    """The hook a later app uses (meetings does): a registered section appears on the chair's desk."""
    page = login(world.user(Role.PRESIDIUM_CHAIR)).get(reverse("home")).content.decode()
    assert "第三季度主席团会议" not in page
    section = registry.ChairSection(key="test_meetings", title="到期的主席团会议", order=50, rows=lambda user: [
        registry.DecisionRow(title="第三季度主席团会议", detail="应于本季度内召开", when=timezone.localdate())])
    registry.register_chair_section(section)
    try:
        page = login(world.user(Role.PRESIDIUM_CHAIR)).get(reverse("home")).content.decode()
    finally:
        registry._CHAIR.pop("test_meetings")
    assert 'data-testid="chair-section-test_meetings"' in page and "第三季度主席团会议" in page


def test_it_builds_the_chairs_home_in_a_constant_number_of_queries(world, deputy, login,
                                                                   django_assert_max_num_queries):
    client = login(world.user(Role.PRESIDIUM_CHAIR))

    def add(n):
        for i in range(n):
            _presidium_motion(world.township)
            _key_item(world, deputy, title=f"重点建议{i}")
            _unsatisfied(world, deputy, HandlingUnitFactory(township=world.township), 2)
            services.supervision_opinion_send(by=world.user(Role.COUNTY_REVIEWER), unit=world.unit,
                                              title=f"督办意见{i}", content="请说明。")

    add(1)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("home"))
    add(3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_it_shows_the_deputy_each_item_with_its_step_unit_and_deadline(world, deputy, login):
    assigned = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit,
                                    title="关于修缮东风村村道的建议")
    overdue = proposals_suggestion(world.township, lead_deputy=deputy, status_to="in_handling", unit=world.unit,
                                   title="关于路灯的建议")
    Suggestion.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="submitted", title="关于垃圾清运的建议")
    proposals_suggestion(world.township, status_to="assigned", unit=world.unit, title="别人的建议")

    response = login(world.user(Role.DEPUTY)).get(reverse("home"))
    block = response.content.decode().split('data-testid="deputy-items"')[1].split("</section>")[0]
    assert "别人的建议" not in block
    assert block.count('data-testid="deputy-item"') == 3
    item = block.split("关于修缮东风村村道的建议")[1].split("</a>")[0]
    assert "已交办，等待承办单位签收" in item and world.unit.name in item and f"{assigned.deadline:%Y-%m-%d}" in item
    late = block.split("关于路灯的建议")[1].split("</a>")[0]
    assert "已逾期" in late and "承办单位办理中" in late
    waiting = block.split("关于垃圾清运的建议")[1].split("</a>")[0]
    assert "等待人大办登记" in waiting and "尚无办理期限" in waiting


def test_it_lists_the_deputys_items_in_a_constant_number_of_queries(world, deputy, login,
                                                                    django_assert_max_num_queries):
    client = login(world.user(Role.DEPUTY))

    def add(n):
        for i in range(n):
            proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned",
                                 unit=HandlingUnitFactory(township=world.township), title=f"建议{i}")

    add(2)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    add(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_it_lists_the_first_motions_and_key_items_of_the_desk_each_in_its_order(world, deputy):
    """The desk reads the motions and the key items in one query (a row number per list): each list still holds
    its own first LIMIT in its own order, whatever the other holds."""
    from proposals.home import LIMIT, _desk_items

    motions = [_presidium_motion(world.township) for _ in range(LIMIT + 2)]
    keys = [_key_item(world, deputy, title=f"重点建议{i}") for i in range(LIMIT + 1)]
    by_deadline = sorted(keys, key=lambda s: (s.deadline, s.pk))
    by_registration = sorted(motions, key=lambda s: (Suggestion.objects.get(pk=s.pk).registered_at, s.pk))
    chair = world.user(Role.PRESIDIUM_CHAIR)
    shown_motions, shown_keys = _desk_items(chair)
    assert [s["pk"] for s in shown_motions] == [s.pk for s in by_registration[:LIMIT]]
    assert [s["pk"] for s in shown_keys] == [s.pk for s in by_deadline[:LIMIT]]


def test_it_reads_the_desk_without_the_items_texts_or_their_other_joins(world, deputy):
    """The desk's one query selects what its rows show (serial, title, leader, unit, deadline): not the items'
    texts nor their township, category and deputy; reading the rows asks for nothing more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.home import decisions, key_suggestions

    _presidium_motion(world.township)
    key = _key_item(world, deputy, title="重点建议甲")
    chair = world.user(Role.PRESIDIUM_CHAIR)
    key_suggestions(chair)  # the roles, then the desk
    with CaptureQueriesContext(connection) as captured:
        rows = decisions(chair) + key_suggestions(chair)
    assert len(captured) == 2  # the extension and hand-back requests; the desk is kept for the request
    assert any(row.title.endswith("重点建议甲") and key.lead_unit.name in row.detail for row in rows)
    chair = type(chair).objects.get(pk=chair.pk)
    with CaptureQueriesContext(connection) as captured:
        key_suggestions(chair)
    desk_sql = captured.captured_queries[-1]["sql"]
    assert '"content"' not in desk_sql and "deputies_deputy" not in desk_sql and "proposals_category" not in desk_sql


def test_it_shows_each_presidium_only_its_own_townships_requests(world, deputy):
    """The desk's extension and hand-back requests are read by their item's township: township A's chair sees
    A's, township B's staff B's, never the other's (and the same rows as among the visible items)."""
    from proposals.home import decisions
    from proposals.models import Extension, HandBackRequest
    from proposals.selectors import suggestions_visible_to

    def request_extension(township, unit, title):
        item = proposals_suggestion(township, status_to="assigned", unit=unit, title=title)
        services.extension_request(suggestion=item, by=_admin(), reason="资金未到位", measures="分步实施",
                                   requested_deadline=item.deadline + dt.timedelta(days=20))

    request_extension(world.township, world.unit, "甲镇要延期的建议")
    request_extension(world.other_township, world.other_unit, "乙镇要延期的建议")
    handed = proposals_suggestion(world.other_township, status_to="assigned", unit=world.other_unit, title="乙镇退办")
    services.suggestion_hand_back_request(suggestion=handed, by=_admin(), reason="不属于本单位")
    chair, other = world.user(Role.PRESIDIUM_CHAIR), world.other_staff
    mine = " ".join(row.title for row in decisions(chair))
    theirs = " ".join(row.title + row.detail for row in decisions(other))
    assert "甲镇要延期的建议" in mine and "乙镇" not in mine
    assert "乙镇要延期的建议" in theirs and "乙镇退办" in theirs and "甲镇" not in theirs
    for user, expected in ((chair, 1), (other, 2)):
        visible = suggestions_visible_to(user)
        among_visible = {request.suggestion.get_absolute_url() for model in (Extension, HandBackRequest)
                         for request in model.objects.filter(suggestion__in=visible, status="pending")}
        assert len(among_visible) == expected and {row.url for row in decisions(user)} >= among_visible


def test_it_counts_the_deputys_cards_in_the_homes_one_count_query_as_each_card_counts(world, deputy, login):
    """The deputy's cards (待我评价, 待我确认的联名, 本年度我的走访, 待评议的单位) give their rows and are counted with
    the home's other counts in one query, not one query each; each shows what its own ``count`` says, and a card
    whose count is None or, where it hides at zero, 0 is not shown."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import VisitFactory

    user = world.user(Role.DEPUTY)
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="replied", unit=world.unit, title="待评价甲")
    proposals_suggestion(world.township, lead_deputy=deputy, status_to="replied", unit=world.unit, title="待评价乙")
    VisitFactory(deputy=deputy, visited_on=timezone.localdate())
    with CaptureQueriesContext(connection) as captured:
        html = login(user).get(reverse("home")).content.decode()
    single_counts = [q["sql"] for q in captured.captured_queries if 'COUNT(*) AS "__count"' in q["sql"]
                     and "notifications_notification" not in q["sql"]]
    assert single_counts == []
    shown = dict(re.findall(r'<div class="text-muted small">([^<]+)</div>\s*<div class="count[^"]*">(\d+)</div>', html))
    cards = [card for card in registry.home_cards() if Role.DEPUTY in card.roles]
    assert {card.key for card in cards} >= {"proposals_to_rate", "proposals_to_cosign", "deputies_my_visits",
                                            "evaluations_units_to_vote"}
    for card in cards:
        count = card.count(user)
        if count is None or (card.hide_zero and not count):
            assert str(card.title) not in shown
        else:
            assert shown[str(card.title)] == str(count)
    assert shown["待我评价的答复"] == "2" and shown["本年度我的走访"] == "1"


def test_it_reads_each_desk_line_of_requests_and_opinions_in_one_narrow_query(world, deputy):
    """The extension and hand-back requests and the county's 督办意见 are read with what their lines show (the
    item's serial and title, the unit's name, the dates), not every column of the joined item, township and
    accounts: one query a section, and reading every line asks for nothing more (no deferred field loaded)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from proposals.home import county_opinions, decisions

    for i in range(2):
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit,
                                    title=f"要延期的建议{i}")
        services.extension_request(suggestion=item, by=_admin(), reason="资金未到位", measures="分步实施",
                                   requested_deadline=item.deadline + dt.timedelta(days=20))
        handed = proposals_suggestion(world.township, status_to="assigned", unit=world.unit, title=f"要退办的建议{i}")
        services.suggestion_hand_back_request(suggestion=handed, by=_admin(), reason="不属于本单位")
        services.supervision_opinion_send(by=world.user(Role.COUNTY_REVIEWER), unit=world.unit,
                                          title=f"关于财政所的督办意见{i}", content="请说明。")
        services.supervision_opinion_send(by=world.user(Role.COUNTY_REVIEWER), suggestion=item,
                                          title=f"关于建议的督办意见{i}", content="请说明。")
    chair = world.user(Role.PRESIDIUM_CHAIR)
    decisions(chair), county_opinions(chair)  # the roles and the desk's items, kept for the request
    with CaptureQueriesContext(connection) as captured:
        lines = decisions(chair)
        text = " ".join(f"{row.title} {row.detail} {row.url} {row.when}" for row in lines)
    assert len(captured) == 2  # the extensions, the hand-backs
    assert all('"content"' not in q["sql"] and '"measures"' not in q["sql"] and "presidium_township" not in
               q["sql"].split(" FROM ")[0] for q in captured.captured_queries)
    for i in range(2):
        item = Suggestion.objects.get(title=f"要延期的建议{i}")
        assert f"{item.serial} 要延期的建议{i}" in text and item.get_absolute_url() in text
        assert str(item.extensions.get().requested_deadline) in text
        assert f"{Suggestion.objects.get(title=f'要退办的建议{i}').serial} 要退办的建议{i}" in text
    assert text.count(f"{world.unit.name}申请延至") == 2 and text.count(f"{world.unit.name}认为不属于本单位职责") == 2
    with CaptureQueriesContext(connection) as captured:
        lines = county_opinions(chair)
        shown = [(row.title, row.detail, row.url, row.when) for row in lines]
    assert len(captured) == 1 and '"content"' not in captured.captured_queries[0]["sql"]
    from proposals.models import SupervisionOpinion

    expected = [(o.title, o.subject, o.get_absolute_url(), o.answer_by)
                for o in SupervisionOpinion.objects.filter(township=world.township, status="sent")
                .order_by("answer_by", "sent_at", "pk")]
    assert shown == expected and len(shown) == 4
    assert {detail for _title, detail, _url, _when in shown} == {
        world.unit.name, *(f"{s.serial} {s.title}" for s in Suggestion.objects.filter(title__startswith="要延期"))}


def test_the_desks_kept_sql_reads_what_its_querysets_read_and_the_rows_of_the_moment(world, deputy, login,
                                                                                      monkeypatch):
    """The desk's line queries are built and compiled once per chair's roles and day (presidium.home_cards
    .kept_rows); each page runs the kept SQL and reads the rows of the moment: a request, an opinion, a key item
    added after the first page are on the second, and each kept read equals its queryset's own rows (dates,
    booleans and empty columns converted as Django converts them)."""
    import time_machine

    from presidium.home_cards import _BUILT_EACH_TIME, _KEPT, compile_rows
    from presidium.meetings.views import chair as meetings_desk
    from proposals import home

    built = {}

    def counting(name, build):
        def counted(user):
            built[name] = built.get(name, 0) + 1
            return build(user)
        return counted

    for name in ("_desk_query", "_extensions", "_hand_backs", "_opinions"):
        monkeypatch.setattr(home, name, counting(name, getattr(home, name)))
    chair = world.user(Role.PRESIDIUM_CHAIR)
    client = login(chair)

    def desk(page, key):
        return page.split(f'data-testid="chair-section-{key}"')[1].split("</ul>")[0]

    with time_machine.travel(dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC), tick=False):
        _presidium_motion(world.township)
        first = client.get(reverse("home")).content.decode()
        assert "延期申请" not in desk(first, "proposals_decisions")
        item = proposals_suggestion(world.township, lead_deputy=deputy, status_to="assigned", unit=world.unit,
                                    title="后来要延期的建议")
        services.extension_request(suggestion=item, by=_admin(), reason="资金未到位", measures="分步实施",
                                   requested_deadline=item.deadline + dt.timedelta(days=20))
        handed = proposals_suggestion(world.township, status_to="assigned", unit=world.unit, title="后来退办")
        services.suggestion_hand_back_request(suggestion=handed, by=_admin(), reason="不属于本单位")
        _key_item(world, deputy, leader="李副镇长", title="后来的重点建议")
        services.supervision_opinion_send(by=world.user(Role.COUNTY_REVIEWER), suggestion=item,
                                          title="后来的督办意见", content="请说明。")
        second = client.get(reverse("home")).content.decode()
        assert built == {"_desk_query": 1, "_extensions": 1, "_hand_backs": 1, "_opinions": 1}
        decisions = desk(second, "proposals_decisions")
        item = Suggestion.objects.get(pk=item.pk)
        assert f"{item.serial} 后来要延期的建议" in decisions and str(item.extensions.get().requested_deadline) in decisions
        assert "后来退办" in decisions and item.get_absolute_url() in decisions
        assert "后来的重点建议" in desk(second, "proposals_key") and "领办：李副镇长" in desk(second, "proposals_key")
        assert f"{item.serial} 后来要延期的建议" in desk(second, "proposals_opinions")
        kept = {entry[1]: value for entry, value in _KEPT.items() if entry[0] == "rows" and entry[2].user_id == chair.pk}
        desk = {"proposals_desk_items", "proposals_desk_extensions", "proposals_desk_hand_backs",
                "proposals_desk_opinions", "proposals_desk_units", "meetings_desk_opinions"}
        assert desk <= set(kept) and all(kept[key] is not _BUILT_EACH_TIME for key in desk)
        fresh = type(chair).objects.get(pk=chair.pk)
        for build in (home._desk_query, home._extensions, home._hand_backs, home._opinions,
                      meetings_desk._opinions_owed):
            queryset = build(fresh)
            assert compile_rows(queryset).read() == list(queryset)
        assert any(row["deadline"] is not None and row["desk_key"] is True for row in home._desk_query(fresh))
