"""The annual report (年度工作报告): the district's yearly figures, computed by the database for
a year and the requesting user's scope.

Every figure is defined once, by the app it comes from (<app>/report_figures.py, declared as
AppConfig.annual_figures), with its definition written beside it; ORDER places them. The rows of
the report are the units one level below the scope (streets for district users, communities
for street staff), each annotated with every per-unit figure in one query. A "本级" row holds
what the scope's own office organised (its trainings). The 合计 row is the sum of the rows
plus the 本级 row, and the overview is that 合计 plus the few figures that
exist only for the scope as a whole (research visits, streets visited, inspection staff and
groups): totals always equal the sum of their rows, and the query count does not depend on
the amount of data.

Figures are read as at the end of the year (31 December), or today for the current year.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.models import (
    Body,
    Coverage,
    Meeting,
    Membership,
    Motion,
    Organisation,
    ResearchVisit,
    Role,
    Term,
    Training,
    TrainingAttendance,
)
from councils.selectors import (
    communities_with_council_figures,
    courtyard_open_on,
    is_covered,
    organisations_with_representation,
    places_researched,
    streets_with_council_figures,
)
from courtyards.models import Community, Courtyard, Street
from funds.formatting import in_wan
from funds.models import ZERO
from funds.own_money import own_money_figures
from funds.selectors import LINKS, fund_figures
from inspections.models import Campaign, Inspection, InspectionGroup, Verdict
from inspections.selectors import inspection_staff
from portal.access import (
    DISTRICT_ROLES,
    LOCAL_ROLES,
    assignment_of,
    everyone,
    role_of,
    scope_of,
)
from portal.figures import figures_in_order
from portal.kept import kept_figures, report_date, street_sums
from portal.roles import Level
from portal.scope_cache import cached_for_scope

WAN = Decimal("10000")


# The figures in the order every table, sheet and overview shows them; each app declares its
# own definitions (AppConfig.annual_figures, <app>/report_figures.py).
ORDER = [
    "courtyard_count",
    "old_courtyard_count",
    "households",
    "organisations_established",
    "organisations_accepted",
    "courtyards_covered",
    "old_courtyards_covered",
    "households_covered",
    "old_coverage",
    "coverage",
    "group_members",
    "representatives",
    "remediated_in_year",
    "remediation_in_progress",
    "remediation_planned",
    "allocated_district",
    "allocated_street",
    "allocated",
    "spent",
    "execution",
    "balance",
    "income",
    "own_spent",
    "own_balance",
    "training_sessions",
    "training_attendees",
    "research_visits",
    "streets_researched",
    "communities_researched",
    "courtyards_researched",
    "meetings_held",
    "council_meetings",
    "resolutions_adopted",
    "courtyards_inspected",
    "communities_inspected",
    "commended",
    "criticised",
    "inspection_staff",
    "inspection_groups",
]
FIGURES = figures_in_order(ORDER)
BY_KEY = {figure.key: figure for figure in FIGURES}
PER_UNIT = [figure for figure in FIGURES if figure.per_unit]
# Figures summed over the rows (rates are computed from their parts afterwards).
SUMMED = [figure.key for figure in PER_UNIT if figure.kind != "rate"]
MONEY = [figure.key for figure in FIGURES if figure.kind == "money"]
# The figures the councils app computes per unit (see councils.selectors).
COUNCIL_FIGURES = [
    "organisations_established",
    "organisations_accepted",
    "group_members",
    "representatives",
]
# The figures of the courtyards open on the report date, per unit, from one grouped query
# (`_courtyard_figures`); "covered" as councils.selectors defines it.
COURTYARD_FIGURES = [
    "courtyard_count",
    "old_courtyard_count",
    "households",
    "courtyards_covered",
    "old_courtyards_covered",
    "households_covered",
    "remediated_in_year",
    "remediation_in_progress",
    "remediation_planned",
]
# Read from the register's present state (it keeps no past one): shown for the running
# year only, "—" for a past one.
PRESENT_STATE = ["remediation_in_progress", "remediation_planned"]


# Per-unit annotations --------------------------------------------------------------------


def _count(queryset, group_lookup, count="pk", distinct=False):
    """A subquery counting `queryset` rows per unit (`group_lookup` = the outer row)."""
    counted = (
        queryset.filter(**{group_lookup: OuterRef("pk")})
        .order_by()
        .values(group_lookup)
        .annotate(total=Count(count, distinct=distinct))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _sum(queryset, group_lookup, field_name):
    summed = (
        queryset.filter(**{group_lookup: OuterRef("pk")})
        .order_by()
        .values(group_lookup)
        .annotate(total=Sum(field_name))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), 0)


def open_on(on):
    """Courtyards not closed on or before `on`."""
    return courtyard_open_on(on)


def _courtyard_figures(units, prefix, on, year):
    """{unit pk: COURTYARD_FIGURES} for the units: the courtyards open on `on`, of them the
    old compounds without property management, their households, those covered (see
    councils.selectors.covered_on) and their households, and their remediation. One query
    grouped by unit, kind and covered, added up here: asking "covered" once per courtyard
    (as a group key) rather than once per figure."""
    scope = Courtyard.objects.filter(**{f"{prefix}__in": units.values("pk")})
    state = Courtyard.Remediation
    groups = (
        scope.filter(open_on(on))
        .order_by()
        .annotate(covered=is_covered(on, among=scope.values("pk")))
        .values(prefix, "kind", "covered")
        .annotate(
            count=Count("pk"),
            households_sum=Coalesce(Sum("households"), 0),
            remediated=Count("pk", filter=Q(remediation=state.DONE, remediation_year=year)),
            in_progress=Count("pk", filter=Q(remediation=state.IN_PROGRESS)),
            planned=Count("pk", filter=Q(remediation=state.PLANNED)),
        )
    )
    figures = {}
    for group in groups:
        unit = figures.setdefault(group[prefix], dict.fromkeys(COURTYARD_FIGURES, 0))
        old = group["kind"] == Courtyard.Kind.NO_PROPERTY_MANAGEMENT
        added = {
            "courtyard_count": group["count"],
            "old_courtyard_count": group["count"] if old else 0,
            "households": group["households_sum"],
            "remediated_in_year": group["remediated"],
            "remediation_in_progress": group["in_progress"],
            "remediation_planned": group["planned"],
        }
        if group["covered"]:
            added["courtyards_covered"] = group["count"]
            added["old_courtyards_covered"] = group["count"] if old else 0
            added["households_covered"] = group["households_sum"]
        for key, value in added.items():
            unit[key] += value
    return figures


def _training_annotations(prefix, year):
    """Sessions organised by each unit or by a unit below it, and their attendees. For
    streets: the street's own sessions and its communities'; for communities: their own."""
    trainings = Training.objects.in_year(year)
    attendance = TrainingAttendance.objects.filter(training__in=trainings.values("pk"))
    if prefix == "community__street":
        own_or_below = ("street", "community__street")
    else:
        own_or_below = ("community",)
    sessions = [_count(trainings, lookup) for lookup in own_or_below]
    attendees = [_sum(trainings, lookup, "other_attendees") for lookup in own_or_below] + [
        _count(attendance, f"training__{lookup}") for lookup in own_or_below
    ]
    return {
        "training_sessions": sum(sessions[1:], sessions[0]),
        "training_attendees": sum(attendees[1:], attendees[0]),
    }


def _research_annotations(prefix, year):
    """Communities and courtyards of each unit visited in the year's research, by anyone."""
    _streets, communities, courtyards = places_researched(ResearchVisit.objects.in_year(year))
    return {
        "communities_researched": _count(
            communities, "street" if prefix == "community__street" else "pk"
        ),
        "courtyards_researched": _count(courtyards, prefix),
    }


