"""Seed the national calendar from chinesecalendar's tables and confirm the years it covers.

The library is read here, once, when the database is built; the portal never calls it at request
time (1.11 raises NotImplementedError for any date in 2027). The years are fixed to the ones 1.11
covers so that a later library release cannot change what this migration writes: newer years are
entered by staff (or imported by a later migration) and confirmed in the portal.
"""

import datetime

from django.db import migrations
from django.utils import timezone

FIRST_YEAR = 2004
LAST_YEAR = 2026

# The library's English keys; its own Chinese labels are abbreviations (清明, 端午, 中秋).
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(key: str) -> str:
    from chinese_calendar.constants import Holiday

    if key in HOLIDAY_NAMES:
        return HOLIDAY_NAMES[key]
    return Holiday(key).chinese  # a special holiday added by a later library release


def _in_range(day: datetime.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    now = timezone.now()
    rows = [
        CalendarDay(date=day, is_working_day=False, name=_name(key), source="library", changed_at=now)
        for day, key in constants.holidays.items()
        if _in_range(day)
    ]
    rows += [
        CalendarDay(date=day, is_working_day=True, name=f"{_name(key)}调休上班", source="library", changed_at=now)
        for day, key in constants.workdays.items()
        if _in_range(day)
    ]
    existing = set(CalendarDay.objects.filter(county__isnull=True).values_list("date", flat=True))
    CalendarDay.objects.bulk_create([row for row in rows if row.date not in existing], batch_size=500)
    known_years = set(CalendarYear.objects.filter(county__isnull=True).values_list("year", flat=True))
    CalendarYear.objects.bulk_create([
        CalendarYear(year=year, confirmed=True, source="library", changed_at=now,
                     note="国务院办公厅公布的放假安排（chinesecalendar 1.11）")
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        if year not in known_years
    ])


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    first, last = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)
    CalendarDay.objects.filter(county__isnull=True, source="library", date__range=(first, last)).delete()
    CalendarYear.objects.filter(county__isnull=True, source="library", year__range=(FIRST_YEAR, LAST_YEAR)).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
