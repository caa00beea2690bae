"""The meetings calendar (a month grid) and the per-user iCal feed with its secret, renewable address."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presidium.access import has_perm
from presidium.calendar.selectors import WEEKDAY_LABELS
from presidium.meetings import selectors, services
from presidium.meetings.access import MANAGE
from presidium.meetings.ical import build_feed
from presidium.meetings.models import CalendarFeed
from presidium.meetings.views.common import require_view

FEED_PAST = dt.timedelta(days=366)
FEED_AHEAD = dt.timedelta(days=400)


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return weeks[0][0], weeks[-1][-1]


@login_required
def month_view(request, year: int | None = None, month: int | None = None):
    """会议日历: the month's meetings and activities, each on its start day (a phone shows the list)."""
    require_view(request.user)
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    first, last = _month_bounds(year, month)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    meetings = list(selectors.meetings_visible_to(request.user).filter(starts_at__gte=start, starts_at__lt=end)
                    .order_by("starts_at", "pk"))
    by_day: dict[dt.date, list] = {}
    for meeting in meetings:
        meeting.local_start = timezone.localtime(meeting.starts_at)
        by_day.setdefault(meeting.local_start.date(), []).append(meeting)
    weeks = [[{"date": d, "meetings": by_day.get(d, []), "in_month": d.month == month, "today": d == today}
              for d in week] for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, 28) + dt.timedelta(days=7)
    return render(request, "meetings/meeting_calendar.html", {
        "page_title": _("会议日历"), "weeks": weeks, "year": year, "month": month,
        "month_meetings": [m for m in meetings if m.local_start.month == month],
        "previous": previous, "following": following.replace(day=1), "today": today,
        "can_manage": has_perm(request.user, MANAGE),
        "weekdays": WEEKDAY_LABELS,
    })


def _feed_url(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("meetings:ical", args=[feed.token]))


@login_required
def feed_page(request):
    """日历订阅: the user's secret address for a phone or desktop calendar, and a button to renew it."""
    feed = services.calendar_feed_get_or_create(user=request.user, by=request.user)
    return render(request, "meetings/calendarfeed_detail.html", {
        "page_title": _("日历订阅"), "feed": feed, "feed_url": _feed_url(request, feed)})


@login_required
@require_POST
def feed_renew(request):
    services.calendar_feed_renew(user=request.user, by=request.user)
    messages.success(request, _("已生成新的订阅地址，原地址已失效。请在手机或电脑的日历中重新订阅。"))
    return redirect("meetings:feed")


def feed_ics(request, token: str):
    """The feed itself: no login (calendar apps cannot log in); the secret token is the key, a wrong one is 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    now = timezone.now()
    meetings = (selectors.meetings_visible_to(feed.user)
                .filter(starts_at__gte=now - FEED_PAST, starts_at__lt=now + FEED_AHEAD).order_by("starts_at", "pk"))
    base_url = settings.PORTAL_BASE_URL.rstrip("/")
    host = urlsplit(base_url).hostname or "portal"
    body = build_feed(meetings, host=host, name=str(_("人大会议活动")), base_url=base_url)
    services.calendar_feed_fetched(feed=feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
