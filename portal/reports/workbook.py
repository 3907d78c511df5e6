"""The annual report as one workbook: 总览, 分街道, 分社区, 院落明细, 自治组织, 专项资金, 督查结果,
民情诉求.

Written by portal.excel's streaming writer, one small Sheet class per sheet; every sheet is
narrowed to the requesting user's scope. Every sheet is a table of figures: 自治组织 has one
row per organisation (not per person serving), 专项资金 one per street or community by project
category (not per project); the registers of people and of projects are exported from their
own lists. No sheet carries phones or addresses; 自治组织 names the convener and the group
leader, the two office holders a courtyard posts on its notice board.

Made to be printed and reconciled (docs/annual_report.md): portal.excel prints every sheet
A4 landscape, one page wide, with the header row and the columns each sheet names in
`title_columns` on every page. Money in 万元 is stored exact (yuan / 10,000) and only shown
with two decimals, so Excel's SUM of a column equals the 合计 row and the 总览; the
本级 rows (区本级, 街道本级) hold what the offices above the rows organised themselves;
院落明细 lists every courtyard that was open during the year or had money in it, closed
ones marked, so its money adds up to the 总览; every sheet lists units in one order
(`unit_order`: street, then community, by division code, then courtyard name).
"""

import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from concerns.figures import FIGURES as CONCERN_FIGURES
from councils.models import Organisation
from councils.selectors import established_coverage
from courtyards.models import Community, Courtyard
from funds.models import ZERO, Expenditure, Income, Project
from funds.selectors import (
    LINKS,
    annotate_fund_figures,
    fund_totals,
    live_allocations,
    own_funds,
    spending_by_category,
)
from inspections.models import Inspection, Verdict
from portal import exports
from portal.excel import DATE, INTEGER, PERCENT, YUAN, Column, Formatted, Sheet, workbook_response
from portal.exports import Export
from portal.figures import WAN_YUAN
from portal.reports.concerns import kept_concern_table
from portal.reports.figures import (
    BY_KEY,
    FIGURES,
    PER_UNIT,
    WAN,
    UnitTable,
    kept_annual_report,
    open_on,
    organisation_rows,
    organisation_state_on,
    report_date,
    unit_order,
)

WAN_FORMAT = "#,##0.00"  # shows 万元 with two decimals; the cell holds the exact value
SCORE = "0.0"
HOUSEHOLDS = pgettext_lazy("unit", "households")
# Column widths of the per-unit figures, by kind: counts up to 99,999, 万元 up to 99,999.99.
FIGURE_WIDTHS = {"count": 8, "money": 10, "rate": 8}


def _labels(choices):
    """{value: translated label} as plain text, translated once per export, not per row."""
    return {value: str(label) for value, label in choices.choices}


def _with_unit(label, unit):
    """A column header with its unit, as the figures' are: 民情代表（人）."""
    return f"{label}（{unit}）"


def _figure_header(key):
    figure = BY_KEY[key]
    return _with_unit(figure.label, figure.unit)


def _wan(value):
    """Yuan stored in 万元, exact, shown with two decimals (see `_formatted`)."""
    return Formatted(value / WAN, WAN_FORMAT)


def _formatted(value, key):
    kind = BY_KEY[key].kind
    if value is None:
        return None
    if kind == "money":
        # Exact (yuan have two decimals, so yuan / 10,000 has at most six): rounded only on
        # display, so that Excel's sums agree with the 合计 row.
        return _wan(value)
    if kind == "rate":
        return Formatted(float(value), PERCENT)
    return Formatted(value, INTEGER)


class OverviewSheet(Sheet):
    title = pgettext_lazy("annual workbook sheet", "Overview")
    columns = [
        Column(pgettext_lazy("annual report", "Figure"), 24),
        Column(pgettext_lazy("measure", "Unit"), 8),
        Column(pgettext_lazy("annual report", "This year"), 14),
        Column(pgettext_lazy("annual report", "Previous year"), 14),
        Column(pgettext_lazy("annual report", "Change"), 14),
        Column(gettext_lazy("Definition"), 100),
    ]
    title_columns = 1

    def __init__(self, report):
        self.report = report

    def rows(self):
        for figure in FIGURES:
            this = self.report.overview.get(figure.key)
            last = self.report.previous.get(figure.key)
            change = this - last if this is not None and last is not None else None
            yield [
                figure.label,
                figure.unit,
                _formatted(this, figure.key),
                _formatted(last, figure.key),
                _formatted(change, figure.key),
                figure.definition,
            ]


