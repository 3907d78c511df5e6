"""The annual report as one workbook: 总览, 分街道, 分社区, 院落明细, 自治组织, 专项资金, 督查结果.

Written by portal.excel's streaming writer, one small Sheet class per sheet; every sheet is
narrowed to the requesting user's scope, and the people sheet carries phones and addresses
only for roles that may see personal data.

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

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from councils.models import Body, Coverage, Membership, Organisation, Person, Role
from courtyards.models import Courtyard
from funds.models import Expenditure, Income, Project
from funds.selectors import (
    annotate_fund_figures,
    fund_totals,
    live_allocations,
    project_totals,
    projects_with_spending,
)
from inspections.models import Inspection, Verdict
from portal.access import may_see_personal_data
from portal.annual.figures import (
    BY_KEY,
    FIGURES,
    PER_UNIT,
    WAN,
    UnitTable,
    kept_annual_report,
    open_on,
    report_date,
    unit_order,
)
from portal.excel import DATE, INTEGER, PERCENT, YUAN, Column, Formatted, Sheet, workbook_response

WAN_FORMAT = "#,##0.00"  # shows 万元 with two decimals; the cell holds the exact value
SCORE = "0.0"
# Column widths of the per-unit figures, by kind: counts up to 99,999, 万元 up to 99,999.99.
FIGURE_WIDTHS = {"count": 8, "money": 10, "rate": 8}


def _labels(choices):
    """{value: translated label} as plain text, translated once per export, not per row."""
    return {value: str(label) for value, label in choices.choices}


def _formatted(value, key):
    kind = BY_KEY[key].kind
    if value is None:
        return None
    if kind == "money":
        # Exact (yuan have two decimals, so yuan / 10,000 has at most six): rounded only on
        # display, so that Excel's sums agree with the 合计 row.
        return Formatted(value / WAN, WAN_FORMAT)
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
        Column(gettext_lazy("Definition"), 64),
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


class UnitsSheet(Sheet):
    """One row per street or community with every per-unit figure, the 本级 rows and 合计,
    from a table: the report itself or a UnitTable read while writing."""

    title_columns = 2

    def __init__(self, title, table, name_column):
        self.title = title
        self.table = table
        self.columns = [
            Column(gettext_lazy("No."), 6),
            Column(name_column, 16),
            *[
                Column(f"{figure.label}({figure.unit})", FIGURE_WIDTHS[figure.kind])
                for figure in PER_UNIT
            ],
        ]

    def rows(self):
        for number, row in enumerate(self.table.rows, start=1):
            yield [number, row["unit"].name, *[_formatted(row[f.key], f.key) for f in PER_UNIT]]
        # Known once the rows are read (a UnitTable adds them up on the way).
        for level, figures in self.table.levels.items():
            if any(figures.values()):
                yield [
                    "",
                    LEVEL_LABELS[level],
                    *[
                        _formatted(figures.get(f.key, 0), f.key) if f.kind != "rate" else None
                        for f in PER_UNIT
                    ],
                ]

    def totals(self):
        totals = self.table.totals
        return [_("Total"), "", *[_formatted(totals[f.key], f.key) for f in PER_UNIT]]


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
        covering = Coverage.objects.on(on).filter(
            courtyard=OuterRef("pk"), organisation__in=Organisation.objects.established_on(on)
        )
        latest = (
            Inspection.objects.visible_to(user)
            .filter(assignment__courtyard=OuterRef("pk"), assignment__campaign__year=year)
            .order_by("-visited_on", "-pk")
            .values("final_verdict")[:1]
        )
        self.year, self.on = year, on
        self.base = courtyards_of_the_year(user, year)
        self.courtyards = annotate_fund_figures(self.base, year, "courtyard").annotate(
            organisation_name=Subquery(covering.values("organisation__name")[:1]),
            verdict=Subquery(latest),
        )

    def rows(self):
        kinds = _labels(Courtyard.Kind)
        verdicts = _labels(Verdict)
        in_register = _("Open")
        values = self.courtyards.order_by(*unit_order("community", then=["name", "pk"]))
        values = values.values_list(
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
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
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
            yield [
                number,
                street,
                community,
                name,
                _("Closed %(date)s") % {"date": closed_on.isoformat()} if closed else in_register,
                str(kinds[kind]),
                # A closed courtyard has no households left: the 合计 counts open ones only.
                None if closed else households,
                None if closed else residents,
                organisation or _("None"),
                district,
                street_money,
                spent,
                income,
                str(verdicts[verdict]) if verdict else "",
            ]

    def totals(self):
        sizes = self.base.filter(open_on(self.on)).aggregate(
            households=Sum("households"), residents=Sum("residents")
        )
        money = fund_totals(self.year, "courtyard", self.base)
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


class PeopleSheet(Sheet):
    """Who serves on the report date in each organisation, body by body."""

    title = pgettext_lazy("annual workbook sheet", "Organisations")
    title_columns = 4

    def __init__(self, user, year):
        self.personal = may_see_personal_data(user)
        self.memberships = (
            Membership.objects.visible_to(user)
            .serving_on(report_date(year))
            .filter(body__kind__in=[Body.Kind.COUNCIL, Body.Kind.GROUP])
        )
        self.columns = [
            Column(gettext_lazy("No."), 6),
            Column(gettext_lazy("Street"), 14),
            Column(gettext_lazy("Community"), 14),
            Column(gettext_lazy("Self-governance organisation"), 30),
            Column(gettext_lazy("Body"), 19),
            Column(gettext_lazy("Role"), 10),
            Column(gettext_lazy("Full name"), 10),
            Column(gettext_lazy("Gender"), 6),
            Column(gettext_lazy("Year of birth"), 8),
            Column(gettext_lazy("Serving from"), 12, DATE),
        ]
        if self.personal:
            self.columns += [
                Column(gettext_lazy("Phone"), 14),
                Column(gettext_lazy("Building"), 8),
                Column(pgettext_lazy("measure", "Unit"), 8),
            ]

    def rows(self):
        kinds = _labels(Body.Kind)
        roles = _labels(Role)
        fields = [
            "body__organisation__community__street__name",
            "body__organisation__community__name",
            "body__organisation__name",
            "body__kind",
            "role",
            "person__name",
            "person__gender",
            "person__birth_year",
            "started_on",
        ]
        if self.personal:
            fields += ["person__phone", "person__building", "person__unit"]
        genders = _labels(Person.Gender)
        values = self.memberships.order_by(
            *unit_order(
                "body__organisation__community",
                then=["body__organisation__name", "body__kind", "role", "person__name", "pk"],
            )
        ).values_list(*fields)
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            row = list(row)
            row[3] = str(kinds.get(row[3], row[3]))
            row[4] = str(roles.get(row[4], row[4]))
            row[6] = str(genders.get(row[6], row[6]))
            yield [number, *row]


class ProjectsSheet(Sheet):
    title = pgettext_lazy("annual workbook sheet", "Special fund")
    columns = [
        Column(gettext_lazy("No."), 6),
        Column(gettext_lazy("Street"), 14),
        Column(gettext_lazy("Community"), 14),
        Column(gettext_lazy("Courtyard"), 22),
        Column(gettext_lazy("Project"), 28),
        Column(gettext_lazy("Category"), 12),
        Column(gettext_lazy("Budget (yuan)"), 14, YUAN),
        Column(gettext_lazy("Spent (yuan)"), 14, YUAN),
        Column(gettext_lazy("Status"), 10),
    ]
    title_columns = 4

    def __init__(self, user, year):
        self.projects = Project.objects.visible_to(user).filter(year=year)

    def rows(self):
        categories = _labels(Project.Category)
        statuses = _labels(Project.Status)
        values = (
            projects_with_spending(self.projects)
            .order_by(*unit_order("courtyard__community", then=["courtyard__name", "pk"]))
            .values_list(
                "courtyard__community__street__name",
                "courtyard__community__name",
                "courtyard__name",
                "title",
                "category",
                "budget",
                "spent",
                "status",
            )
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            street, community, courtyard, title, category, budget, spent, status = row
            yield [
                number,
                street,
                community,
                courtyard,
                title,
                str(categories[category]),
                budget,
                spent,
                str(statuses[status]),
            ]

    def totals(self):
        sums = project_totals(self.projects)
        return [_("Total"), "", "", "", "", "", sums["budget"], sums["spent"], ""]


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


def annual_sheets(user, report):
    """The sheets of the annual workbook for the user's scope."""

    def table(row_kind):
        # The report already holds the rows of its own kind.
        return report if report.row_kind == row_kind else UnitTable(user, report.year, row_kind)

    return [
        OverviewSheet(report),
        UnitsSheet(
            pgettext_lazy("annual workbook sheet", "By street"),
            table("street"),
            name_column=gettext_lazy("Street"),
        ),
        UnitsSheet(
            pgettext_lazy("annual workbook sheet", "By community"),
            table("community"),
            name_column=gettext_lazy("Community"),
        ),
        CourtyardsSheet(user, report.year),
        PeopleSheet(user, report.year),
        ProjectsSheet(user, report.year),
        InspectionsSheet(user, report.year),
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


def workbook_download(user, year):
    """The download, and how many people's records its 自治组织 sheet carries."""
    report, _computed_at = kept_annual_report(user, year)
    sheets = annual_sheets(user, report)
    response = workbook_response(
        sheets,
        filename=workbook_filename(report),
        heading=workbook_heading(report),
        scope_label=report.scope_name,
    )
    people = next(sheet for sheet in sheets if isinstance(sheet, PeopleSheet))
    return response, people.memberships.count()
