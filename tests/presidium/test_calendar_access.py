"""The working-day calendar's rows in the access matrix (tests/test_access_matrix.py runs them).

Screens take their county as ``?county=``, not as a URL argument, so the matrix tries each role in
its own scope; another county's 404 is tested in test_calendar_views.py.
"""

from django.urls import get_resolver

from tests.access_matrix import COUNTY, STAFF, Case, allow

VIEWERS = (*STAFF, *COUNTY)
EDITORS = ("county_admin",)

CASES = [
    Case("workcalendar:month", allow(VIEWERS)),
    Case("workcalendar:month_detail", allow(VIEWERS), own=lambda w: [2026, 10]),
    Case("workcalendar:year", allow(VIEWERS), own=lambda w: [2026]),
    Case("workcalendar:history", allow((*STAFF, "county_admin")), own=lambda w: [2026]),
    Case("workcalendar:deadline", allow(VIEWERS)),
    Case("workcalendar:day_edit", allow(EDITORS)),
    Case("workcalendar:day_clear", allow(EDITORS, status=302), method="post",
         data=lambda w: {"date": "2026-10-01"}, note="nothing to clear: a Chinese message and a redirect"),
    Case("workcalendar:year_confirm", allow(EDITORS, status=302), method="post", own=lambda w: [2027],
         note="no 2027 holidays yet: refused with a message, redirected"),
    Case("workcalendar:year_reopen", allow(EDITORS), own=lambda w: [2026]),
]


def test_it_lists_every_calendar_url_in_the_matrix():
    names = {f"workcalendar:{name}" for name in get_resolver().namespace_dict["workcalendar"][1].reverse_dict
             if isinstance(name, str)}
    assert names == {case.url_name for case in CASES}
