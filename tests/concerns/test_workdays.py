"""Working days on the official calendar: the 2026 National Day week with its make-up days."""

from datetime import date

import pytest

from concerns.models import CalendarDay
from concerns.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_the_seeded_table_holds_the_2026_arrangement():
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).is_working_day


def test_weekdays_work_and_weekends_rest_by_default():
    assert is_working_day(date(2026, 11, 6))  # a Friday
    assert not is_working_day(date(2026, 11, 7))  # a Saturday


def test_make_up_working_days_on_a_weekend():
    assert is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert not is_working_day(date(2026, 10, 5))  # Monday in the National Day week


@pytest.mark.parametrize(
    ("days", "due"),
    [(1, date(2026, 10, 8)), (2, date(2026, 10, 9)), (3, date(2026, 10, 10))],
)
def test_a_concern_received_before_national_day_is_due_after_it(days, due):
    assert add_working_days(date(2026, 9, 30), days) == due


def test_mid_autumn_and_the_sunday_worked_before_it():
    # Friday 18 Sep + 1 = Sunday 20 Sep (make-up), + 5 = Thursday 24 Sep, + 6 = Monday 28 Sep
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert add_working_days(date(2026, 9, 18), 6) == date(2026, 9, 28)


def test_an_ordinary_weekend_is_skipped():
    assert add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 9)


def test_working_days_between_across_the_holiday():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 9, 30), date(2026, 9, 30)) == 0
    assert working_days_between(date(2026, 9, 19), date(2026, 9, 20)) == 1


def test_a_day_the_administrator_adds_counts_at_once():
    CalendarDay.objects.create(date=date(2026, 11, 9), is_working_day=False, name="试验")
    assert add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 10)


def test_the_adder_reads_the_calendar_once_and_agrees_with_add_working_days(
    django_assert_num_queries,
):
    from datetime import timedelta

    from concerns.workdays import working_days_adder

    first, last = date(2026, 9, 1), date(2026, 10, 31)
    with django_assert_num_queries(1):
        add = working_days_adder(first, last)
        found = {
            (first + timedelta(days=i), n): add(first + timedelta(days=i), n)
            for i in range((last - first).days + 1)
            for n in (0, 1, 2, 3, 10)
        }
    for (start, n), day in found.items():
        assert day == add_working_days(start, n)