MEETING_FIGURES = ["meetings_held", "council_meetings", "resolutions_adopted"]


def _meetings_in(year):
    """Meetings held in the year (their records, whatever their kind)."""
    return Meeting.objects.filter(
        held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31)
    )


def _meeting_figures(units, prefix, year):
    """{unit pk: the year's meeting figures} for the units, from two grouped queries: as a
    correlated subquery per unit they cost more than all the other figures together at city
    scale."""
    unit = f"organisation__{prefix}"
    held = {"held_on__gte": datetime.date(year, 1, 1), "held_on__lte": datetime.date(year, 12, 31)}
    units = units.values("pk")
    figures = {}
    meetings = (
        _meetings_in(year)
        .filter(**{f"{unit}__in": units})
        .order_by()
        .values(unit)
        .annotate(n=Count("pk"), council=Count("pk", filter=Q(kind=Meeting.Kind.COUNCIL)))
    )
    for row in meetings:
        figures[row[unit]] = {"meetings_held": row["n"], "council_meetings": row["council"]}
    adopted = (
        Motion.objects.filter(
            outcome=Motion.Outcome.ADOPTED,
            **{f"meeting__{key}": value for key, value in held.items()},
            **{f"meeting__{unit}__in": units},
        )
        .order_by()
        .values(f"meeting__{unit}")
        .annotate(n=Count("pk"))
    )
    for row in adopted:
        figures.setdefault(row[f"meeting__{unit}"], {})["resolutions_adopted"] = row["n"]
    return figures


