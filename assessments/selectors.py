"""Reads of a scheme: its subjects, its indicators and the scoring table (subjects ×
indicators, with totals and the ranking).

While a scheme is a draft the computed indicators are computed afresh from the records on
each view (one or two grouped queries per measure) and the hand scores read from their
rows; once published everything is read from the scores and results written at
publication, so that later changes to the records do not move them.

Scoring rule: a computed indicator scores weight × min(value / target, 1), two decimals
(no value, nothing to count: 0 points); a hand-scored one the points entered (0 to its
weight). A subject's total is the sum of its indicators' points.

Ranking rule: competition ranking (1, 2, 2, 4) by total among the subjects with at least
the scheme's minimum of courtyard organisations; the others are listed below, unranked,
with the reason.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from assessments.measures import BY_KEY, cents, organisations_counted, report_date
from assessments.models import SUBJECT_FIELD, Area, Indicator, Result, Scheme, Score, Subjects
from councils.models import Organisation
from courtyards.models import Community, Street

ZERO = Decimal("0.00")


def subjects_of(scheme):
    """The units the scheme assesses, in their usual order: the district's streets or
    communities, the street's communities, or the street's courtyard organisations
    established by the report date and not dissolved by then."""
    if scheme.level == Subjects.STREETS:
        return list(Street.objects.filter(district=scheme.district_id).order_by("code", "name"))
    if scheme.level == Subjects.COMMUNITIES:
        communities = Community.objects.filter(street__district=scheme.district_id)
        if scheme.street_id:
            communities = communities.filter(street=scheme.street_id)
        return list(communities.select_related("street").order_by("street__code", "name"))
    return list(
        Organisation.objects.established_on(report_date(scheme.year))
        .filter(community__street=scheme.street_id)
        .select_related("community")
        .order_by("community__name", "name")
    )


def subject_name(scheme, subject):
    if scheme.level == Subjects.ORGANISATIONS:
        return f"{subject.community.name} · {subject.name}"
    if scheme.level == Subjects.COMMUNITIES and not scheme.street_id:
        return f"{subject.street.name} · {subject.name}"
    return subject.name


def areas_of(scheme):
    """The areas with their indicators, in order: two queries."""
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))
    areas = list(
        Area.objects.filter(scheme=scheme).order_by("position", "pk").prefetch_related(indicators)
    )
    for area in areas:
        for indicator in area.indicators.all():
            indicator.measure_info = BY_KEY.get(indicator.measure)
            indicator.rule = rule_text(indicator)
    return areas


def rule_text(indicator):
    """What the indicator counts and how it scores, in one sentence."""
    if indicator.is_computed:
        info = indicator.measure_info
        return _("%(label)s: %(definition)s Points = %(weight)s × min(value ÷ %(target)s, 1).") % {
            "label": info.label,
            "definition": info.definition,
            "weight": indicator.weight,
            "target": indicator.target,
        }
    return _("Scored by hand, 0 to %(weight)s points, with a note and evidence. %(guidance)s") % {
        "weight": indicator.weight,
        "guidance": indicator.guidance,
    }


def full_marks(areas):
    return sum((i.weight for area in areas for i in area.indicators.all()), ZERO)


def points_for(indicator, value):
    """weight × min(value / target, 1), two decimals; 0 without a value."""
    if value is None:
        return ZERO
    return cents(indicator.weight * min(value / indicator.target, Decimal(1)))


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal | None = None
    counted: int | None = None
    points: Decimal | None = None
    score: Score | None = None  # a hand score, or a published one


@dataclass
class Row:
    subject: object
    name: str
    organisations: int
    cells: list = field(default_factory=list)
    total: Decimal = ZERO
    rank: int | None = None
    missing: list = field(default_factory=list)  # hand-scored indicators without a score


@dataclass
class Table:
    scheme: Scheme
    areas: list
    indicators: list
    rows: list
    full_marks: Decimal

    @property
    def ranked(self):
        return [row for row in self.rows if row.rank is not None]

    @property
    def unranked(self):
        return [row for row in self.rows if row.rank is None]

    @property
    def missing(self):
        return [(row, indicator) for row in self.rows for indicator in row.missing]


def scoring_table(scheme, today=None):
    """The scheme's table: computed afresh while a draft, as published afterwards."""
    areas = areas_of(scheme)
    indicators = [i for area in areas for i in area.indicators.all()]
    if scheme.is_published:
        rows = _published_rows(scheme, indicators)
    else:
        rows = _draft_rows(scheme, indicators, today)
        rank(rows, scheme.min_sample)
    return Table(scheme, areas, indicators, rows, full_marks(areas))


def _scores_by_cell(scheme, indicators):
    link = SUBJECT_FIELD[scheme.level]
    scores = Score.objects.filter(indicator__in=indicators).select_related("scored_by")
    return {(s.indicator_id, getattr(s, f"{link}_id")): s for s in scores}


def _draft_rows(scheme, indicators, today):
    subjects = subjects_of(scheme)
    ids = [subject.pk for subject in subjects]
    computed = {}
    for key in {i.measure for i in indicators if i.is_computed}:
        computed[key] = BY_KEY[key].compute(scheme.level, ids, scheme.year, today)
    organisations = organisations_counted(scheme.level, ids, scheme.year, today)
    scores = _scores_by_cell(scheme, [i for i in indicators if not i.is_computed])
    rows = []
    for subject in subjects:
        row = Row(subject, subject_name(scheme, subject), organisations[subject.pk])
        for indicator in indicators:
            if indicator.is_computed:
                value, counted = computed[indicator.measure][subject.pk]
                cell = Cell(indicator, value, counted, points_for(indicator, value))
            else:
                score = scores.get((indicator.pk, subject.pk))
                cell = Cell(indicator, points=score.points if score else None, score=score)
                if score is None:
                    row.missing.append(indicator)
            row.cells.append(cell)
            row.total += cell.points or ZERO
        rows.append(row)
    return rows


def _published_rows(scheme, indicators):
    link = SUBJECT_FIELD[scheme.level]
    scores = _scores_by_cell(scheme, indicators)
    rows = []
    for result in Result.objects.filter(scheme=scheme).order_by("position", "pk"):
        subject_id = getattr(result, f"{link}_id")
        row = Row(result, result.name, result.organisations, total=result.total, rank=result.rank)
        for indicator in indicators:
            score = scores.get((indicator.pk, subject_id))
            row.cells.append(
                Cell(
                    indicator,
                    score.value if score else None,
                    score.sample if score else None,
                    score.points if score else None,
                    score,
                )
            )
        rows.append(row)
    return rows


def rank(rows, minimum):
    """Competition ranking (1, 2, 2, 4) by total among rows with at least `minimum`
    organisations, in place; ranked rows first, then the others by total."""
    ranked = sorted((r for r in rows if r.organisations >= minimum), key=lambda r: -r.total)
    previous, position = None, 0
    for index, row in enumerate(ranked, start=1):
        if row.total != previous:
            position, previous = index, row.total
        row.rank = position
    unranked = sorted((r for r in rows if r.organisations < minimum), key=lambda r: -r.total)
    for row in unranked:
        row.rank = None
    rows[:] = ranked + unranked
    return rows


def published_ranking(scheme):
    """The published results of a scheme in rank order (the unranked after the ranked,
    by total), each with its subject unit (`subject`), `total` and `rank` (None when the
    unit had too few organisations). Empty for a draft. For other apps (commendations)."""
    if not scheme.is_published:
        return []
    return list(
        Result.objects.filter(scheme=scheme)
        .select_related("street", "community", "organisation")
        .order_by("position", "pk")
    )
