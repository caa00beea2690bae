"""The staff and liaison screens of the petitions app: ledger, register, item page, steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.models import Petition, PetitionDataAccess
from presidium.choices import Role
from tests.factories import HandlingUnitFactory, PetitionFactory, petition_at, user_with_role


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


@pytest.fixture
def liaison(world):
    return world.user(Role.UNIT_LIAISON)


def _recent(days: int = 10) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _register_data(**changes) -> dict:
    data = {
        "township": "", "channel": "visit", "received_on": f"{_recent(1):%Y-%m-%d}", "name": "张建国",
        "mobile": "138-1234-1234", "id_number": "", "address": "东风村三组12号", "village": "东风村",
        "people_count": "1", "subject": "东风村三组宅基地界址纠纷", "content": "与邻居就界址发生争议，请求调处。",
        "urgency": "normal", "rep-TOTAL_FORMS": "5", "rep-INITIAL_FORMS": "0", "rep-MIN_NUM_FORMS": "0",
        "rep-MAX_NUM_FORMS": "5",
    }
    for n in range(5):
        data[f"rep-{n}-name"] = ""
        data[f"rep-{n}-mobile"] = ""
    data.update(changes)
    return data


# --- the ledger ------------------------------------------------------------------------------------------


def test_it_lists_petitions_with_masked_petitioners_and_the_next_clock(world, login, staff):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(20), name="王建国",
                           mobile="13812345678")
    body = login(staff).get(reverse("petitions:list")).content.decode()
    assert petition.registration_number in body
    assert "王**" in body and "王建国" not in body
    assert "138****5678" in body and "13812345678" not in body
    assert "受理告知期限" in body and "超期5天" in body  # received 20 days ago, 15-day limit


def _grow(world, staff, n):
    for _ in range(n):
        petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(12))
        PetitionFactory(township=world.township, year=2025, is_collective=True, people_count=7)


@pytest.mark.parametrize("role", ["presidium_staff", "unit_liaison", "county_reviewer"])
def test_it_lists_in_a_bounded_number_of_queries(world, login, staff, role, django_assert_max_num_queries):
    _grow(world, staff, 2)
    client = login(world.user(role))
    for url in ("petitions:list", "petitions:unit_list") if role == "unit_liaison" else ("petitions:list",):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(url)).status_code == 200
    _grow(world, staff, 4)
    for url in ("petitions:list", "petitions:unit_list") if role == "unit_liaison" else ("petitions:list",):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(url)).status_code == 200


def test_it_filters_by_overdue_clock_unit_and_text(world, login, staff):
    late = petition_at("registered", world.township, by=staff, received_on=_recent(20), subject="村道硬化问题")
    fresh = petition_at("registered", world.township, by=staff, received_on=_recent(2), subject="低保资格")
    water = HandlingUnitFactory(township=world.township, name="水利站")
    sent = petition_at("transferred", world.township, by=staff, unit=water, received_on=_recent(8), subject="灌溉渠")
    client = login(staff)

    def listed(**params):
        return set(client.get(reverse("petitions:list"), params).context["object_list"])

    assert listed(clock="overdue") == {late}
    assert listed(unit=water.pk) == {sent}
    assert listed(q="低保") == {fresh}
    assert listed(q=f"{fresh.year}-{fresh.number}") == {fresh}
    assert listed(received_from=f"{_recent(9):%Y-%m-%d}") == {fresh, sent}
    response = client.get(reverse("petitions:list"), {"unit": "9" * 30, "received_from": "not a date"})
    assert response.status_code == 200 and "筛选条件有误" in response.content.decode()


def test_it_shows_a_liaison_only_the_cases_of_their_unit(world, login, staff, liaison):
    mine = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(8))
    petition_at("transferred", world.township, by=staff, received_on=_recent(8))  # another unit
    petition_at("registered", world.township, by=staff, received_on=_recent(3))
    response = login(liaison).get(reverse("petitions:unit_list"))
    assert list(response.context["object_list"]) == [mine]
    due = mine.transfers.get().due_on
    assert "转办办结期限" in response.content.decode() and f"{due:%Y-%m-%d}" in response.content.decode()


# --- registering -----------------------------------------------------------------------------------------


def test_it_registers_a_visit_and_says_what_comes_next(world, login, staff):
    client = login(staff)
    assert client.get(reverse("petitions:register")).status_code == 200
    response = client.post(reverse("petitions:register"), _register_data(), follow=True)
    petition = Petition.objects.get()
    assert petition.mobile == "13812341234" and petition.status == "registered" and petition.created_by == staff
    assert petition.clocks.get().kind == "acceptance"
    body = response.content.decode()
    assert "已登记，登记号" in body and "告知信访人是否受理" in body


def test_it_registers_a_collective_visit_with_its_representatives(world, login, staff):
    data = _register_data(people_count="12", is_collective="on", **{
        "rep-0-name": "李一", "rep-0-mobile": "13900000001", "rep-1-name": "李二"})
    login(staff).post(reverse("petitions:register"), data)
    petition = Petition.objects.get()
    assert petition.is_collective and petition.people_count == 12
    assert [r.name for r in petition.representatives.all()] == ["李一", "李二"]


def test_it_keeps_everything_typed_and_saves_nothing_on_bad_input(world, login, staff):
    data = _register_data(channel="referred", id_number="330102198101100003", people_count="3", is_collective="on")
    response = login(staff).post(reverse("petitions:register"), data)
    body = response.content.decode()
    assert response.status_code == 200 and not Petition.objects.exists()
    assert "转办机关" in body and "身份证号码校验位不正确" in body and "集体访是五人以上的来访" in body
    assert 'value="东风村三组宅基地界址纠纷"' in body  # nothing lost


def test_it_registers_anonymously_and_referred_cases_with_their_body(world, login, staff):
    data = _register_data(channel="referred", referral_body="县信访局", referral_number="县信转〔2026〕8号",
                          anonymous="on", name="", mobile="")
    login(staff).post(reverse("petitions:register"), data)
    petition = Petition.objects.get()
    assert petition.anonymous and petition.name == "" and petition.referral_body == "县信访局"


def test_it_offers_earlier_petitions_of_the_same_person_and_links_one_as_repeat(world, login, staff):
    earlier = petition_at("closed", world.township, by=staff, received_on=_recent(40), mobile="13812341234",
                          name="张建国", subject="宅基地界址纠纷")
    client = login(staff)
    panel = client.get(reverse("petitions:repeats"), {"mobile": "138 1234 1234"}).content.decode()
    assert earlier.registration_number in panel and "同一信访人" in panel
    assert "张**" in panel and "张建国" not in panel
    client.post(reverse("petitions:register"), _register_data(repeat_of=str(earlier.pk)))
    assert Petition.objects.exclude(pk=earlier.pk).get().repeat_of == earlier


def test_it_stores_attachments_with_the_registration(world, login, staff):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    scan = SimpleUploadedFile("来信.png", buffer.getvalue(), content_type="image/png")
    login(staff).post(reverse("petitions:register"), _register_data(attachments=scan))
    assert Petition.objects.get().attachments.get().original_name == "来信.png"


def test_it_refuses_a_disguised_file_and_saves_nothing(world, login, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("来信.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = login(staff).post(reverse("petitions:register"), _register_data(attachments=fake))
    assert response.status_code == 200 and not Petition.objects.exists()


# --- the item page -----------------------------------------------------------------------------------------


def test_it_shows_staff_the_petitioner_unmasked_and_logs_it(world, login, staff):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(3), mobile="13812345678")
    body = login(staff).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert "13812345678" in body and "330102198101100002" in body
    entry = PetitionDataAccess.objects.get()
    assert entry.user == staff and entry.petition == petition and entry.purpose == "detail"


def test_it_masks_the_petitioner_for_the_county_and_logs_nothing(world, login, staff):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(3), mobile="13812345678")
    body = login(world.user(Role.COUNTY_REVIEWER)).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert "13812345678" not in body and "138****5678" in body and "330102198101100002" not in body
    assert not PetitionDataAccess.objects.exists()


def test_it_unmasks_for_the_unit_only_while_the_case_is_with_it(world, login, staff, liaison):
    from petitions import services

    petition = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(8),
                           mobile="13812345678")
    client = login(liaison)
    url = reverse("petitions:detail", args=[petition.pk])
    assert "13812345678" in client.get(url).content.decode()
    services.petition_unit_reply(petition=petition, by=liaison, reply="已调处。", reply_public="已调处。")
    services.petition_reply(petition=petition, by=staff, findings="true", request_reasonable=True,
                            resolution="solved", text="已调处。", public_text="已调处。")
    body = client.get(url).content.decode()
    assert "13812345678" not in body and "138****5678" in body


def test_it_shows_the_clocks_with_how_they_were_counted(world, login, staff):
    petition = petition_at("accepted", world.township, by=staff, received_on=_recent(10))
    body = login(staff).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert 'data-testid="clock-acceptance"' in body and 'data-testid="clock-completion"' in body
    assert "信访工作条例" in body and "自然日" in body and "按期" in body


def test_it_explains_steps_not_possible_yet(world, login, staff):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(3))
    client = login(staff)
    body = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert 'data-testid="disabled-transfer"' in body and "须先受理" in body
    response = client.get(reverse("petitions:transfer", args=[petition.pk]), follow=True)
    assert response.redirect_chain[-1][0] == petition.get_absolute_url()
    assert "须先受理" in response.content.decode()


def test_it_walks_a_case_through_the_screens(world, login, staff, liaison):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(3))
    client = login(staff)

    def post(step, data, who=client):
        response = who.post(reverse(f"petitions:{step}", args=[petition.pk]), data, follow=True)
        assert response.status_code == 200, step
        return response.content.decode()

    today = f"{timezone.localdate():%Y-%m-%d}"
    assert "已受理" in post("accept", {"on": today})
    due = f"{timezone.localdate() + dt.timedelta(days=20):%Y-%m-%d}"
    assert "已转 财政所 办理" in post("transfer", {"unit": world.unit.pk, "owner_name": "李站长", "due_on": due})
    assert "办理情况已回复人大办" in post("unit_reply", {"reply": "已现场调处。", "reply_public": "已调处。"},
                                          who=login(liaison))
    client = login(staff)
    assert "答复意见书已出具" in post("reply", {"findings": "partly", "request_reasonable": "true",
                                               "resolution": "solved", "text": "部分属实，已调处。",
                                               "public_text": "部分属实，已调处。", "on": today})
    assert "回访已记录" in post("return_visit", {"visited_on": today, "method": "phone", "result": "satisfied"})
    assert "已息访办结" in post("close", {"note": ""})
    petition.refresh_from_db()
    assert petition.status == "closed" and petition.findings == "partly" and petition.feedback == "satisfied"


def test_it_refuses_a_transfer_due_after_the_completion_limit(world, login, staff):
    petition = petition_at("accepted", world.township, by=staff, received_on=_recent(8))
    late = f"{timezone.localdate() + dt.timedelta(days=200):%Y-%m-%d}"
    response = login(staff).post(reverse("petitions:transfer", args=[petition.pk]),
                                 {"unit": world.unit.pk, "owner_name": "李站长", "due_on": late})
    assert response.status_code == 200 and "不能晚于本件的办理期限" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == "accepted"


def test_it_transfers_an_overdue_case_with_today_as_the_latest_due_date(world, login, staff):
    """Past its 60 days the case must still go to a unit: the form offers today, not an impossible range."""
    petition = petition_at("accepted", world.township, by=staff, received_on=_recent(120))
    limit = petition.clocks.get(kind="completion").due_on
    assert limit < timezone.localdate()
    client = login(staff)
    page = client.get(reverse("petitions:transfer", args=[petition.pk])).content.decode()
    assert "本件已超过法定办理期限" in page and f'max="{timezone.localdate():%Y-%m-%d}"' in page
    tomorrow = f"{timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}"
    refused = client.post(reverse("petitions:transfer", args=[petition.pk]),
                          {"unit": world.unit.pk, "owner_name": "李站长", "due_on": tomorrow})
    assert refused.status_code == 200 and "不能晚于本件的办理期限" in refused.content.decode()
    client.post(reverse("petitions:transfer", args=[petition.pk]),
                {"unit": world.unit.pk, "owner_name": "李站长", "due_on": f"{timezone.localdate():%Y-%m-%d}"})
    petition.refresh_from_db()
    assert petition.status == "transferred" and petition.transfers.get().due_on == timezone.localdate()


def test_it_names_each_owner_account_with_its_unit_and_refuses_another_units_liaison(world, login, staff, liaison):
    water = HandlingUnitFactory(township=world.township, name="水利站")
    other = user_with_role(Role.UNIT_LIAISON, water, username="water_liaison", real_name="王水利")
    petition = petition_at("accepted", world.township, by=staff, received_on=_recent(8))
    client = login(staff)
    page = client.get(reverse("petitions:transfer", args=[petition.pk])).content.decode()
    assert "王水利（水利站）" in page and f"（{world.unit.name}）" in page
    due = f"{timezone.localdate() + dt.timedelta(days=5):%Y-%m-%d}"
    response = client.post(reverse("petitions:transfer", args=[petition.pk]),
                           {"unit": world.unit.pk, "owner_name": "王水利", "owner_user": other.pk, "due_on": due})
    assert response.status_code == 200 and "须是该承办单位的联络员" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == "accepted"


@pytest.mark.parametrize(("role", "unmasked"), [
    ("presidium_staff", True), ("presidium_chair", True), ("unit_liaison", True),
    ("county_admin", False), ("county_reviewer", False), ("deputy", False),
])
def test_it_masks_the_petitioner_for_every_role_but_those_handling_it(world, login, staff, role, unmasked):
    """Full data only for the township's staff and the unit the case is with; each such view logged."""
    from tests.factories import DeputyFactory

    raiser = DeputyFactory(township=world.township, user=world.user(Role.DEPUTY))
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(8),
                           mobile="13812345678", channel="deputy", raised_by_deputy=raiser)
    body = login(world.user(role)).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert ("13812345678" in body) is unmasked and ("330102198101100002" in body) is unmasked
    assert PetitionDataAccess.objects.filter(user=world.user(role)).exists() is unmasked
    listed = login(world.user(role)).get(reverse("petitions:list")).content.decode()
    assert "13812345678" not in listed and "张建国" not in listed  # lists always masked