def inspection_visits(year, visible=Inspection.objects):
    """The year's inspection visits among `visible` (all of them, or what a user sees)."""
    return visible.filter(assignment__campaign__year=year)


def inspection_annotations(visits, prefix):
    """Courtyards and communities inspected, commended and criticised per unit, of `visits`
    (see `inspection_visits`)."""
    of_courtyards = visits.filter(assignment__courtyard__isnull=False)
    current = of_courtyards.current()
    lookup = f"assignment__{prefix}"
    return {
        "courtyards_inspected": _count(of_courtyards, lookup, "assignment__courtyard", True),
        "communities_inspected": _count(visits, lookup, "assignment__community", True),
        "commended": _count(
            current.filter(final_verdict=Verdict.COMMEND), lookup, "assignment__courtyard", True
        ),
        "criticised": _count(
            current.filter(final_verdict=Verdict.CRITICISE), lookup, "assignment__courtyard", True
        ),
    }


def organisation_rows(user, year):
    """The organisations whose figures the report counts, each annotated with them, for the
    workbook's 自治组织 sheet: every organisation of the user's scope set up and not
    dissolved on the report date, and any other with people serving on it or meetings held
    in the year. So its meetings add up to the report's (which count every organisation's,
    also one preparing); the organisations, courtyards and households covered,
    representatives and group members the report counts are those of the rows established
    on the report date (see `organisation_state_on`).

    Each row: courtyards covered and households of its open courtyards on the report date,
    representatives and group members serving then, the names of its convener and group
    leader then, the last day of its council's term in force then (the group is elected
    with it), and the meetings it held in the year. One query, whatever the number of rows."""
    on = report_date(year)
    serving = Membership.objects.serving_on(on)
    meetings = _meetings_in(year)

    def of_this(queryset, lookup="body__organisation"):
        return queryset.filter(**{lookup: OuterRef("pk")})

    def name_of(role):
        return Subquery(of_this(serving.filter(role=role)).values("person__name")[:1])

    term = of_this(Term.objects.filter(body__kind=Body.Kind.COUNCIL, started_on__lte=on))
    listed = Organisation.objects.visible_to(user).filter(
        Q(set_up_on__lte=on) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
        | Exists(of_this(serving))
        | Exists(of_this(meetings, "organisation"))
    )
    return organisations_with_representation(on, listed).annotate(
        courtyards_covered=_count(
            Coverage.objects.on(on).filter(courtyard_open_on(on, "courtyard__")),
            "organisation",
            "courtyard",
            True,
        ),
        group_members=_count(serving.group_members(), "body__organisation"),
        convener=name_of(Role.CONVENER),
        leader=name_of(Role.LEADER),
        term_ends_on=Subquery(term.order_by("-started_on").values("ends_on")[:1]),
        meetings_held=_count(meetings, "organisation"),
    )


def organisation_state_on(on, established_on, accepted_on, dissolved_on):
    """(status, counted) of an organisation on a day, from its dates: its status as the
    model labels it then, and whether the report counts it (established, accepted or not,
    and not dissolved, as `Organisation.objects.established_on`)."""
    if dissolved_on is not None and dissolved_on <= on:
        return Organisation.Status.DISSOLVED, False
    if accepted_on is not None and accepted_on <= on:
        return Organisation.Status.ACCEPTED, True
    if established_on is not None and established_on <= on:
        return Organisation.Status.ESTABLISHED, True
    return Organisation.Status.PREPARING, False


def default_row_kind(user):
    """Streets for district users, communities for street staff."""
    return "community" if scope_of(user).level == Level.STREET else "street"


