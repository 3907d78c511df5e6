"""The annual report as one workbook: 总览, 分街道, 分社区, 院落明细, 自治组织, 专项资金, 督查结果.

Written by portal.excel's streaming writer, one small Sheet class per sheet; every sheet is
narrowed to the requesting user's scope, and the people sheet carries phones and addresses
only for roles that may see personal data.
"""

from django.db.models import F, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from councils.models import Body, Coverage, Membership, Organisation, Person, Role
from courtyards.models import Courtyard
from funds.models import Project
from funds.selectors import (
    annotate_fund_figures,
    fund_totals,
    project_totals,
    projects_with_spending,
)
from inspections.models import Inspection, Verdict
from portal.access import may_see_personal_data
from portal.annual.figures import (
    BY_KEY,
    FIGURES,
    PER_UNIT,
    UnitTable,
    in_wan,
    kept_annual_report,
    open_on,
    report_date,
)
from portal.excel import DATE, INTEGER, PERCENT, YUAN, Column, Formatted, Sheet, workbook_response

WAN_FORMAT = "#,##0.00"
SCORE = "0.0"


def _labels(choices):
    """{value: translated label} as plain text, translated once per export, not per row."""
    return {value: str(label) for value, label in choices.choices}


def _formatted(value, key):
    kind = BY_KEY[key].kind
    if value is None:
        return None
    if kind == "money":
        return Formatted(in_wan(value), WAN_FORMAT)
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
        Column(gettext_lazy("Definition"), 70),
    ]

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


class UnitsSheet(Sheet):
    """One row per street or community with every per-unit figure, the 本级 row and 合计, from
    a table: the report itself or a UnitTable read while writing."""

    def __init__(self, title, table, name_column):
        self.title = title
        self.table = table
        self.columns = [
            Column(gettext_lazy("No."), 6),
            Column(name_column, 16),
            *[Column(f"{figure.label}({figure.unit})", 12) for figure in PER_UNIT],
        ]

    def rows(self):
        for number, row in enumerate(self.table.rows, start=1):
            yield [number, row["unit"].name, *[_formatted(row[f.key], f.key) for f in PER_UNIT]]
        above = self.table.above
        if any(above.values()):
            yield [
                "",
                _("Organised above these units"),
                *[
                    _formatted(above.get(f.key, 0), f.key) if f.kind != "rate" else None
                    for f in PER_UNIT
                ],
            ]

    def totals(self):
        totals = self.table.totals
        return [_("Total"), "", *[_formatted(totals[f.key], f.key) for f in PER_UNIT]]


class CourtyardsSheet(Sheet):
    title = pgettext_lazy("annual workbook sheet", "Courtyards")
    columns = [
        Column(gettext_lazy("No."), 6),
        Column(gettext_lazy("Street"), 14),
        Column(gettext_lazy("Community"), 14),
        Column(gettext_lazy("Courtyard"), 22),
        Column(gettext_lazy("Kind"), 16),
        Column(gettext_lazy("Households"), 10, INTEGER),
        Column(gettext_lazy("Residents"), 10, INTEGER),
        Column(gettext_lazy("Self-governance organisation"), 24),
        Column(gettext_lazy("From the district (yuan)"), 14, YUAN),
        Column(gettext_lazy("From the streets (yuan)"), 14, YUAN),
        Column(gettext_lazy("Spent (yuan)"), 14, YUAN),
        Column(gettext_lazy("Self-raised income (yuan)"), 14, YUAN),
        Column(gettext_lazy("Latest inspection verdict"), 12),
    ]

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
        self.year = year
        self.base = Courtyard.objects.visible_to(user).filter(open_on(on))
        self.courtyards = annotate_fund_figures(self.base, year, "courtyard").annotate(
            organisation_name=Subquery(covering.values("organisation__name")[:1]),
            verdict=Subquery(latest),
        )

    def rows(self):
        kinds = _labels(Courtyard.Kind)
        verdicts = _labels(Verdict)
        values = self.courtyards.order_by(
            "community__street__code", "community__street__name", "community__name", "name"
        ).values_list(
            "community__street__name",
            "community__name",
            "name",
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
            yield [
                number,
                street,
                community,
                name,
                str(kinds[kind]),
                households,
                residents,
                organisation or _("None"),
                district,
                street_money,
                spent,
                income,
                str(verdicts[verdict]) if verdict else "",
            ]

    def totals(self):
        sizes = self.base.aggregate(households=Sum("households"), residents=Sum("residents"))
        money = fund_totals(self.year, "courtyard", self.base)
        return [
            _("Total"),
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
            Column(gettext_lazy("Self-governance organisation"), 24),
            Column(gettext_lazy("Body"), 16),
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
            "body__organisation__community__street__name",
            "body__organisation__community__name",
            "body__organisation__name",
            "body__kind",
            "role",
            "person__name",
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

    def __init__(self, user, year):
        self.projects = Project.objects.visible_to(user).filter(year=year)

    def rows(self):
        categories = _labels(Project.Category)
        statuses = _labels(Project.Status)
        values = (
            projects_with_spending(self.projects)
            .order_by(
                "courtyard__community__street__name",
                "courtyard__community__name",
                "courtyard__name",
                "pk",
            )
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

    def __init__(self, user, year):
        self.visits = (
            Inspection.objects.visible_to(user).filter(assignment__campaign__year=year).current()
        )

    def rows(self):
        verdicts = _labels(Verdict)
        values = self.visits.order_by(
            "assignment__campaign__starts_on",
            "assignment__community__street__name",
            "assignment__community__name",
            F("assignment__courtyard__name").asc(nulls_first=True),
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


def workbook_download(user, year):
    """The download, and how many people's records its 自治组织 sheet carries."""
    report, _computed_at = kept_annual_report(user, year)
    sheets = annual_sheets(user, report)
    response = workbook_response(
        sheets,
        filename=workbook_filename(report),
        heading=_("Annual report %(year)s") % {"year": year},
        scope_label=report.scope_name,
    )
    people = next(sheet for sheet in sheets if isinstance(sheet, PeopleSheet))
    return response, people.memberships.count()
