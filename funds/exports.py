"""Workbooks of the fund's reports, written through portal.excel. Amounts in yuan with two
decimals: exact figures that people can add up again in Excel."""

from django.utils.translation import gettext_lazy as _

from funds.formatting import mask_name
from funds.models import Expenditure, Income, Project, Source
from portal.access import may_see_personal_data
from portal.excel import DATE, PERCENT, YUAN, Column, Sheet

UNIT_HEADERS = {
    "street": _("Street"),
    "community": _("Community"),
    "courtyard": _("Courtyard"),
}


def _ratio(part, whole):
    return float(part / whole) if whole else None


class FundReportSheet(Sheet):
    """One row per unit of the report (streets, communities or courtyards) and the 合计."""

    title = _("Fund by unit")

    def __init__(self, report, rows):
        self.report = report
        self.row_list = rows
        self.columns = [
            Column(_("No."), 6),
            Column(UNIT_HEADERS[report.row_kind], 22),
            Column(_("District allocation (yuan)"), 16, YUAN),
            Column(_("Street allocation (yuan)"), 16, YUAN),
            Column(_("Allocated (yuan)"), 16, YUAN),
            Column(_("Spent (yuan)"), 16, YUAN),
            Column(_("Balance (yuan)"), 16, YUAN),
            Column(_("Execution rate"), 10, PERCENT),
            Column(_("Self-raised income (yuan)"), 16, YUAN),
        ]

    def rows(self):
        for number, row in enumerate(self.row_list, start=1):
            yield [number, row.name, *self._figures(row)]
        # the 社区本级 rows of a table of courtyards: the community's own fund
        for row in self.report.own_rows:
            label = _("%(community)s (community's own fund)") % {"community": row.name}
            yield ["", label, *self._figures(row)]

    @staticmethod
    def _figures(row):
        return [
            row.allocated_district,
            row.allocated_street,
            row.allocated,
            row.spent,
            row.balance,
            _ratio(row.spent, row.allocated),
            row.income,
        ]

    def totals(self):
        t = self.report.totals
        return [
            _("Total"),
            "",
            t.allocated_district,
            t.allocated_street,
            t.allocated,
            t.spent,
            t.balance,
            _ratio(t.spent, t.allocated),
            t.income,
        ]


class IncomeByKindSheet(Sheet):
    title = _("Self-raised income")
    columns = [Column(_("No."), 6), Column(_("Kind"), 20), Column(_("Amount (yuan)"), 16, YUAN)]

    def __init__(self, report):
        self.report = report

    def rows(self):
        for number, (label, amount) in enumerate(self.report.income_by_kind, start=1):
            yield [number, label, amount]

    def totals(self):
        return [_("Total"), "", self.report.totals.income]


