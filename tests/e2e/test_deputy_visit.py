"""A deputy logs a visit on a phone: two opinions, a photo with GPS in it, then sees it saved without the GPS."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_width, assert_styled, login_as

pytestmark = pytest.mark.e2e


def camera_photo() -> bytes:
    image = Image.new("RGB", (1600, 1200), (90, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (28.0, 15.0, 30.0), 3: "E", 4: (116.0, 20.0, 10.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", ["phone"])
def test_it_lets_a_deputy_log_a_visit_on_a_phone(page, viewport):
    from deputies.models import Deputy, Visit

    login_as(page, "deputy")
    me = Deputy.objects.get(user__username="deputy")
    before = Visit.objects.filter(deputy=me).count()

    page.goto("/deputies/visits/new/")
    expect(page.locator("main h1")).to_have_text("记录走访选民")
    expect(page.get_by_test_id("visit-form")).to_contain_text("冯国强")
    assert_styled(page)
    assert_fits_width(page)

    page.get_by_label("村（社区）/地点").fill("东风村三组")
    page.locator("label[for=method-forum]").click()
    page.get_by_label("走访户数").fill("0")
    page.get_by_label("联系选民人数").fill("15")
    opinions = page.get_by_test_id("opinion-list").locator("textarea")
    opinions.nth(0).fill("三组到村部的道路雨天积水，希望硬化。")
    page.get_by_role("button", name="再添加一条意见").click()
    expect(opinions).to_have_count(2)
    opinions.nth(1).fill("村卫生室常用药不足。")
    page.get_by_label("照片").set_input_files(
        files=[{"name": "IMG_20260501.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}])
    assert_fits_width(page)
    with page.expect_navigation():
        page.get_by_test_id("visit-submit").click()

    expect(page.locator(".alert-success")).to_contain_text("走访记录已保存")
    expect(page.get_by_test_id("opinions").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("opinions")).to_contain_text("村卫生室常用药不足")
    expect(page.locator("img.visit-photo")).to_have_count(1)
    assert_fits_width(page)

    visit = Visit.objects.filter(deputy=me).latest("pk")
    assert Visit.objects.filter(deputy=me).count() == before + 1
    assert (visit.place, visit.method, visit.people) == ("东风村三组", "forum", 15)
    with visit.photos.get().image.open("rb") as handle:
        stored = handle.read()
    assert not Image.open(io.BytesIO(stored)).getexif() and b"PhoneMaker" not in stored


@pytest.mark.parametrize("viewport", ["phone"])
def test_it_keeps_the_input_and_says_what_is_wrong_on_a_phone(page, viewport):
    login_as(page, "deputy")
    page.goto("/deputies/visits/new/")
    page.get_by_label("村（社区）/地点").fill("红旗村")
    page.get_by_label("走访户数").fill("5")
    page.get_by_label("村（社区）/地点").click()  # leaving the field: people are raised to at least the households
    expect(page.get_by_label("联系选民人数")).to_have_value("5")
    page.get_by_label("走访日期").fill("2099-01-01")
    page.get_by_test_id("opinion-list").locator("textarea").first.fill("路灯坏了")
    page.get_by_test_id("visit-submit").click()
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_contain_text("走访日期不能晚于今天")
    expect(page.get_by_label("村（社区）/地点")).to_have_value("红旗村")
    expect(page.get_by_test_id("opinion-list").locator("textarea").first).to_have_value("路灯坏了")
    assert_fits_width(page)