# The 本级 rows: what the offices above the rows organised themselves.
LEVEL_LABELS = {
    "street": gettext_lazy("Street level"),
    "district": gettext_lazy("District level"),
}


# The columns that name a row of streets or communities, and their values.
UNIT_NAME_COLUMNS = {
    "street": [Column(gettext_lazy("Street"), 16)],
    "community": [Column(gettext_lazy("Street"), 14), Column(gettext_lazy("Community"), 16)],
}


def unit_names(unit, row_kind):
    return [unit.street.name, unit.name] if row_kind == "community" else [unit.name]


class UnitsSheet(Sheet):
    """One row per street or community with every per-unit figure, the 本级 rows and 合计,
    from a table: the report itself or a UnitTable read while writing. Communities are
    named with their street."""

    def __init__(self, title, table, row_kind):
        self.title = title
        self.table = table
        self.row_kind = row_kind
        names = UNIT_NAME_COLUMNS[row_kind]
        self.columns = [
            Column(gettext_lazy("No."), 6),
            *names,
            *[Column(_figure_header(f.key), FIGURE_WIDTHS[f.kind]) for f in PER_UNIT],
        ]
        self.title_columns = 1 + len(names)
        self.blank_names = [""] * (len(names) - 1)

    def rows(self):
        for number, row in enumerate(self.table.rows, start=1):
            yield [
                number,
                *unit_names(row["unit"], self.row_kind),
                *[_formatted(row[f.key], f.key) for f in PER_UNIT],
            ]
        # Known once the rows are read (a UnitTable adds them up on the way). The level's
        # name stands in the first name column.
        for level, figures in self.table.levels.items():
            if any(figures.values()):
                yield [
                    "",
                    LEVEL_LABELS[level],
                    *self.blank_names,
                    *[
                        _formatted(figures.get(f.key, 0), f.key) if f.kind != "rate" else None
                        for f in PER_UNIT
                    ],
                ]

    def totals(self):
        totals = self.table.totals
        return [
            _("Total"),
            "",
            *self.blank_names,
            *[_formatted(totals[f.key], f.key) for f in PER_UNIT],
        ]


def courtyards_of_the_year(user, year):
    """The courtyards 院落明细 lists: every one the user may see that was open on some day of
    the year, and any other that had money in it (allocations, spending or income), so that
    its money adds up to the report's. Courtyards closed by the report date stay, marked."""
    first_day = datetime.date(year, 1, 1)
    money = [
        live_allocations(year),
        Expenditure.objects.filter(year=year),
        Income.objects.of_year(year),
    ]
    of_the_year = Q(closed_on__isnull=True) | Q(closed_on__gte=first_day)
    for records in money:
        of_the_year |= Exists(records.filter(courtyard=OuterRef("pk")))
    return Courtyard.objects.visible_to(user).filter(of_the_year)