def test_it_hides_another_townships_cases_from_its_staff(world, login, staff):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(3))
    client = login(world.other_staff)
    for name in ("petitions:detail", "petitions:accept", "petitions:transfer"):
        assert client.get(reverse(name, args=[petition.pk])).status_code == 404
    assert petition not in client.get(reverse("petitions:list")).context["object_list"]


def test_it_corrects_a_registration_before_acceptance_and_logs_the_shown_data(world, login, staff):
    petition = petition_at("registered", world.township, by=staff, received_on=_recent(3), mobile="13812345678")
    client = login(staff)
    url = reverse("petitions:edit", args=[petition.pk])
    form = client.get(url).content.decode()
    assert 'value="13812345678"' in form and PetitionDataAccess.objects.filter(petition=petition).exists()
    data = {"received_on": f"{_recent(2):%Y-%m-%d}", "name": "张建华", "mobile": "13812345679", "id_number": "",
            "address": "", "village": "东风村", "subject": "更正后的事项", "content": "更正后的内容", "urgency": "urgent",
            "reception_day": ""}
    response = client.post(url, data, follow=True)
    assert "登记内容已修改" in response.content.decode()
    petition.refresh_from_db()
    assert (petition.name, petition.mobile, petition.subject, petition.urgency) == (
        "张建华", "13812345679", "更正后的事项", "urgent")
    accepted = petition_at("accepted", world.township, by=staff, received_on=_recent(8))
    response = client.get(reverse("petitions:edit", args=[accepted.pk]), follow=True)
    assert response.redirect_chain and "不能再修改登记内容" in response.content.decode()


