"""A deputy on a cheap phone and a slow link logs a visit with two photos: shrunk in the browser, a progress
bar while sending, the button disabled, a double tap saving exactly one visit; then the list shows the
visit with its thumbnail and the filter panel folded, with the active filter as a chip (390 and 1280 px)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, login_as

pytestmark = pytest.mark.e2e

# Chrome DevTools' "Slow 3G" profile: 400 kbit/s each way (500 kbit/s × 0.8), 2 s round trips.
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def camera_photo(seed: int) -> bytes:
    """A 3000×2000 phone-camera-like JPEG of about 2 MB (gradient and sensor noise)."""
    base = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    noise = Image.effect_noise((3000, 2000), 16 + seed).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(base, noise, 0.5).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", ["phone"])
def test_it_uploads_a_visit_with_two_photos_once_on_a_slow_link(page, viewport, open_page):
    from deputies.models import Deputy, Visit

    login_as(page, "deputy")
    me = Deputy.objects.get(user__username="deputy")
    before = Visit.objects.filter(deputy=me).count()
    photos = [camera_photo(0), camera_photo(1)]
    assert min(len(p) for p in photos) > 1_500_000

    page.goto("/deputies/visits/new/")
    page.get_by_label("村（社区）/地点").fill("柳树村二组")
    page.locator("label[for=method-forum]").click()
    page.get_by_label("走访户数").fill("0")
    page.get_by_label("联系选民人数").fill("12")
    page.get_by_test_id("opinion-list").locator("textarea").first.fill("二组灌溉渠年久失修，春灌前需要清淤。")
    page.get_by_label("照片").set_input_files(files=[
        {"name": f"IMG_2026050{n}.jpg", "mimeType": "image/jpeg", "buffer": data} for n, data in enumerate(photos, 1)])

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    uploads = []
    page.on("request", lambda r: uploads.append(r) if r.method == "POST" and "/visits/new/" in r.url else None)

    button = page.get_by_test_id("visit-submit")
    button.dblclick()  # the impatient double tap
    progress = page.locator("[data-upload-progress]")
    expect(progress).to_be_visible()
    expect(button).to_be_disabled()
    expect(progress.locator("[data-upload-status]")).to_contain_text("正在上传", timeout=20_000)
    expect(progress.locator("[role=progressbar]")).not_to_have_attribute("aria-valuenow", "0", timeout=20_000)
    assert_fits_width(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-upload-in-progress.png"), full_page=False)
    button.click(force=True)  # a third tap on the disabled button while sending: nothing

    page.wait_for_url(re.compile(r"/deputies/visits/\d+/$"), timeout=90_000)
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    expect(page.locator(".alert-success")).to_contain_text("走访记录已保存")
    expect(page.locator("img.visit-photo")).to_have_count(2)

    assert len(uploads) == 1
    length = int(uploads[0].all_headers().get("content-length") or 0)
    assert 0 < length < sum(len(p) for p in photos) / 4, length  # shrunk in the browser before sending
    assert Visit.objects.filter(deputy=me).count() == before + 1
    visit = Visit.objects.filter(deputy=me).latest("pk")
    assert visit.place == "柳树村二组" and visit.photos.count() == 2
    assert all(max(p.width, p.height) == 1600 for p in visit.photos.all())  # the browser's 1600, not the server's 2560
    thumbs = page.locator("img.visit-photo")
    assert all(re.search(r"/thumbnail/$", thumbs.nth(i).get_attribute("src")) for i in range(2))
    expect(thumbs.first).to_have_js_property("complete", True)
    assert thumbs.first.evaluate("img => img.naturalWidth") == 400

    # the list on the phone: filter panel folded, the active filter as a chip, the visit with its thumbnail
    page.goto("/deputies/visits/?method=forum")
    expect(page.get_by_test_id("filter-more")).to_be_hidden()
    expect(page.get_by_test_id("filter-chips")).to_contain_text("走访方式：座谈")
    expect(page.locator("img.visit-thumb").first).to_be_visible()
    page.get_by_test_id("filter-toggle").click()
    expect(page.get_by_test_id("filter-more")).to_be_visible()
    assert_fits_width(page)
    page.get_by_test_id("filter-toggle").click()
    expect(page.get_by_test_id("filter-more")).to_be_hidden()
    page.get_by_test_id("filter-chips").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/deputies/visits/\?$"))
    expect(page.get_by_test_id("filter-chips")).to_have_count(0)

    # the same list at 1280 px: every filter open, the chip still there
    desktop = open_page("desktop")
    login_as(desktop, "deputy")
    desktop.goto("/deputies/visits/?method=forum")
    expect(desktop.get_by_test_id("filter-more")).to_be_visible()
    expect(desktop.get_by_test_id("filter-toggle")).to_be_hidden()
    expect(desktop.get_by_test_id("filter-chips")).to_contain_text("走访方式：座谈")
    page.goto("/deputies/visits/?method=forum")
