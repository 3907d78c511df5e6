"""The official 2026 arrangement of public holidays and make-up working days.

Source: 国务院办公厅关于2026年部分节假日安排的通知 (State Council General Office notice
on the 2026 holidays), as transcribed in the `chinese-calendar` package 1.11.0
(chinese_calendar/constants.py: holidays and workdays), read once to write this table and
not used at run time. Weekdays off and weekend days on are what change the count; holidays
that fall on a weekend are listed too, so the table reads as the notice does.
"""

from datetime import date

from django.db import migrations
from django.utils import timezone

SOURCE = "国务院办公厅关于2026年部分节假日安排的通知"

HOLIDAYS = [
    ("2026-01-01", "元旦"),
    ("2026-01-02", "元旦"),
    ("2026-01-03", "元旦"),
    *((f"2026-02-{day}", "春节") for day in range(15, 24)),
    ("2026-04-04", "清明节"),
    ("2026-04-05", "清明节"),
    ("2026-04-06", "清明节"),
    ("2026-05-01", "劳动节"),
    ("2026-05-02", "劳动节"),
    ("2026-05-03", "劳动节"),
    ("2026-05-04", "劳动节"),
    ("2026-05-05", "劳动节"),
    ("2026-06-19", "端午节"),
    ("2026-06-20", "端午节"),
    ("2026-06-21", "端午节"),
    ("2026-09-25", "中秋节"),
    ("2026-09-26", "中秋节"),
    ("2026-09-27", "中秋节"),
    *((f"2026-10-0{day}", "国庆节") for day in range(1, 8)),
]
MAKE_UP_WORKING_DAYS = [
    ("2026-01-04", "元旦调休上班"),
    ("2026-02-14", "春节调休上班"),
    ("2026-02-28", "春节调休上班"),
    ("2026-05-09", "劳动节调休上班"),
    ("2026-09-20", "国庆节调休上班"),
    ("2026-10-10", "国庆节调休上班"),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("concerns", "CalendarDay")
    HistoricalCalendarDay = apps.get_model("concerns", "HistoricalCalendarDay")
    for days, working in ((HOLIDAYS, False), (MAKE_UP_WORKING_DAYS, True)):
        for day, name in days:
            entry, _created = CalendarDay.objects.update_or_create(
                date=date.fromisoformat(day), defaults={"is_working_day": working, "name": name}
            )
            # Historical models in migrations send no signals: the first version by hand,
            # so that the admin's 修改历史 starts with the notice.
            HistoricalCalendarDay.objects.create(
                id=entry.pk,
                date=entry.date,
                is_working_day=entry.is_working_day,
                name=entry.name,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason=SOURCE,
            )


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("concerns", "CalendarDay")
    dates = [date.fromisoformat(day) for day, _ in HOLIDAYS + MAKE_UP_WORKING_DAYS]
    CalendarDay.objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("concerns", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