class CourtyardsSheet(Sheet):
    title = pgettext_lazy("annual workbook sheet", "Courtyards")
    columns = [
        Column(gettext_lazy("No."), 6),
        Column(gettext_lazy("Street"), 14),
        Column(gettext_lazy("Community"), 14),
        Column(gettext_lazy("Courtyard"), 20),
        Column(gettext_lazy("Status"), 12),
        Column(gettext_lazy("Kind"), 16),
        Column(gettext_lazy("Households"), 10, INTEGER),
        Column(gettext_lazy("Residents"), 10, INTEGER),
        Column(gettext_lazy("Self-governance organisation"), 28),
        Column(gettext_lazy("From the district (yuan)"), 14, YUAN),
        Column(gettext_lazy("From the streets (yuan)"), 14, YUAN),
        Column(gettext_lazy("Spent (yuan)"), 14, YUAN),
        Column(gettext_lazy("Self-raised income (yuan)"), 14, YUAN),
        Column(gettext_lazy("Latest inspection verdict"), 12),
    ]
    title_columns = 4

    def __init__(self, user, year):
        on = report_date(year)
        # A closed courtyard is covered no more (councils.selectors.established_coverage).
        covering = established_coverage(on).filter(courtyard=OuterRef("pk"))
        latest = (
            Inspection.objects.visible_to(user)
            .filter(assignment__courtyard=OuterRef("pk"), assignment__campaign__year=year)
            .order_by("-visited_on", "-pk")
            .values("final_verdict")[:1]
        )
        self.year, self.on = year, on
        self.base = courtyards_of_the_year(user, year)
        # the 社区本级 lines: each community's own fund, after its courtyards
        self.communities = Community.objects.visible_to(user)
        self.own = (
            own_funds(self.communities, year)
            .filter(Q(allocated__gt=0) | ~Q(spent=0))
            .select_related("street")
            .order_by(*unit_order(then=["pk"]))
        )
        self.courtyards = annotate_fund_figures(self.base, year, "courtyard").annotate(
            organisation_name=Subquery(covering.values("organisation__name")[:1]),
            verdict=Subquery(latest),
        )

    def rows(self):
        """The courtyards in unit order, each community's 社区本级 line after its courtyards
        (and the lines of communities none of whose courtyards is listed, at the end)."""
        self.kinds, self.verdicts = _labels(Courtyard.Kind), _labels(Verdict)
        own = {unit.pk: unit for unit in self.own}
        number, current = 0, None
        for community_id, *values in self._courtyard_values():
            if current is not None and community_id != current:
                yield from self._own_line(own.pop(current, None))
            current, number = community_id, number + 1
            yield self._courtyard_row(number, values)
        yield from self._own_line(own.pop(current, None))
        for unit in own.values():
            yield from self._own_line(unit)

    def _own_line(self, unit):
        if unit is None:
            return
        yield [
            "",
            unit.street.name,
            unit.name,
            _("Community's own fund"),
            *[""] * 5,
            unit.allocated_district,
            unit.allocated_street,
            unit.spent,
            ZERO,
            "",
        ]

    def _courtyard_values(self):
        values = self.courtyards.order_by(*unit_order("community", then=["name", "pk"]))
        return values.values_list(
            "community_id",
            "community__street__name",
            "community__name",
            "name",
            "closed_on",
            "kind",
            "households",
            "residents",
            "organisation_name",
            "allocated_district",
            "allocated_street",
            "spent",
            "income",
            "verdict",
        ).iterator(chunk_size=2000)

    def _courtyard_row(self, number, row):
        (
            street,
            community,
            name,
            closed_on,
            kind,
            households,
            residents,
            organisation,
            district,
            street_money,
            spent,
            income,
            verdict,
        ) = row
        closed = closed_on is not None and closed_on <= self.on
        return [
            number,
            street,
            community,
            name,
            _("Closed %(date)s") % {"date": closed_on.isoformat()} if closed else _("Open"),
            str(self.kinds[kind]),
            # A closed courtyard has no households left: the 合计 counts open ones only.
            None if closed else households,
            None if closed else residents,
            organisation or _("None"),
            district,
            street_money,
            spent,
            income,
            str(self.verdicts[verdict]) if verdict else "",
        ]

    def totals(self):
        sizes = self.base.filter(open_on(self.on)).aggregate(
            households=Sum("households"), residents=Sum("residents")
        )
        money = fund_totals(self.year, "courtyard", self.base, own=self.communities)
        return [
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            sizes["households"] or 0,
            sizes["residents"] or 0,
            "",
            money.allocated_district,
            money.allocated_street,
            money.spent,
            money.income,
            "",
        ]