def unit_order(community="", then=()):
    """The one order of units on every table of the report and every sheet of its workbook:
    street by division code (then name), community by division code (then name) within its
    street, then `then` (a courtyard's name, say). `community` is the lookup from the rows
    to their community ("" for communities themselves)."""
    path = f"{community}__" if community else ""
    return [f"{path}street__code", f"{path}street__name", f"{path}code", f"{path}name", *then]


UNIT_ORDER = {"street": ["code", "name", "pk"], "community": unit_order(then=["pk"])}


def _units(user, year, row_kind, among=None):
    """The streets or communities the user may see (of them, those in `among`), each
    annotated with every per-unit figure but the meetings' and the courtyards'
    (`_grouped_figures`); the lookup from a courtyard to them; and the same units
    unannotated, for `_grouped_figures`' subqueries (cloning the annotated queryset into them
    cost more than running them)."""
    on = report_date(year)
    if row_kind == "community":
        prefix = "community"
        units = communities_with_council_figures(user, on=on, names=COUNCIL_FIGURES)
    else:
        prefix = "community__street"
        units = streets_with_council_figures(user, on=on, names=COUNCIL_FIGURES)
    scope = units.model.objects.visible_to(user)
    if among is not None:
        units, scope = units.filter(pk__in=among), scope.filter(pk__in=among)
    visits = inspection_visits(year, Inspection.objects.visible_to(user))
    units = units.annotate(
        **_training_annotations(prefix, year),
        **_research_annotations(prefix, year),
        **inspection_annotations(visits, prefix),
    )
    # The four sums only: "allocated" is added up in Python, because every expression naming
    # an annotated subquery repeats that subquery in the SQL.
    units = units.annotate(
        **fund_figures(year, LINKS[row_kind]), **own_money_figures(year, LINKS[row_kind], on)
    ).order_by(*UNIT_ORDER[row_kind])
    return units, prefix, scope


def _grouped_figures(units, prefix, year):
    """{unit pk: figures} of the meetings and the courtyards of the units (a queryset without
    annotations), from three grouped queries."""
    meetings = _meeting_figures(units, prefix, year)
    courtyards = _courtyard_figures(units, prefix, report_date(year), year)
    return {pk: meetings.get(pk, {}) | courtyards.get(pk, {}) for pk in {*meetings, *courtyards}}


def unit_values(unit, grouped):
    """The SUMMED figures of an annotated unit and its `_grouped_figures`."""
    unit.allocated = (unit.allocated_district or ZERO) + (unit.allocated_street or ZERO)
    unit.balance = unit.allocated - (unit.spent or ZERO)
    for key in [*MEETING_FIGURES, *COURTYARD_FIGURES]:
        setattr(unit, key, grouped.get(unit.pk, {}).get(key, 0))
    return _row_values(unit)


def table_row(values, unit, year):
    """A row of the table: the unit's figures with their rates, and the unit under "unit"."""
    return _present_state(_with_rates(dict(values)), year) | {"unit": unit}


def _row(unit, grouped, year):
    return table_row(unit_values(unit, grouped), unit, year)


def _rows(user, year, row_kind):
    """The streets or communities the user may see, each a row with every per-unit figure:
    added up from the kept community rows, or computed from the records for a role whose
    view of inspections they do not keep."""
    rows = _kept_rows(user, year, row_kind)
    return rows if rows is not None else live_rows(user, year, row_kind)


def live_rows(user, year, row_kind):
    """The rows computed from the records (what the kept rows must add up to)."""
    units, prefix, scope = _units(user, year, row_kind)
    evaluated = list(units)
    grouped = _grouped_figures(scope, prefix, year)
    return [_row(unit, grouped, year) for unit in evaluated]


# Kept per community (portal/kept.py) -----------------------------------------------------

INSPECTION_FIGURES = ["courtyards_inspected", "communities_inspected", "commended", "criticised"]
# The kept rows hold the inspection figures twice: of every campaign, as district users see
# them, and under this prefix of the campaigns whose results are published, as streets do.
PUBLISHED = "published_"


def community_values(pks, year):
    """{community pk: its SUMMED figures of the year, and the published inspection figures}:
    what a kept row holds. The report's own per-unit code, for these communities only."""
    units, prefix, scope = _units(everyone(), year, "community", among=pks)
    grouped = _grouped_figures(scope, prefix, year)
    published_visits = inspection_visits(
        year,
        Inspection.objects.filter(
            assignment__campaign__in=Campaign.objects.for_local(None).values("pk")
        ),
    )
    published = {
        row.pop("pk"): row
        for row in Community.objects.filter(pk__in=pks)
        .annotate(**inspection_annotations(published_visits, prefix))
        .values("pk", *INSPECTION_FIGURES)
    }
    values = {}
    for unit in units:
        values[unit.pk] = unit_values(unit, grouped) | {
            PUBLISHED + key: count for key, count in published[unit.pk].items()
        }
    return values


