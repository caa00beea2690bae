"""A member of the public, on a 390 px phone over a slow 3G link and without an account, files a petition
online with a photo, writes down the registration number and query code from the receipt (shown once),
then looks the case up with them: the step, the acceptance deadline, and no personal data on the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import assert_fits_width, assert_styled
from tests.e2e.test_phone_upload import SLOW_3G, camera_photo

pytestmark = pytest.mark.e2e
SLOW = 120_000  # ms: every page here crosses the throttled link


@pytest.mark.parametrize("viewport", ["phone"])
def test_it_lets_the_public_file_online_and_look_the_case_up_on_a_slow_phone(page, viewport):
    from petitions.models import Petition

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.set_default_timeout(SLOW)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    page.goto("/xinfang/", timeout=SLOW)
    assert_styled(page)
    assert_fits_width(page)
    page.get_by_test_id("public-new").click()
    page.wait_for_url(re.compile(r"/xinfang/new/$"), timeout=SLOW)
    page.get_by_label("向哪个乡镇（街道）反映").select_option(label="青石镇")
    page.get_by_label("姓名", exact=True).fill("赵秀兰")
    page.get_by_label("联系电话").fill("13812340000")
    page.get_by_label("所在村（社区）").fill("东风村")
    page.get_by_label("事项类别").select_option(label="村务管理")
    page.get_by_label("反映事项（一句话）").fill("东风村三组路灯坏了半年没人修")
    page.get_by_label("具体情况和诉求").fill("三组路口的路灯从今年五月起就不亮，晚上老人孩子出行不安全，希望尽快修好。")
    page.get_by_label("照片或材料（可不选）").set_input_files(files=[
        {"name": "IMG_20261201.jpg", "mimeType": "image/jpeg", "buffer": camera_photo(2)}])
    assert_fits_width(page)
    page.screenshot(path=str(ARTIFACTS / "petitions-public-form-phone.png"), full_page=True)
    page.get_by_test_id("public-submit").click()

    page.wait_for_url(re.compile(r"/xinfang/receipt/$"), timeout=SLOW)
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    expect(page.get_by_text("请记下查询码")).to_be_visible()
    number = page.get_by_test_id("receipt-number").inner_text().strip()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    petition = Petition.objects.get(subject="东风村三组路灯坏了半年没人修")
    assert (number, code) == (petition.registration_number, petition.query_code)
    assert petition.channel == "online" and petition.attachments.count() == 1
    assert "赵秀兰" not in page.url and code not in page.url
    assert_fits_width(page)
    page.screenshot(path=str(ARTIFACTS / "petitions-public-receipt-phone.png"), full_page=True)

    page.reload(timeout=SLOW)  # shown once: a reload does not show the code again
    expect(page.get_by_test_id("receipt-gone")).to_be_visible()
    assert code not in page.content()

    page.goto("/xinfang/lookup/", timeout=SLOW)
    page.get_by_label("登记号").fill(number)
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_test_id("lookup-submit").click()
    page.wait_for_url(re.compile(r"/xinfang/case/$"), timeout=SLOW)
    expect(page.get_by_test_id("case-status")).to_have_text("已登记，正在审查是否受理")
    acceptance = petition.clocks.get(kind="acceptance")
    expect(page.get_by_test_id("case-clocks")).to_contain_text(f"{acceptance.due_on:%Y-%m-%d}")
    expect(page.get_by_test_id("review-closed")).to_contain_text("还没有作出书面答复")
    html = page.content()
    for personal in ("赵秀兰", "13812340000"):
        assert personal not in html
    assert_fits_width(page)
    page.screenshot(path=str(ARTIFACTS / "petitions-public-case-phone.png"), full_page=True)
