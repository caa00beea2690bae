"""The duty overview exports what it shows: an Excel file with each deputy's visits and the 三不 check."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from presidium.choices import Role
from tests.factories import DeputyFactory, VisitFactory


def test_it_exports_the_duty_overview_to_excel(world, login):
    visited = DeputyFactory(township=world.township, name="王建国")
    VisitFactory(deputy=visited)
    DeputyFactory(township=world.other_township, name="乙镇代表")
    client = login(world.user(Role.PRESIDIUM_STAFF))

    page = client.get(reverse("deputies:duty_overview")).content.decode()
    assert "?export=xlsx" in page  # the button is there

    response = client.get(reverse("deputies:duty_overview"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header = next(row for row in rows if row and "三不代表" in row)
    names = [row[header.index("姓名")] for row in rows[rows.index(header) + 1:]]
    assert names == ["王建国"]
