"""A scheme's workbook (portal.excel): the ranking with every indicator's points (考评结果),
and each indicator's definition and scoring rule (指标说明)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.selectors import rule_text
from portal.excel import INTEGER, Column, Sheet

POINTS = "0.00"


class ResultsSheet(Sheet):
    title = gettext_lazy("Assessment results")
    title_columns = 3

    def __init__(self, table):
        self.table = table
        self.columns = [
            Column(_("No."), 6),
            Column(_("Rank"), 8, INTEGER),
            Column(_("Unit assessed"), 24),
            Column(_("Organisations counted"), 10, INTEGER),
            *[
                Column(
                    _("%(title)s (%(weight)s points)") % {"title": i.title, "weight": i.weight},
                    12,
                    POINTS,
                )
                for i in table.indicators
            ],
            Column(_("Total points (of %(full)s)") % {"full": table.full_marks}, 12, POINTS),
        ]

    def rows(self):
        for number, row in enumerate(self.table.rows, start=1):
            yield [
                number,
                row.rank if row.rank is not None else _("Not ranked"),
                row.name,
                row.organisations,
                *[cell.points for cell in row.cells],
                row.total,
            ]

    def notes(self):
        return [
            _(
                "Units with fewer than %(minimum)s courtyard organisations are listed but not "
                "ranked. Ranks are shared by equal totals (1, 2, 2, 4)."
            )
            % {"minimum": self.table.scheme.min_sample}
        ]


class DefinitionsSheet(Sheet):
    title = gettext_lazy("Indicator definitions")
    title_columns = 2
    columns = [
        Column(gettext_lazy("Assessment area"), 14),
        Column(gettext_lazy("Indicator title"), 22),
        Column(gettext_lazy("Weight (points)"), 10, POINTS),
        Column(gettext_lazy("How it is scored"), 14),
        Column(gettext_lazy("Target value"), 10),
        Column(gettext_lazy("Definition and scoring rule"), 60),
    ]

    def __init__(self, table):
        self.table = table

    def rows(self):
        for area in self.table.areas:
            for indicator in area.indicators.all():
                yield [
                    area.title,
                    indicator.title,
                    indicator.weight,
                    indicator.get_kind_display(),
                    _target(indicator),
                    rule_text(indicator),
                ]


def _target(indicator):
    if not indicator.is_computed:
        return ""
    return f"{indicator.target}{indicator.measure_info.unit}"


def results_sheet(table):
    return ResultsSheet(table)


def definitions_sheet(table):
    return DefinitionsSheet(table)