def test_it_lets_staff_enter_a_reply_the_unit_sent_on_paper(world, login, staff, liaison):
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(8))
    url = reverse("petitions:detail", args=[petition.pk])
    assert "代为登记单位回复" in login(staff).get(url).content.decode()
    assert "回复办理情况" in login(liaison).get(url).content.decode()


@pytest.mark.parametrize("status", ["replied", "reviewed"])
def test_it_shows_a_case_in_its_review_window_outside_a_transaction(transactional_db, world, login, staff, status):
    """The item page asks whether a review may be requested without locking the clock: pages run outside a
    transaction, where PostgreSQL refuses SELECT … FOR UPDATE (it was a 500 there, hidden by SQLite)."""
    petition = petition_at(status, world.township, by=staff, unit=world.unit, received_on=_recent(90))
    response = login(staff).get(reverse("petitions:detail", args=[petition.pk]))
    assert response.status_code == 200


def test_it_shows_a_review_window_that_ran_out_as_over_not_as_open(world, login, staff):
    """Thirty days after the written answer the petitioner's window is over: the page says so, not "申请期内"."""
    import time_machine

    petition = petition_at("closed", world.township, by=staff, unit=world.unit, received_on=_recent(60))
    window = petition.clocks.get(kind="review_request")
    url = reverse("petitions:detail", args=[petition.pk])
    with time_machine.travel(dt.datetime.combine(window.due_on - dt.timedelta(days=1), dt.time(10)), tick=False):
        assert "信访人申请期内" in login(staff).get(url).content.decode()
    with time_machine.travel(dt.datetime.combine(window.due_on + dt.timedelta(days=3), dt.time(10)), tick=False):
        page = login(staff).get(url).content.decode()  # a new login: a month idle ends a session
    assert "申请期已过，未申请" in page and "信访人申请期内" not in page


