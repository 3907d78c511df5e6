"""The figures of residents' concerns (民情诉求) for a year, per street or community of the
user's scope, with a 合计; and a courtyard's counts for its public page.

Every figure is read as at the report date (31 December of the year, or today while the
year runs), over the concerns received in the year; "overdue now" is the one exception:
it exists for the running year only and counts every concern late today, whatever year
it was received. The definitions are written beside each figure (`FIGURES`), printed by
the dashboard, the annual report and its workbook, and in docs/concerns.md.

Four queries whatever the number of concerns or units: the units, one grouped count of
the concerns per unit, one grouped list of the distinct (unit, day received, day answered)
pairs, and the calendar of the year (`concerns.workdays.working_days_counter`): the
working days of an answer cannot be counted by the database, but the pairs are at most
units × days × days and each is counted once, in memory, from one read of the calendar.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from concerns.models import Concern
from concerns.workdays import working_days_counter
from courtyards.models import Community, Street
from portal.access import scope_of
from portal.figures import Figure
from portal.kept import add_up
from portal.roles import Level

CONCERNS = pgettext_lazy("unit", "concerns")
WORKING_DAYS = pgettext_lazy("unit", "working days")
SATISFIED = [Concern.Satisfaction.SATISFIED, Concern.Satisfaction.BASIC]
# A courtyard's public page shows its satisfaction rate only from this many return visits
# on: with fewer, a neighbour could tell how one resident answered.
PUBLIC_MIN_VISITS = 5

FIGURES = [
    Figure(
        "received",
        pgettext_lazy("concern figure", "Received"),
        CONCERNS,
        gettext_lazy("Concerns received in the year (by the day received)."),
    ),
    Figure(
        "answered",
        pgettext_lazy("concern figure", "Answered"),
        CONCERNS,
        gettext_lazy("Of those, answered by the report date."),
    ),
    Figure(
        "on_time_rate",
        pgettext_lazy("concern figure", "Answered on time"),
        "%",
        gettext_lazy(
            "Answered on or before the answer deadline, divided by those answered plus those "
            "not answered whose deadline passed before the report date (a concern still "
            "within its deadline counts neither way)."
        ),
        kind="rate",
    ),
    Figure(
        "resolved",
        pgettext_lazy("concern figure", "Resolved"),
        CONCERNS,
        gettext_lazy("Of the concerns received, resolved by the report date."),
    ),
    Figure(
        "resolved_rate",
        pgettext_lazy("concern figure", "Resolution rate"),
        "%",
        gettext_lazy("Resolved divided by received."),
        kind="rate",
    ),
    Figure(
        "visited",
        pgettext_lazy("concern figure", "Return visits"),
        CONCERNS,
        gettext_lazy("Of the concerns received, those whose return visit is recorded."),
    ),
    Figure(
        "satisfied_rate",
        pgettext_lazy("concern figure", "Satisfaction"),
        "%",
        gettext_lazy(
            "Return visits with the answer satisfied or basically satisfied, divided by all "
            "return visits (dissatisfied included)."
        ),
        kind="rate",
    ),
    Figure(
        "average_days",
        pgettext_lazy("concern figure", "Average time to answer"),
        WORKING_DAYS,
        gettext_lazy(
            "Working days from the day received to the day answered (an answer the same day "
            "counts 0, holidays and make-up working days as the district's calendar says), "
            "averaged over the concerns answered; one decimal."
        ),
        kind="days",
    ),
    Figure(
        "overdue_now",
        pgettext_lazy("concern figure", "Overdue now"),
        CONCERNS,
        gettext_lazy(
            "Not answered and past the answer deadline today, whatever year received; "
            "for the running year only."
        ),
    ),
]
BY_KEY = {figure.key: figure for figure in FIGURES}
COUNTED = [
    "received",
    "answered",
    "on_time",
    "late",
    "resolved",
    "visited",
    "satisfied",
    "days_total",
]
LINKS = {"street": "community__street", "community": "community"}


def report_date(year, today=None):
    """31 December of the year, or today while the year is running."""
    return min(datetime.date(year, 12, 31), today or timezone.localdate())


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _received_in(year, on):
    """Received from 1 January of the year to the end of the report date."""
    return Q(
        received_at__gte=_start_of(datetime.date(year, 1, 1)),
        received_at__lt=_start_of(on + datetime.timedelta(days=1)),
    )


def _counts(on, end):
    """{key: the condition a concern received in the year meets to be counted}, for COUNTED
    but days_total, as at `on` (`end` the first moment after it)."""
    answered = Q(answered_on__lte=on)
    not_answered = Q(answered_on__isnull=True) | Q(answered_on__gt=on)
    visited = Q(visited_at__lt=end)
    due = F("answer_due")
    return {
        "received": Q(),
        "answered": answered,
        "on_time": answered & Q(answered_on__lte=due),
        "late": (answered & Q(answered_on__gt=due)) | (not_answered & Q(answer_due__lt=on)),
        "resolved": Q(resolved_at__lt=end),
        "visited": visited,
        "satisfied": visited & Q(satisfaction__in=SATISFIED),
    }


def rate(part, whole):
    return Decimal(part) / Decimal(whole) if whole else None


def _with_rates(values, running):
    values["on_time_rate"] = rate(values["on_time"], values["on_time"] + values["late"])
    values["resolved_rate"] = rate(values["resolved"], values["received"])
    values["satisfied_rate"] = rate(values["satisfied"], values["visited"])
    days = rate(values["days_total"], values["answered"])
    values["average_days"] = (
        days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if days is not None else None
    )
    if not running:
        values["overdue_now"] = None
    return values


def display(value, figure):
    """A figure as the pages show it: counts with separators, rates in % with one decimal,
    days with one decimal, "—" where there is nothing to divide by (or no such figure)."""
    if value is None:
        return "—"
    if figure.kind == "rate":
        return f"{value * 100:.1f}%"
    if figure.kind == "days":
        return f"{value:.1f}"
    return intcomma(value)


@dataclass
class ConcernTable:
    """The year's figures per unit: `rows` (dicts of the figures with the unit under "unit"),
    `totals` (the 合计: counts added up, rates computed from the added-up parts)."""

    year: int
    on: datetime.date
    row_kind: str  # "street" or "community"
    running: bool  # the year is the running one: "overdue now" means something
    rows: list
    totals: dict

    @property
    def figures(self):
        return FIGURES

    def cells(self, values):
        return [(figure, display(values[figure.key], figure)) for figure in FIGURES]

    @property
    def shown_rows(self):
        """Each row's unit and its figures as shown, by figure key."""
        return [
            {"unit": row["unit"], "cells": [(f.key, shown) for f, shown in self.cells(row)]}
            for row in self.rows
        ]

    @property
    def shown_totals(self):
        return self.cells(self.totals)