def _inspections_seen(user):
    """Which inspection figures of the kept rows the user sees ("" every campaign's, or
    PUBLISHED), None for a role whose view of them is not kept."""
    if scope_of(user).is_everything or role_of(user) in DISTRICT_ROLES:
        return ""
    if role_of(user) in LOCAL_ROLES:
        return PUBLISHED
    return None


def _from_kept(values, seen):
    figures = {key: values[key] for key in SUMMED}
    for key in INSPECTION_FIGURES:
        figures[key] = values[seen + key]
    for key in MONEY:
        figures[key] = Decimal(figures[key])
    return figures


def _kept_rows(user, year, row_kind):
    """The rows from the kept community figures: communities as they are, streets as the sum
    of their communities plus the trainings the street itself organised. None when the
    user's view is not kept."""
    seen = _inspections_seen(user)
    if seen is None:
        return None
    communities = Community.objects.visible_to(user)
    if row_kind == "community":
        units = list(communities.select_related("street").order_by(*UNIT_ORDER["community"]))
        kept = kept_figures("annual", [unit.pk for unit in units], year)
        return [table_row(_from_kept(kept[unit.pk], seen), unit, year) for unit in units]
    streets = Street.objects.visible_to(user).select_related("district")

    def summed(figures):
        sums = dict.fromkeys(SUMMED, 0)
        for values in figures:
            for key, value in _from_kept(values, seen).items():
                sums[key] += value
        return sums

    sums = street_sums("annual", communities, year, summed, seen)
    own = _own_trainings(year, streets)
    rows = []
    for street in streets.order_by(*UNIT_ORDER["street"]):
        values = sums.get(street.pk) or _from_kept(_nothing(), seen)
        for key, value in own.get(street.pk, {}).items():
            values[key] += value
        for key in MONEY:
            values[key] = Decimal(values[key])
        rows.append(table_row(values, street, year))
    return rows


def _nothing():
    return dict.fromkeys([*SUMMED, *(PUBLISHED + key for key in INSPECTION_FIGURES)], 0)


def _own_trainings(year, streets):
    """{street pk: the sessions the street itself organised in the year, and their
    attendees}: two grouped queries."""
    trainings = Training.objects.in_year(year).filter(street__in=streets.values("pk"))
    own = {}
    for row in (
        trainings.order_by()
        .values("street")
        .annotate(n=Count("pk"), others=Coalesce(Sum("other_attendees"), 0))
    ):
        own[row["street"]] = {"training_sessions": row["n"], "training_attendees": row["others"]}
    named = (
        TrainingAttendance.objects.filter(training__in=trainings.values("pk"))
        .order_by()
        .values("training__street")
        .annotate(n=Count("pk"))
    )
    for row in named:
        figures = own.setdefault(
            row["training__street"], {"training_sessions": 0, "training_attendees": 0}
        )
        figures["training_attendees"] += row["n"]
    return own


def _levels_above(user, years, row_kind):
    """{year: sessions organised within the user's scope by the offices above the rows'
    level, by level}: {"district": figures} for street rows (the district's own),
    {"street": figures, "district": figures} for community rows (the streets' own and the
    district's; street staff see no district sessions). These are the "本级" rows of the
    tables: with them the rows add up to the whole scope. Two queries whatever the number of
    levels and years (the report reads this year's and the last)."""
    levels = ["street", "district"] if row_kind == "community" else ["district"]
    trainings = Training.objects.organised_within(user).filter(
        _in_years("held_on", min(years), max(years))
    )

    def held(year, level, path=""):
        return _in_years(f"{path}held_on", year, year) & Q(**{f"{path}{level}__isnull": False})

    cells = {f"{year}_{level}": (year, level) for year in years for level in levels}
    figures = trainings.aggregate(
        **{f"sessions_{cell}": Count("pk", filter=held(*at)) for cell, at in cells.items()},
        **{
            f"others_{cell}": Coalesce(Sum("other_attendees", filter=held(*at)), 0)
            for cell, at in cells.items()
        },
    )
    named = TrainingAttendance.objects.filter(training__in=trainings.values("pk")).aggregate(
        **{
            f"named_{cell}": Count("pk", filter=held(*at, path="training__"))
            for cell, at in cells.items()
        }
    )
    levels_of = {year: {} for year in years}
    for cell, (year, level) in cells.items():
        levels_of[year][level] = {
            "training_sessions": figures[f"sessions_{cell}"],
            "training_attendees": figures[f"others_{cell}"] + named[f"named_{cell}"],
        }
    return levels_of