class ProjectListSheet(Sheet):
    """Projects with budget against spending, as filtered on the page."""

    title = _("Projects")
    columns = [
        Column(_("No."), 6),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Courtyard"), 20),
        Column(_("Year"), 8),
        Column(_("Project"), 28),
        Column(_("Category"), 14),
        Column(_("Status"), 10),
        Column(_("Budget (yuan)"), 14, YUAN),
        Column(_("Spent (yuan)"), 14, YUAN),
        Column(_("Remaining (yuan)"), 14, YUAN),
        Column(_("Execution rate"), 10, PERCENT),
    ]

    def __init__(self, projects, totals):
        self.projects = projects
        self.project_totals = totals

    def rows(self):
        categories = dict(Project.Category.choices)
        statuses = dict(Project.Status.choices)
        own = str(_("Community's own fund"))
        values = self.projects.values_list(
            "community__street__name",
            "community__name",
            "courtyard__name",
            "year",
            "title",
            "category",
            "status",
            "budget",
            "spent",
            "remaining",
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            street, community, courtyard, year, title, category, status, budget, spent, left = row
            yield [
                number,
                street,
                community,
                courtyard or own,
                year,
                title,
                str(categories[category]),
                str(statuses[status]),
                budget,
                spent,
                left,
                _ratio(spent, budget),
            ]

    def totals(self):
        t = self.project_totals
        return [
            _("Total"),
            *[""] * 7,
            t["budget"],
            t["spent"],
            t["remaining"],
            _ratio(t["spent"], t["budget"]),
        ]


class AllocationSheet(Sheet):
    """A courtyard's allocations of a year; withdrawn ones are listed, not counted."""

    title = _("Allocations")
    columns = [
        Column(_("No."), 6),
        Column(_("Date"), 12, DATE),
        Column(_("Source"), 12),
        Column(_("Document number"), 24),
        Column(_("Amount (yuan)"), 14, YUAN),
        Column(_("Withdrawn on"), 12, DATE),
        Column(_("Note"), 36),
    ]

    def __init__(self, allocations, total):
        self.allocations = allocations
        self.total = total

    def rows(self):
        sources = dict(Source.choices)
        values = self.allocations.values_list(
            "allocated_on", "source", "document_number", "amount", "withdrawn_on", "note"
        )
        for number, (day, source, document, amount, withdrawn, note) in enumerate(values, start=1):
            yield [number, day, str(sources[source]), document, amount, withdrawn, note]

    def totals(self):
        return [_("Total"), "", "", "", self.total, "", _("withdrawn allocations excluded")]


class ExpenditureSheet(Sheet):
    """Expenditures as recorded, reversing entries negative; individuals' names only for
    those who may see personal data."""

    title = _("Expenditures")
    columns = [
        Column(_("No."), 6),
        Column(_("Date"), 12, DATE),
        Column(_("Voucher number"), 14),
        Column(_("Project"), 24),
        Column(_("Payee"), 24),
        Column(_("Description"), 30),
        Column(_("Amount (yuan)"), 14, YUAN),
        Column(_("Reverses voucher"), 14),
    ]

    def __init__(self, expenditures, total, user):
        self.expenditures = expenditures
        self.total = total
        self.personal = may_see_personal_data(user)

    def rows(self):
        values = self.expenditures.values_list(
            "spent_on",
            "voucher_number",
            "project__title",
            "payee",
            "payee_kind",
            "description",
            "amount",
            "reverses__voucher_number",
        )
        for number, row in enumerate(values, start=1):
            day, voucher, project, payee, kind, description, amount, reverses = row
            if kind == Expenditure.PayeeKind.PERSON and not self.personal:
                payee = mask_name(payee)
            yield [
                number,
                day,
                voucher,
                project,
                payee,
                description,
                -amount if reverses else amount,
                reverses or "",
            ]

    def totals(self):
        return [_("Total"), "", "", "", "", "", self.total, ""]


class IncomeSheet(Sheet):
    title = _("Self-raised income")
    columns = [
        Column(_("No."), 6),
        Column(_("Date"), 12, DATE),
        Column(_("Kind"), 14),
        Column(_("Note"), 36),
        Column(_("Amount (yuan)"), 14, YUAN),
    ]

    def __init__(self, income, total):
        self.income = income
        self.total = total

    def rows(self):
        kinds = dict(Income.Kind.choices)
        values = self.income.values_list("received_on", "kind", "note", "amount", "reverses")
        for number, (day, kind, note, amount, reverses) in enumerate(values, start=1):
            yield [number, day, str(kinds[kind]), note, -amount if reverses else amount]

    def totals(self):
        return [_("Total"), "", "", "", self.total]


class AllocationListSheet(Sheet):
    """Allocations across the user's scope, as filtered on the page; withdrawn ones are
    listed with their date and reason and left out of the total."""

    title = _("Allocations")
    title_columns = 4
    columns = [
        Column(_("No."), 6),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Courtyard"), 20),
        Column(_("Year"), 8),
        Column(_("Date"), 12, DATE),
        Column(_("Source"), 12),
        Column(_("Document number"), 24),
        Column(_("Amount (yuan)"), 14, YUAN),
        Column(_("Withdrawn on"), 12, DATE),
        Column(_("Reason for withdrawal"), 24),
        Column(_("Note"), 30),
    ]

    def __init__(self, allocations, totals):
        self.allocations = allocations
        self.allocation_totals = totals

    def rows(self):
        sources = dict(Source.choices)
        own = str(_("Community's own fund"))
        values = self.allocations.values_list(
            "community__street__name",
            "community__name",
            "courtyard__name",
            "year",
            "allocated_on",
            "source",
            "document_number",
            "amount",
            "withdrawn_on",
            "withdrawn_reason",
            "note",
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            street, community, courtyard, year, day, source, document, amount, *withdrawal = row
            yield [
                number,
                street,
                community,
                courtyard or own,
                year,
                day,
                str(sources[source]),
                document,
                amount,
                *withdrawal,
            ]

    def totals(self):
        return [
            _("Total"),
            *[""] * 7,
            self.allocation_totals["amount"],
            "",
            "",
            _("withdrawn allocations excluded"),
        ]