def row_kind_for(user):
    """Streets for district users, communities for street staff and community members."""
    return "street" if scope_of(user).level in (Level.ALL, Level.DISTRICT) else "community"


def _units(user, row_kind, order):
    model = Street if row_kind == "street" else Community
    units = model.objects.visible_to(user)
    if row_kind == "community":
        units = units.select_related("street")
    return list(units.order_by(*(order or [*model._meta.ordering, "pk"])))


KEPT = [*COUNTED, "overdue_now"]


def concern_table(user, year, row_kind=None, order=None, today=None):
    """The figures of the concerns the user may see, for `year`, one row per street or
    community of the scope (`row_kind`, by default as `row_kind_for`), in `order` (by default
    the units' own: division code, then name), and the 合计 row. As at today, they are added
    up from the kept community rows (portal/kept.py); as at another day, counted afresh."""
    row_kind = row_kind or row_kind_for(user)
    units = _units(user, row_kind, order)
    if today is None or today == timezone.localdate():
        today = timezone.localdate()
        add_up("concerns", units, Community.objects.visible_to(user), KEPT, year)
        figures = {unit.pk: {key: getattr(unit, key) for key in KEPT} for unit in units}
    else:
        concerns = Concern.objects.visible_to(user)
        figures = _counted(concerns, LINKS[row_kind], year, today)
    on = report_date(year, today)
    running = on == today
    rows, totals = [], dict.fromkeys(KEPT, 0)
    for unit in units:
        values = figures.get(unit.pk) or dict.fromkeys(KEPT, 0)
        for key in totals:
            totals[key] += values[key]
        rows.append(_with_rates(values, running) | {"unit": unit})
    return ConcernTable(year, on, row_kind, running, rows, _with_rates(totals, running))