def test_it_says_on_the_extension_form_that_a_limit_already_passed_allows_only_a_timely_paper_extension(
        world, login, staff):
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(120))
    due = petition.clocks.get(kind="completion", state="running").due_on
    page = login(staff).get(reverse("petitions:extend", args=[petition.pk])).content.decode()
    assert f"办理期限已于 {due:%Y-%m-%d} 届满" in page and f'max="{due:%Y-%m-%d}"' in page
    assert f'value="{due:%Y-%m-%d}"' in page  # the date offered is the last day still allowed


def test_it_lets_staff_look_up_and_renew_the_query_code_logged_and_the_old_one_stops_working(world, login, staff):
    """A case registered at the desk has a query code too: staff tell it (the look is logged) or make a new one."""
    from petitions.access import query_code_digest

    petition = petition_at("accepted", world.township, by=staff, received_on=_recent(5))
    old = petition.query_code
    client = login(staff)
    assert reverse("petitions:query_code", args=[petition.pk]) in client.get(
        reverse("petitions:detail", args=[petition.pk])).content.decode()
    before = PetitionDataAccess.objects.filter(petition=petition, fields__contains="query_code").count()
    page = client.get(reverse("petitions:query_code", args=[petition.pk])).content.decode()
    assert old and old in page
    assert PetitionDataAccess.objects.filter(petition=petition, fields__contains="query_code").count() == before + 1
    client.post(reverse("petitions:query_code", args=[petition.pk]))
    petition.refresh_from_db()
    assert petition.query_code != old and petition.query_code_digest == query_code_digest(petition.query_code)
    assert not Petition.objects.filter(query_code_digest=query_code_digest(old)).exists()
    assert petition.events.filter(event="query_code").exists()
    assert old not in petition.events.get(event="query_code").title


