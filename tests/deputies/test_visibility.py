"""Who sees what: a deputy only their own, staff their township, reviewers their county; personal data masked."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deputies.models import PersonalDataAccess
from deputies.selectors import deputies_visible_to, visits_visible_to
from tests.deputies.conftest import make_id_number
from tests.factories import DeputyFactory, VisitFactory


@pytest.fixture
def people(world):
    """Two deputies in A (one of them the deputy user), one in B, one in another county, each with a visit."""
    own = DeputyFactory(township=world.township, user=world.user("deputy"), name="冯国强", mobile="13812345678",
                        id_number=make_id_number(), address="临川县甲镇东风村3组12号")
    colleague = DeputyFactory(township=world.township, name="王芳", mobile="13987654321")
    in_b = DeputyFactory(township=world.other_township, name="李强")
    foreign = DeputyFactory(township=world.foreign_township, name="赵敏")
    visits = {d.name: VisitFactory(deputy=d) for d in (own, colleague, in_b, foreign)}
    return {"own": own, "colleague": colleague, "in_b": in_b, "foreign": foreign, "visits": visits}


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_it_shows_each_role_the_deputies_of_its_scope(world, people):
    assert names(deputies_visible_to(world.user("deputy"))) == ["冯国强"]
    assert names(deputies_visible_to(world.user("presidium_staff"))) == ["冯国强", "王芳"]
    assert names(deputies_visible_to(world.other_staff)) == ["李强"]
    assert names(deputies_visible_to(world.user("county_reviewer"))) == ["冯国强", "李强", "王芳"]
    assert names(deputies_visible_to(world.user("unit_liaison"))) == []


def test_it_shows_a_deputy_only_their_own_visits(world, people):
    own_visits = visits_visible_to(world.user("deputy"))
    assert list(own_visits) == [people["visits"]["冯国强"]]
    assert visits_visible_to(world.user("presidium_staff")).count() == 2
    assert visits_visible_to(world.user("county_reviewer")).count() == 3


def test_it_answers_another_deputys_visit_with_404_to_a_deputy(world, people, login):
    client = login(world.user("deputy"))
    other = people["visits"]["王芳"]
    assert client.get(reverse("deputies:visit_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("deputies:visit_update", args=[other.pk])).status_code == 404
    assert client.post(reverse("deputies:visit_delete", args=[other.pk])).status_code == 404
    own = people["visits"]["冯国强"]
    assert client.get(reverse("deputies:visit_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("deputies:visit_update", args=[own.pk])).status_code == 200


def test_it_lets_a_deputy_edit_their_own_visit_through_the_form(world, people, login):
    client = login(world.user("deputy"))
    visit = people["visits"]["冯国强"]
    response = client.post(reverse("deputies:visit_update", args=[visit.pk]), {
        "deputy": people["own"].pk, "visited_on": visit.visited_on.isoformat(), "place": "红旗村一组",
        "method": "forum", "households": 0, "people": 12,
        "opinions-TOTAL_FORMS": 1, "opinions-INITIAL_FORMS": 0, "opinions-MIN_NUM_FORMS": 0,
        "opinions-MAX_NUM_FORMS": 30, "opinions-0-content": "希望增设路灯", "opinions-0-category": "infrastructure",
    })
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.place, visit.people, visit.opinions.get().content) == ("红旗村一组", 12, "希望增设路灯")


def test_it_answers_another_townships_deputy_with_404_for_staff(world, people, login):
    client = login(world.user("presidium_staff"))
    for name in ("in_b", "foreign"):
        deputy = people[name]
        assert client.get(reverse("deputies:deputy_detail", args=[deputy.pk])).status_code == 404
        assert client.get(reverse("deputies:deputy_update", args=[deputy.pk])).status_code == 404
        assert client.get(reverse("deputies:deputy_archive", args=[deputy.pk])).status_code == 404
        assert client.get(reverse("deputies:visit_detail", args=[people["visits"][deputy.name].pk])).status_code == 404


def test_it_lets_reviewers_read_their_county_but_not_change_it(world, people, login):
    client = login(world.user("county_reviewer"))
    in_b = people["in_b"]
    assert client.get(reverse("deputies:deputy_detail", args=[in_b.pk])).status_code == 200
    assert client.get(reverse("deputies:deputy_archive", args=[in_b.pk])).status_code == 200
    assert client.get(reverse("deputies:deputy_update", args=[in_b.pk])).status_code == 403
    assert client.get(reverse("deputies:visit_create")).status_code == 403
    assert client.get(reverse("deputies:deputy_detail", args=[people["foreign"].pk])).status_code == 404


def test_it_masks_personal_data_for_reviewers_on_screen_and_in_the_export(world, people, login):
    client = login(world.user("county_reviewer"))
    body = client.get(reverse("deputies:deputy_list")).content.decode()
    assert "138****5678" in body and "13812345678" not in body
    detail = client.get(reverse("deputies:deputy_detail", args=[people["own"].pk])).content.decode()
    assert people["own"].id_number not in detail and people["own"].masked_id_number in detail
    assert "东风村3组12号" not in detail
    assert "显示完整号码" not in detail
    assert client.post(reverse("deputies:deputy_reveal_id", args=[people["own"].pk])).status_code == 403
    export = client.get(reverse("deputies:deputy_list") + "?export=xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for c in row if c]
    assert "138****5678" in cells and "13812345678" not in cells
    assert people["own"].id_number not in cells
    assert not PersonalDataAccess.objects.exists()


def test_it_shows_staff_personal_data_and_logs_every_unmasked_view(world, people, login):
    staff = world.user("presidium_staff")
    client = login(staff)
    body = client.get(reverse("deputies:deputy_list")).content.decode()
    assert "13812345678" in body
    assert PersonalDataAccess.objects.filter(user=staff, purpose="list", row_count=2).exists()
    detail = client.get(reverse("deputies:deputy_detail", args=[people["own"].pk])).content.decode()
    assert people["own"].id_number not in detail  # masked until asked for
    revealed = client.post(reverse("deputies:deputy_reveal_id", args=[people["own"].pk]), HTTP_HX_REQUEST="true")
    assert people["own"].id_number in revealed.content.decode()
    assert PersonalDataAccess.objects.filter(user=staff, purpose="reveal", deputy=people["own"]).count() == 1
    export = client.get(reverse("deputies:deputy_list") + "?export=xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
             for c in row if c]
    assert people["own"].id_number in cells
    assert PersonalDataAccess.objects.filter(user=staff, purpose="export").exists()
    log = client.get(reverse("deputies:access_log")).content.decode()
    assert "查看完整身份证号码" in log


def test_it_filters_the_roster_by_name_pinyin_and_initials(world, login):
    for name in ("张三", "张山峰", "曾国藩", "赵六"):
        DeputyFactory(township=world.township, name=name)
    client = login(world.user("presidium_staff"))

    def found(q):
        response = client.get(reverse("deputies:deputy_list"), {"q": q})
        return [d.name for d in response.context["deputies"]]

    assert found("zs") == ["张三", "张山峰"]
    assert found("zhangsan") == ["张三"]
    assert found("zhang s") == ["张三", "张山峰"]
    assert found("zeng") == ["曾国藩"]
    assert found("zgf") == ["曾国藩"]
    assert found("赵") == ["赵六"]
    assert found("") == ["曾国藩", "张三", "张山峰", "赵六"]  # sorted by pinyin


def test_it_lists_only_serving_deputies_unless_asked(world, login):
    from django.utils import timezone

    from deputies import services

    gone = DeputyFactory(township=world.township, name="钱多")
    DeputyFactory(township=world.township, name="孙立")
    services.deputy_change_status(deputy=gone, by=None, to_status="deceased",
                                  effective_on=timezone.localdate(), reason="病故")
    client = login(world.user("presidium_staff"))
    assert [d.name for d in client.get(reverse("deputies:deputy_list")).context["deputies"]] == ["孙立"]
    everyone = client.get(reverse("deputies:deputy_list"), {"status": ""}).context["deputies"]
    assert [d.name for d in everyone] == ["钱多", "孙立"]  # qian duo, sun li


def test_it_sends_a_deputy_to_their_own_archive_and_explains_a_missing_link(world, people, login):
    client = login(world.user("deputy"))
    response = client.get(reverse("deputies:me"))
    assert response.status_code == 302 and response.url == reverse("deputies:deputy_archive", args=[people["own"].pk])
    people["own"].user = None
    people["own"].save(update_fields=["user"])
    response = client.get(reverse("deputies:me"))
    assert response.status_code == 404 and "关联登录账号" in response.content.decode()


def test_it_never_sends_the_id_number_back_in_the_edit_form_and_keeps_it_when_left_blank(world, people, login):
    from deputies.forms import DEPUTY_FORM_FIELDS

    staff = world.user("presidium_staff")
    client = login(staff)
    own = people["own"]
    url = reverse("deputies:deputy_update", args=[own.pk])
    page = client.get(url).content.decode()
    assert own.id_number not in page and own.masked_id_number in page
    assert PersonalDataAccess.objects.filter(user=staff, purpose="detail", deputy=own).exists()
    data = {name: getattr(own, name) or "" for name in DEPUTY_FORM_FIELDS}
    data.update(id_number="", work_unit="东风村村民委员会", group="", station="", constituency="",
                birth_date=own.birth_date.isoformat(), elected_on="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert own.work_unit == "东风村村民委员会" and own.id_number == people["own"].id_number