def kept_counts(pks, year):
    """{community pk: its KEPT counts of the year as at today}: the concerns' set of kept
    figures (AppConfig.kept_figures, portal/kept.py)."""
    counted = _counted(Concern.objects.filter(community__in=pks), "community", year)
    return {pk: counted.get(pk) or dict.fromkeys(KEPT, 0) for pk in pks}


def _counted(concerns, link, year, today=None):
    """{unit pk: KEPT counts} of `concerns` per unit reached by `link`, as at `today`."""
    today = today or timezone.localdate()
    on = report_date(year, today)
    running = on == today
    end = _start_of(on + datetime.timedelta(days=1))
    in_year = _received_in(year, on)
    overdue_now = Q(answered_at__isnull=True, answer_due__lt=today)
    concerns = concerns.filter(in_year | overdue_now if running else in_year)
    counted = _grouped(concerns, link, in_year, overdue_now, on, end)
    days = _days_total(concerns.filter(in_year), link, year, on)
    for unit, values in counted.items():
        values["days_total"] = days.get(unit, 0)
    return counted


def _grouped(concerns, link, in_year, overdue_now, on, end):
    """{unit pk: counts}: one grouped query. Every count but "overdue now" is over the
    concerns received in the year."""
    annotations = {
        key: Count("pk", filter=in_year & condition) for key, condition in _counts(on, end).items()
    }
    annotations["overdue_now"] = Count("pk", filter=overdue_now)
    grouped = concerns.order_by().values(link).annotate(**annotations)
    return {row.pop(link): row for row in grouped}


def _days_total(answered_in_year, link, year, on):
    """{unit pk: working days of all its answers}: one grouped query of the distinct (unit,
    day received, day answered) with their number, and one read of the calendar."""
    pairs = (
        answered_in_year.filter(answered_on__lte=on)
        .annotate(received_on=TruncDate("received_at"))
        .order_by()
        .values_list(link, "received_on", "answered_on")
        .annotate(n=Count("pk"))
    )
    # read even when nothing was answered, so that the count of queries is always the same
    between = working_days_counter(datetime.date(year, 1, 1), on)
    days = {}
    for unit, received_on, answered_on, n in pairs:
        days[unit] = days.get(unit, 0) + between(received_on, answered_on) * n
    return days


def courtyard_counts(courtyard, year=None, today=None):
    """What a courtyard's public page may say about its concerns this year: how many were
    received, answered and resolved, and the return visits and satisfied ones (the rate is
    left out below PUBLIC_MIN_VISITS visits). Counts only: one aggregate query."""
    today = today or timezone.localdate()
    year = year or today.year
    on = report_date(year, today)
    end = _start_of(on + datetime.timedelta(days=1))
    counts = _counts(on, end)
    shown_counts = ("received", "answered", "resolved", "visited", "satisfied")
    found = Concern.objects.filter(_received_in(year, on), courtyard=courtyard).aggregate(
        **{key: Count("pk", filter=counts[key] or None) for key in shown_counts}
    )
    shown = found["visited"] >= PUBLIC_MIN_VISITS
    found["satisfied_rate"] = rate(found["satisfied"], found["visited"]) if shown else None
    found["rate_withheld"] = bool(found["visited"]) and not shown
    found["year"] = year
    return found