def _in_years(field, first, last):
    return Q(
        **{
            f"{field}__gte": datetime.date(first, 1, 1),
            f"{field}__lte": datetime.date(last, 12, 31),
        }
    )


def _trainings_above(levels):
    """The levels above the rows together: the report's "本级" row."""
    above = {"training_sessions": 0, "training_attendees": 0}
    for figures in levels.values():
        for key, value in figures.items():
            above[key] += value
    return above


# The report -------------------------------------------------------------------------------


def _with_rates(values):
    values["old_coverage"] = _ratio(values["old_courtyards_covered"], values["old_courtyard_count"])
    values["coverage"] = _ratio(values["courtyards_covered"], values["courtyard_count"])
    values["execution"] = _ratio(values["spent"], values["allocated"])
    return values


def _present_state(values, year):
    """The figures read from the register's present state, None for a year gone by."""
    if report_date(year) != timezone.localdate():
        for key in PRESENT_STATE:
            values[key] = None
    return values


def _ratio(part, whole):
    return (Decimal(part) / Decimal(whole)) if whole else None


@dataclass
class Report:
    year: int
    on: datetime.date
    scope_name: str
    row_kind: str  # "street" or "community"
    rows: list
    above: dict  # the 本级 row: what the scope's own offices organised above the rows
    totals: dict  # the 合计 row
    overview: dict  # the totals plus the whole-scope figures
    previous: dict = field(default_factory=dict)  # the previous year's overview
    levels: dict = field(default_factory=dict)  # `above` by level (see _levels_above)

    def change(self, key):
        this, last = self.overview.get(key), self.previous.get(key)
        if this is None or last is None:
            return None
        return this - last


def _summed(rows):
    return {key: sum(row[key] or 0 for row in rows) for key in SUMMED}


def _totals(summed, above, year):
    """The 合计: the sums of the rows (added up from the evaluated rows: an aggregate over the
    annotated queryset would compute every figure a second time), plus what was organised
    above them."""
    totals = dict(summed)
    for key, value in above.items():
        totals[key] += value
    for key in MONEY:
        totals[key] = Decimal(totals[key] or ZERO)
    return _present_state(_with_rates(totals), year)


class UnitTable:
    """A report's table of streets or communities read one row at a time, for the workbook:
    each row a dict of the unit's figures with the unit under "unit". At city scale its 1,500
    community rows held together would be the largest thing in the export. Like a Report,
    it has `rows`, `above`, `levels` and `totals`; the last three are known once the rows
    are read."""

    def __init__(self, user, year, row_kind):
        self.user, self.year, self.row_kind = user, year, row_kind
        self.above = self.levels = self.totals = None

    @property
    def rows(self):
        summed = dict.fromkeys(SUMMED, 0)
        for row in self._unit_rows():
            for key in SUMMED:
                summed[key] += row[key] or 0
            yield row
        self.levels = _levels_above(self.user, [self.year], self.row_kind)[self.year]
        self.above = _trainings_above(self.levels)
        self.totals = _totals(summed, self.above, self.year)

    def _unit_rows(self):
        rows = _kept_rows(self.user, self.year, self.row_kind)
        if rows is not None:
            yield from rows
            return
        units, prefix, scope = _units(self.user, self.year, self.row_kind)
        grouped = _grouped_figures(scope, prefix, self.year)
        for unit in units.iterator(chunk_size=100):
            yield _row(unit, grouped, self.year)