class OrganisationsSheet(Sheet):
    """One row per self-governance organisation whose figures the report counts
    (`organisation_rows`), with those figures and the names of its two office holders: the
    convener and the group leader, posted on the courtyard's notice board. Nobody's phone,
    address or year of birth: the register of people serving is exported from its list."""

    title = pgettext_lazy("annual workbook sheet", "Organisations")
    title_columns = 4
    # Added up as the rows are written, for every row (合计), the organisations the report
    # counts (其中, established on the report date) and of those the accepted ones.
    SUMMED = [
        "courtyards_covered",
        "households_covered",
        "representatives",
        "group_members",
        "meetings_held",
    ]

    def __init__(self, user, year):
        # Headers made from the figures' labels are translated when the sheet is made.
        self.columns = [
            Column(gettext_lazy("No."), 6),
            Column(gettext_lazy("Street"), 13),
            Column(gettext_lazy("Community"), 13),
            # Wide enough for most names on one line: a wrapped name makes its row twice as
            # tall, and the sheet half as many rows a page.
            Column(gettext_lazy("Self-governance organisation"), 32),
            Column(_figure_header("courtyards_covered"), 8, INTEGER),
            Column(_with_unit(gettext_lazy("Households covered"), HOUSEHOLDS), 8, INTEGER),
            Column(gettext_lazy("Established on"), 11, DATE),
            Column(gettext_lazy("Accepted on"), 11, DATE),
            Column(gettext_lazy("Status"), 10),
            Column(_figure_header("representatives"), 8, INTEGER),
            Column(gettext_lazy("Convener"), 8),
            Column(_figure_header("group_members"), 10, INTEGER),
            Column(gettext_lazy("Group leader"), 8),
            Column(gettext_lazy("Current term ends"), 11, DATE),
            Column(
                _with_unit(gettext_lazy("Meetings this year"), BY_KEY["meetings_held"].unit),
                8,
                INTEGER,
            ),
        ]
        self.on = report_date(year)
        self.organisations = organisation_rows(user, year)
        self.all = self.counted = None

    def rows(self):
        statuses = _labels(Organisation.Status)
        self.all, self.counted, self.accepted = (
            dict.fromkeys(["organisations", *self.SUMMED], 0) for _n in range(3)
        )
        for number, values in enumerate(self._values().iterator(chunk_size=2000), start=1):
            yield self._row(number, values, statuses)

    def _values(self):
        """The organisations in street, community and name order, as tuples of the fields
        `_row` reads."""
        values = self.organisations.order_by(*unit_order("community", then=["name", "pk"]))
        return values.values_list(
            "community__street__name",
            "community__name",
            "name",
            "courtyards_covered",
            "households_covered",
            "established_on",
            "accepted_on",
            "dissolved_on",
            "representatives",
            "convener",
            "group_members",
            "leader",
            "term_ends_on",
            "meetings_held",
        )

    def _row(self, number, values, statuses):
        """One organisation's row, its figures added to the totals as it is written."""
        (
            street,
            community,
            name,
            covered,
            households,
            established_on,
            accepted_on,
            dissolved_on,
            representatives,
            convener,
            members,
            leader,
            term_ends_on,
            meetings,
        ) = values
        on = self.on
        status, counted = organisation_state_on(on, established_on, accepted_on, dissolved_on)
        self._add_up(
            [covered, households, representatives, members, meetings],
            [self.all, *([self.counted] if counted else [])]
            + ([self.accepted] if status == Organisation.Status.ACCEPTED else []),
        )
        return [
            number,
            street,
            community,
            name,
            covered,
            households,
            established_on if established_on and established_on <= on else None,
            accepted_on if accepted_on and accepted_on <= on else None,
            _("Dissolved %(date)s") % {"date": dissolved_on.isoformat()}
            if status == Organisation.Status.DISSOLVED
            else statuses[status],
            representatives,
            convener or "",
            members,
            leader or "",
            term_ends_on,
            meetings,
        ]

    def _add_up(self, figures, into):
        """Add one organisation's SUMMED figures to the totals it belongs to: of all, and of
        the counted (and the accepted) ones if it is one."""
        for totals in into:
            totals["organisations"] += 1
            for key, value in zip(self.SUMMED, figures, strict=True):
                totals[key] += value

    def totals(self):
        return self._summary(_("Total"), self.all)

    def of_which(self):
        """The organisations the overview counts (established, accepted or not), with the
        courtyards and households they cover and their people; then the accepted ones. Their
        meetings are left out: the overview counts every organisation's."""
        return [
            self._summary(_("Of which"), self.counted, _("Established (accepted included)"), False),
            self._summary(
                _("Of which"), self.accepted, str(Organisation.Status.ACCEPTED.label), False
            ),
        ]

    def _summary(self, label, totals, status="", everything=True):
        return [
            label,
            "",
            "",
            Formatted(totals["organisations"], INTEGER),
            totals["courtyards_covered"],
            totals["households_covered"],
            "",
            "",
            status,
            totals["representatives"],
            "",
            totals["group_members"],
            "",
            "",
            totals["meetings_held"] if everything else "",
        ]

    def notes(self):
        return [
            _(
                "Note: 1. Organisations, courtyards and households covered, representatives "
                "and group members count the organisations established on the report date, "
                "accepted or not (the first row “of which”), as the overview does; a closed "
                "courtyard is covered no more."
            ),
            _(
                "2. Meetings count every organisation listed (also those preparing or "
                "dissolved during the year), as the overview does."
            ),
            _(
                "3. Only conveners' and group leaders' names are listed; the register of people "
                "serving is exported from People serving (%(path)s)."
            )
            % {"path": reverse("councils:people")},
        ]


