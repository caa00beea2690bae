"""The iCal feed (RFC 5545) of a user's meetings, built with the ``icalendar`` library.

One VEVENT per meeting with a stable UID (``meeting-<pk>@<host>``), SEQUENCE from the meeting's
``ical_sequence`` (raised by every change the calendars must take over), ``STATUS:CANCELLED`` for a
cancelled meeting (so subscribed calendars drop it instead of keeping a stale one), and a VTIMEZONE for
Asia/Shanghai, the zone every time is written in.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneStandard

from presidium.meetings.choices import MeetingStatus

ZONE = "Asia/Shanghai"
PRODID = "-//township-presidium-portal//meetings//ZH"


def _vtimezone() -> Timezone:
    """China has kept UTC+8 without daylight saving since 1991: one STANDARD component says it all."""
    zone = Timezone()
    zone.add("tzid", ZONE)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1991, 9, 15, 0, 0, 0))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def meeting_uid(meeting, host: str) -> str:
    return f"meeting-{meeting.pk}@{host}"


def build_feed(meetings, *, host: str, name: str, base_url: str) -> bytes:
    """The feed of ``meetings`` (an iterable of Meeting with ``township`` loaded)."""
    zone = zoneinfo.ZoneInfo(ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", ZONE)
    calendar.add_component(_vtimezone())
    stamp = timezone.now().astimezone(dt.UTC)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting, host))
        event.add("dtstamp", stamp)
        event.add("sequence", meeting.ical_sequence)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", meeting.ends_at.astimezone(zone))
        event.add("location", meeting.place)
        event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
        event.add("url", base_url + meeting.get_absolute_url())
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        description = [meeting.get_kind_display()]
        if meeting.organiser:
            description.append(meeting.organiser)
        if cancelled and meeting.cancel_reason:
            description.append(f"取消原因：{meeting.cancel_reason}")
        event.add("description", "\n".join(description))
        calendar.add_component(event)
    return calendar.to_ical()