def _whole_scope(user, years):
    """{year: the figures that exist only for the scope as a whole, not per street or
    community}: four queries whatever the number of years."""

    def per_year(queryset, condition):
        counts = queryset.aggregate(
            **{f"y{year}": Count("pk", filter=condition(year)) for year in years}
        )
        return {year: counts[f"y{year}"] for year in years}

    def researched(year):
        streets, _communities, _courtyards = places_researched(ResearchVisit.objects.in_year(year))
        return Q(pk__in=streets.values("pk"))

    figures = {
        "research_visits": per_year(
            ResearchVisit.objects.organised_within(user),
            lambda year: _in_years("visited_on", year, year),
        ),
        "streets_researched": per_year(Street.objects.visible_to(user), researched),
        "inspection_staff": per_year(
            get_user_model().objects,
            lambda year: Q(pk__in=inspection_staff(year, user).values("pk")),
        ),
        "inspection_groups": per_year(
            InspectionGroup.objects.visible_to(user), lambda year: Q(campaign__year=year)
        ),
    }
    return {year: {name: counts[year] for name, counts in figures.items()} for year in years}


def scope_name(user):
    scope = scope_of(user)
    if scope.is_everything:
        return _("All districts")
    return str(assignment_of(user).scope_unit)


def annual_report(user, year):
    """The report of `year` for the user's scope, with the previous year's overview."""
    row_kind = default_row_kind(user)
    years = [year, year - 1]
    levels = _levels_above(user, years, row_kind)
    whole = _whole_scope(user, years)
    rows = _rows(user, year, row_kind)
    totals = _totals(_summed(rows), _trainings_above(levels[year]), year)
    previous = _totals(
        _summed(_rows(user, year - 1, row_kind)), _trainings_above(levels[year - 1]), year - 1
    )
    return Report(
        year=year,
        on=report_date(year),
        scope_name=scope_name(user),
        row_kind=row_kind,
        rows=rows,
        above=_trainings_above(levels[year]),
        levels=levels[year],
        totals=totals,
        overview=totals | whole[year],
        previous=previous | whole[year - 1],
    )


def kept_annual_report(user, year):
    """`(annual_report(user, year), computed_at)`, computed once per role, unit and year and
    kept until a record changes (portal.scope_cache): the page and its workbook read it."""
    return cached_for_scope(f"annual-report-{year}", user, lambda: annual_report(user, year))


def _row_values(row):
    values = {key: getattr(row, key) for key in SUMMED}
    for key in MONEY:
        values[key] = Decimal(values[key] or ZERO)
    return values


def _percent(rate):
    return f"{rate * 100:.1f}%" if rate is not None else "—"


def narrative(report):
    """The paragraph of the written report, stating the overview's figures in the style of
    the bureau's reports (全区共建立自治组织N个(涉及M个居民院落)...)."""
    figures = report.overview
    subject = _("the whole district") if report.row_kind == "street" else report.scope_name
    sentences = [
        _organisation_sentence(report, figures, subject),
        _remediation_sentence(figures),
        _(
            "District and street finance put %(allocated)s 10k yuan into the special fund "
            "(district %(district)s, streets %(street)s), of which %(spent)s was spent "
            "(execution rate %(execution)s), leaving %(balance)s; courtyards raised "
            "%(income)s 10k yuan themselves and spent %(own_spent)s 10k yuan of their own "
            "money, which stood at %(own_balance)s 10k yuan."
        )
        % {
            "allocated": in_wan(figures["allocated"]),
            "district": in_wan(figures["allocated_district"]),
            "street": in_wan(figures["allocated_street"]),
            "spent": in_wan(figures["spent"]),
            "execution": _percent(figures["execution"]),
            "balance": in_wan(figures["balance"]),
            "income": in_wan(figures["income"]),
            "own_spent": in_wan(figures["own_spent"]),
            "own_balance": in_wan(figures["own_balance"]),
        },
        _(
            "The organisations held %(meetings)s meetings, %(council)s of them of the "
            "representatives' councils, and adopted %(resolutions)s resolutions."
        )
        % {
            "meetings": figures["meetings_held"],
            "council": figures["council_meetings"],
            "resolutions": figures["resolutions_adopted"],
        },
        _("%(sessions)s training sessions were held, with %(attendees)s attendances.")
        % {
            "sessions": figures["training_sessions"],
            "attendees": figures["training_attendees"],
        },
        _(
            "Staff made %(visits)s research visits, to %(streets)s streets, %(communities)s "
            "communities and %(courtyards)s courtyards."
        )
        % {
            "visits": figures["research_visits"],
            "streets": figures["streets_researched"],
            "communities": figures["communities_researched"],
            "courtyards": figures["courtyards_researched"],
        },
        _inspection_sentence(report, figures),
    ]
    return "".join(str(sentence) for sentence in sentences)


