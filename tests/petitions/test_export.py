"""The Excel ledger (信访登记台账): exactly the filtered list, petitioners masked, bounded queries, long ones as jobs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from presidium.choices import Role
from tests.factories import petition_at


@pytest.fixture
def staff(world):
    return world.user(Role.PRESIDIUM_STAFF)


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_it_exports_exactly_the_filtered_list_masked(world, login, staff):
    petition_at("registered", world.township, by=staff, received_on=_ago(3), channel="letter", subject="来信一")
    phone = petition_at("registered", world.township, by=staff, received_on=_ago(3), channel="phone",
                        subject="=HYPERLINK(\"x\")", name="王建国", mobile="13812345678")
    response = login(staff).get(reverse("petitions:list"), {"channel": "phone", "export": "xlsx"})
    rows = _rows(response)
    header, data = rows[1], rows[2:]
    assert header[0] == "登记号" and len(data) == 1
    row = dict(zip(header, data[0], strict=True))
    assert row["登记号"] == phone.registration_number and row["信访事项"] == "=HYPERLINK(\"x\")"
    assert row["信访人"] == "王**" and row["联系电话"] == "138****5678"
    flat = " ".join(str(v) for r in rows for v in r if v is not None)
    assert "王建国" not in flat and "13812345678" not in flat and "330102198101100002" not in flat
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(3, header.index("信访事项") + 1).data_type == "s"  # no formula injection


def test_it_refuses_the_ledger_to_deputies_and_liaisons(world, login):
    for role in (Role.DEPUTY, Role.UNIT_LIAISON):
        assert login(world.user(role)).get(reverse("petitions:list"), {"export": "xlsx"}).status_code == 403


def test_it_exports_in_a_bounded_number_of_queries(world, login, staff, django_assert_max_num_queries):
    client = login(staff)
    for n in (2, 5):
        for _ in range(n):
            petition_at("transferred", world.township, by=staff, unit=world.unit, received_on=_ago(12))
        with django_assert_max_num_queries(7):
            assert client.get(reverse("petitions:list"), {"export": "xlsx"}).status_code == 200


def test_it_turns_a_long_export_into_a_job(world, login, staff, settings):
    settings.EXPORT_JOB_THRESHOLD = 2
    for _ in range(3):
        petition_at("registered", world.township, by=staff, received_on=_ago(2))
    response = login(staff).get(reverse("petitions:list"), {"export": "xlsx"})
    assert response.status_code == 302 and "/documents/" in response["Location"]