class FundUseSheet(Sheet):
    """The use of the special fund: one row per street (per community for street staff),
    the year's spending by project category in 万元, then spent, allocated and balance.
    The rows are the report's own (so its spent equals 分街道's or 分社区's, and its 合计
    the overview's); the categories come from two grouped queries. Money is given to
    courtyards and communities (a community's own fund, 社区本级, counts in its community's
    row), so no office level holds any: there is no 本级 row. The register of projects is
    exported from the projects' list."""

    title = pgettext_lazy("annual workbook sheet", "Special fund")

    def __init__(self, report):
        self.report = report
        names = UNIT_NAME_COLUMNS[report.row_kind]
        self.columns = [
            Column(gettext_lazy("No."), 6),
            *names,
            # 环境卫生（万元） on one line: the sheet is a page of a few rows whatever the widths.
            *[Column(_with_unit(label, WAN_YUAN), 15) for label in Project.Category.labels],
            Column(_figure_header("spent"), 12),
            Column(_figure_header("allocated"), 12),
            Column(_with_unit(gettext_lazy("Balance"), WAN_YUAN), 12),
        ]
        self.title_columns = 1 + len(names)
        self.together = None

    def rows(self):
        report = self.report
        units = [row["unit"].pk for row in report.rows]
        by_unit, self.together = spending_by_category(report.year, LINKS[report.row_kind], units)
        for number, row in enumerate(report.rows, start=1):
            unit = row["unit"]
            yield [
                number,
                *unit_names(unit, report.row_kind),
                *self._money(by_unit.get(unit.pk, {}), row),
            ]

    def _money(self, spent_by_category, figures):
        return [
            *[_wan(spent_by_category.get(category, ZERO)) for category in Project.Category.values],
            _wan(figures["spent"]),
            _wan(figures["allocated"]),
            _wan(figures["allocated"] - figures["spent"]),
        ]

    def totals(self):
        names = [""] * len(UNIT_NAME_COLUMNS[self.report.row_kind])
        return [_("Total"), *names, *self._money(self.together, self.report.totals)]

    def notes(self):
        return [
            _(
                "Note: the register of projects, with each one's budget and spending, is exported "
                "from Projects (%(path)s)."
            )
            % {"path": reverse("funds:projects")}
        ]