def _organisation_sentence(report, figures, subject):
    """全区共建立自治组织N个…: the organisations established, the courtyards and households
    they cover, the coverage of old compounds (the headline) and of all courtyards, and the
    people serving in those same organisations."""
    return _(
        "In %(year)s, %(subject)s had %(organisations)s self-governance organisations "
        "(%(accepted)s of them accepted), covering %(covered)s courtyards and %(households)s "
        "households; %(old_covered)s of its %(old)s old compounds without property management "
        "are covered (%(old_coverage)s), and %(coverage)s of all %(courtyards)s courtyards. "
        "These organisations have %(members)s self-management group members and "
        "%(representatives)s residents' representatives."
    ) % {
        "year": report.year,
        "subject": subject,
        "organisations": figures["organisations_established"],
        "accepted": figures["organisations_accepted"],
        "covered": figures["courtyards_covered"],
        "households": figures["households_covered"],
        "old_covered": figures["old_courtyards_covered"],
        "old": figures["old_courtyard_count"],
        "old_coverage": _percent(figures["old_coverage"]),
        "coverage": _percent(figures["coverage"]),
        "courtyards": figures["courtyard_count"],
        "members": figures["group_members"],
        "representatives": figures["representatives"],
    }


def _remediation_sentence(figures):
    """Remediation (整治): finished in the year, and for the running year what is under way."""
    if figures["remediation_in_progress"] is None:
        return _("%(done)s courtyards finished their remediation in the year.") % {
            "done": figures["remediated_in_year"]
        }
    return _(
        "%(done)s courtyards finished their remediation in the year; %(in_progress)s are "
        "being remediated and %(planned)s are planned."
    ) % {
        "done": figures["remediated_in_year"],
        "in_progress": figures["remediation_in_progress"],
        "planned": figures["remediation_planned"],
    }


# How the page and the workbook group the per-unit figures into tables of printable width.
TABLES = [
    (
        gettext_lazy("Courtyards"),
        [
            "courtyard_count",
            "old_courtyard_count",
            "households",
            "remediated_in_year",
            "remediation_in_progress",
            "remediation_planned",
        ],
    ),
    (
        gettext_lazy("Self-governance organisations"),
        [
            "organisations_established",
            "organisations_accepted",
            "courtyards_covered",
            "old_courtyards_covered",
            "households_covered",
            "old_coverage",
            "coverage",
            "group_members",
            "representatives",
        ],
    ),
    (
        gettext_lazy("Meetings"),
        ["meetings_held", "council_meetings", "resolutions_adopted"],
    ),
    (
        gettext_lazy("Special fund"),
        [
            "allocated_district",
            "allocated_street",
            "allocated",
            "spent",
            "execution",
            "balance",
            "income",
            "own_spent",
            "own_balance",
        ],
    ),
    (
        gettext_lazy("Training and research"),
        [
            "training_sessions",
            "training_attendees",
            "communities_researched",
            "courtyards_researched",
        ],
    ),
    (
        gettext_lazy("Inspections"),
        [
            "courtyards_inspected",
            "communities_inspected",
            "commended",
            "criticised",
        ],
    ),
]


def display(value, key):
    """A figure as the report shows it: counts with separators, money in 万元, rates in %."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    kind = BY_KEY[key].kind
    if value is None:
        return "—"
    if kind == "money":
        return intcomma(in_wan(value))
    if kind == "rate":
        return _percent(value)
    return intcomma(value)


def _inspection_sentence(report, figures):
    counts = {
        "courtyards": figures["courtyards_inspected"],
        "communities": figures["communities_inspected"],
        "commended": figures["commended"],
        "criticised": figures["criticised"],
    }
    if report.row_kind == "community":
        # Streets see published results, not the district's inspection groups.
        return (
            _(
                "Inspections visited %(courtyards)s courtyards and %(communities)s communities; "
                "%(commended)s courtyards were commended and %(criticised)s criticised."
            )
            % counts
        )
    return _(
        "%(staff)s staff in %(groups)s inspection groups inspected %(courtyards)s courtyards "
        "and %(communities)s communities; %(commended)s courtyards were commended and "
        "%(criticised)s criticised."
    ) % {
        **counts,
        "staff": figures["inspection_staff"],
        "groups": figures["inspection_groups"],
    }
