from django.test import override_settings
from django.urls import reverse

from presidium.choices import Role
from presidium.views.errors import server_error


def test_it_answers_an_unknown_page_with_a_chinese_404(world, login):
    response = login(world.user(Role.PRESIDIUM_STAFF)).get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_answers_a_forbidden_action_with_a_chinese_403(world, login):
    response = login(world.user(Role.DEPUTY)).get(reverse("presidium:unit_create"))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_it_renders_the_500_page_without_a_database_or_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def test_it_keeps_chinese_whatever_the_browser_asks_until_english_is_chosen(world, login):
    client = login(world.user(Role.PRESIDIUM_STAFF))
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body


def test_it_shows_each_role_only_its_navigation(world, login):
    staff_nav = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("home")).content.decode()
    assert reverse("presidium:account_list") in staff_nav
    deputy_nav = login(world.user(Role.DEPUTY)).get(reverse("home")).content.decode()
    assert reverse("presidium:account_list") not in deputy_nav
    assert reverse("presidium:township_list") not in deputy_nav


def test_it_keeps_the_django_admin_for_superusers_only(world, login, django_user_model):
    assert login(world.user(Role.COUNTY_ADMIN)).get("/admin/").status_code == 302
    admin = django_user_model.objects.create_superuser("root", "r@example.invalid", "x-Pass-2026")
    response = login(admin).get("/admin/")
    assert response.status_code == 200
    assert "系统管理" in response.content.decode()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_it_locks_a_login_after_repeated_failures_with_a_chinese_page(world, client):
    url = reverse("login")
    for _ in range(3):
        response = client.post(url, {"username": "staff_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "staff_a", "password": "Test-pass-2026"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_it_puts_a_deputys_most_frequent_tasks_first_on_their_home(world, login):
    deputy_home = login(world.user(Role.DEPUTY)).get(reverse("home")).content.decode()
    assert 'data-testid="quick-actions"' in deputy_home
    assert reverse("deputies:visit_create") in deputy_home
    assert reverse("proposals:create") in deputy_home
    staff_home = login(world.user(Role.PRESIDIUM_STAFF)).get(reverse("home")).content.decode()
    assert reverse("deputies:visit_create") not in staff_home.split('data-testid="quick-actions"')[-1].split(
        "</div>")[0]  # the staff's own quick actions (安排会议), never a deputy's


def test_it_highlights_only_the_most_specific_menu_entry(world, rf):
    """On /petitions/reception/… the reception entry lights up, not the ledger at /petitions/ with it."""
    from django.urls import reverse

    from presidium.shell import navigation_for

    for path, expected in ((reverse("reception:day_list"), reverse("reception:day_list")),
                           (reverse("petitions:register"), reverse("petitions:register")),
                           (reverse("petitions:list") + "12/", reverse("petitions:list"))):
        request = rf.get(path)
        request.user = world.user(Role.PRESIDIUM_STAFF)
        active = [item.url for item in navigation_for(request) if item.active]
        assert active == [expected], (path, active)


def test_it_builds_the_frame_once_per_request_however_many_fragments_a_page_renders(world, login, monkeypatch):
    """The chair's home renders its blocks and desk with the request (each run of the context processors):
    the navigation is built once, and stays the user's own."""
    from presidium import context_processors

    built = []
    real = context_processors.navigation_for
    monkeypatch.setattr(context_processors, "navigation_for", lambda request: built.append(1) or real(request))
    client = login(world.user(Role.PRESIDIUM_CHAIR))
    body = client.get(reverse("home")).content.decode()
    assert built == [1]
    assert reverse("proposals:list") in body
    assert client.get(reverse("proposals:list")).status_code == 200
    assert built == [1, 1]  # a new request builds its own


def test_it_gives_a_request_whose_user_or_language_changes_a_fresh_frame(world, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from presidium.context_processors import portal

    request = rf.get("/")
    request.user = world.user(Role.PRESIDIUM_STAFF)
    assert portal(request)["nav_items"]
    request.user = AnonymousUser()  # logged out during the request
    assert "nav_items" not in portal(request)
    with translation.override("en"):
        assert portal(request)["portal_name"] != "乡镇人大主席团工作平台"