def test_it_leads_the_liaison_back_to_the_units_list_from_a_step_page(world, login, staff, liaison):
    petition = petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_recent(8))
    page = login(liaison).get(reverse("petitions:unit_reply", args=[petition.pk])).content.decode()
    assert reverse("petitions:unit_list") in page and "信访台账" not in page.split("breadcrumb")[1]


def test_a_ledger_search_counts_at_most_the_cap_newest_first_and_says_so(world, login, monkeypatch,
                                                                          django_assert_max_num_queries):
    """The ledger's text search (``?q=``) counts up to SearchPaginator.CAP matches, as the visits search does (a
    county's 60,000 subjects were all tested by LIKE to count a common word): past it the page says there are more
    and lists the newest; a narrower search and the list without a search keep their exact count; the queries stay
    flat; a unit's list (ordered by what is due) is never capped."""
    from presidium.views.lists import SearchPaginator

    monkeypatch.setattr(SearchPaginator, "CAP", 2)
    staff = world.user(Role.PRESIDIUM_STAFF)
    made = [petition_at("registered", world.township, by=staff, subject=f"征地补偿款第{n}次") for n in range(4)]
    petition_at("registered", world.township, by=staff, subject="道路积水")
    client = login(world.user(Role.COUNTY_ADMIN))
    url = reverse("petitions:list")
    with django_assert_max_num_queries(15) as few:
        response = client.get(url, {"q": "补偿"})
    paginator = response.context["paginator"]
    assert paginator.capped and paginator.count == 2
    page = response.content.decode()
    assert 'data-testid="capped-count"' in page and "符合条件的超过 2 条" in page
    newest = sorted(made, key=lambda p: (p.year, p.number), reverse=True)[:2]
    assert [p.pk for p in response.context["object_list"]] == [p.pk for p in newest]
    for n in range(3):
        petition_at("registered", world.township, by=staff, subject=f"拆迁补偿{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url, {"q": "补偿"}).context["paginator"].count == 2
    narrow = client.get(url, {"q": "积水"})
    assert not narrow.context["paginator"].capped and narrow.context["paginator"].count == 1
    assert 'data-testid="capped-count"' not in narrow.content.decode()
    assert client.get(url).context["paginator"].count == 8
    from petitions.views.lists import UnitPetitionListView

    assert UnitPetitionListView.capped_search == ""