class InspectionsSheet(Sheet):
    title = pgettext_lazy("annual workbook sheet", "Inspection results")
    columns = [
        Column(gettext_lazy("No."), 6),
        Column(gettext_lazy("Campaign"), 22),
        Column(gettext_lazy("Street"), 14),
        Column(gettext_lazy("Community"), 14),
        Column(gettext_lazy("Courtyard"), 22),
        Column(gettext_lazy("Visited on"), 12, DATE),
        Column(gettext_lazy("Total score"), 10, SCORE),
        Column(gettext_lazy("Full marks"), 10, SCORE),
        Column(gettext_lazy("Suggested verdict"), 10),
        Column(gettext_lazy("Final verdict"), 10),
    ]
    title_columns = 5

    def __init__(self, user, year):
        self.visits = (
            Inspection.objects.visible_to(user).filter(assignment__campaign__year=year).current()
        )

    def rows(self):
        verdicts = _labels(Verdict)
        values = self.visits.order_by(
            "assignment__campaign__starts_on",
            "assignment__campaign",
            *unit_order(
                "assignment__community",
                then=[F("assignment__courtyard__name").asc(nulls_first=True), "pk"],
            ),
        ).values_list(
            "assignment__campaign__title",
            "assignment__community__street__name",
            "assignment__community__name",
            "assignment__courtyard__name",
            "visited_on",
            "total",
            "max_total",
            "suggested_verdict",
            "final_verdict",
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            (campaign, street, community, courtyard, visited_on, total, full, suggested, final) = (
                row
            )
            yield [
                number,
                campaign,
                street,
                community,
                courtyard or _("(the community)"),
                visited_on,
                total,
                full,
                str(verdicts[suggested]),
                str(verdicts[final]),
            ]


CONCERN_FORMATS = {"count": INTEGER, "rate": PERCENT, "days": "0.0"}


class ConcernsSheet(Sheet):
    """Residents' concerns (民情诉求): the page's table, one row per street or community of the
    report's rows in the one order, with the 合计 (counts added up, rates from the added-up
    parts) and the definitions under the table. Counts only: no resident is named."""

    title = pgettext_lazy("annual workbook sheet", "Residents' concerns")

    def __init__(self, user, report):
        self.table = kept_concern_table(user, report.year, report.row_kind)
        names = UNIT_NAME_COLUMNS[report.row_kind]
        self.columns = [
            Column(gettext_lazy("No."), 6),
            *names,
            *[Column(_with_unit(f.label, f.unit), 10) for f in CONCERN_FIGURES],
        ]
        self.title_columns = 1 + len(names)
        self.blank_names = [""] * (len(names) - 1)

    def _figures(self, values):
        return [
            None
            if values[f.key] is None
            else Formatted(
                float(values[f.key]) if f.kind != "count" else values[f.key],
                CONCERN_FORMATS[f.kind],
            )
            for f in CONCERN_FIGURES
        ]

    def rows(self):
        for number, row in enumerate(self.table.rows, start=1):
            yield [number, *unit_names(row["unit"], self.table.row_kind), *self._figures(row)]

    def totals(self):
        return [_("Total"), "", *self.blank_names, *self._figures(self.table.totals)]

    def notes(self):
        return [
            _("Note: %(label)s: %(definition)s") % {"label": f.label, "definition": f.definition}
            for f in CONCERN_FIGURES
        ]


def annual_sheets(user, report):
    """The sheets of the annual workbook for the user's scope."""

    def table(row_kind):
        # The report already holds the rows of its own kind.
        return report if report.row_kind == row_kind else UnitTable(user, report.year, row_kind)

    return [
        OverviewSheet(report),
        UnitsSheet(pgettext_lazy("annual workbook sheet", "By street"), table("street"), "street"),
        UnitsSheet(
            pgettext_lazy("annual workbook sheet", "By community"),
            table("community"),
            "community",
        ),
        CourtyardsSheet(user, report.year),
        OrganisationsSheet(user, report.year),
        FundUseSheet(report),
        InspectionsSheet(user, report.year),
        ConcernsSheet(user, report),
    ]


def workbook_filename(report):
    return _("%(scope)s annual report %(year)s.xlsx") % {
        "scope": report.scope_name,
        "year": report.year,
    }


def workbook_heading(report):
    """The report's title, as the page's: 武侯区2026年度院落自治工作报告."""
    return _("%(scope)s: courtyard self-governance in %(year)s") % {
        "scope": report.scope_name,
        "year": report.year,
    }


def annual_workbook(user, params):
    """The year's workbook for the user's scope, as an export (portal.exports.Export): the
    immediate download and the background job write the same sheets."""
    report, _computed_at = kept_annual_report(user, params["year"])
    return Export(
        sheets=annual_sheets(user, report),
        filename=workbook_filename(report),
        heading=workbook_heading(report),
        scope_label=report.scope_name,
    )


def in_background(user):
    """Whether the user's workbook is written by the worker rather than during the request:
    when their scope holds more courtyards than BACKGROUND_EXPORT_COURTYARDS (the city, or
    a very large district; the demo district and its streets get their file at once)."""
    limit = settings.BACKGROUND_EXPORT_COURTYARDS
    return Courtyard.objects.visible_to(user)[: limit + 1].count() > limit


def workbook_job(request, year):
    """Queue the year's workbook for the worker; returns the job."""
    return exports.start(
        request,
        "annual_workbook",
        {"year": year},
        title=_("Annual report workbook %(year)s") % {"year": year},
    )


def workbook_download(user, year):
    """The download of the year's workbook for the user's scope. It carries no phones or
    addresses, for any role (docs/personal_data.md), so it leaves no line in the audit of
    personal data access."""
    export = annual_workbook(user, {"year": year})
    return workbook_response(
        export.sheets,
        filename=export.filename,
        heading=export.heading,
        scope_label=export.scope_label,
    )
