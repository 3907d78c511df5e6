"""Working days on China's official calendar: Monday to Friday, except the days the
district's table (`CalendarDay`) marks otherwise (public holidays, make-up working days)."""

from datetime import timedelta

from concerns.models import CalendarDay

# A run of holidays is never longer than this many days; reading a window this wide past
# the last day needed finds every exception that can matter.
LONGEST_BREAK = 14


def _exceptions(first, last):
    rows = CalendarDay.objects.filter(date__range=(first, last))
    return dict(rows.values_list("date", "is_working_day"))


def _is_working(day, exceptions):
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def is_working_day(day):
    return _is_working(day, _exceptions(day, day))


def add_working_days(start, n):
    """The n-th working day after `start` (start itself not counted, whatever it is):
    a concern received on `start` with n days to answer must be answered by this day."""
    window = start + timedelta(days=n * 2 + LONGEST_BREAK)
    exceptions = _exceptions(start, window)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day > window:  # an unusually long break: read further
            window = day + timedelta(days=LONGEST_BREAK)
            exceptions |= _exceptions(day, window)
        if _is_working(day, exceptions):
            counted += 1
    return day


def working_days_between(first, last):
    """Working days after `first` up to and including `last` (0 when last <= first): how
    many working days an answer given on `last` took for a concern received on `first`."""
    if last <= first:
        return 0
    exceptions = _exceptions(first, last)
    days = (first + timedelta(days=i) for i in range(1, (last - first).days + 1))
    return sum(1 for day in days if _is_working(day, exceptions))


def working_days_counter(first, last):
    """A function `(received, answered) -> working_days_between(received, answered)` for
    dates within [first, last], reading the calendar once (one query however many pairs it
    is asked about): the figures count the days of a year's answers with it."""
    exceptions = _exceptions(first, last)
    # running[i]: working days after `first` up to and including first + i days
    running, counted = [], 0
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        if i and _is_working(day, exceptions):
            counted += 1
        running.append(counted)

    def between(received, answered):
        if answered <= received:
            return 0
        return running[(answered - first).days] - running[(received - first).days]

    return between


def working_days_adder(first, last):
    """A function `(start, n) -> add_working_days(start, n)` for starts within [first, last],
    reading the calendar once: the generator (concerns/generate.py) sets the deadlines of
    a city's concerns with it. A result past the window read falls back to
    `add_working_days`."""
    window = last + timedelta(days=LONGEST_BREAK * 4)
    exceptions = _exceptions(first, window)
    found = {}

    def add(start, n):
        if (start, n) not in found:
            day, counted = start, 0
            while counted < n and day < window:
                day += timedelta(days=1)
                counted += _is_working(day, exceptions)
            found[start, n] = day if counted == n else add_working_days(start, n)
        return found[start, n]

    return add
