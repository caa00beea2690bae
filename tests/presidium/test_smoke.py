from django.urls import reverse


def test_it_serves_the_login_page_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_it_shows_staff_their_units_and_not_another_townships(world, login):
    client = login(world.user("presidium_staff"))
    body = client.get(reverse("presidium:unit_list")).content.decode()
    assert "财政所" in body
    assert "乙镇财政所" not in body
