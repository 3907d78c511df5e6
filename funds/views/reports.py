"""The fund's report: allocated, spent, balance, execution and income per unit, drilled
down street → community → courtyard, with a chart, an Excel export and a print view."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from courtyards.models import Community, Street
from funds.exports import FundReportSheet, IncomeByKindSheet
from funds.formatting import in_wan
from funds.selectors import fund_report, years_with_records
from funds.views.common import unit_from
from portal.access import get_visible_or_404, scope_label
from portal.charts import Series, bar_chart
from portal.excel import workbook_response
from portal.params import year_param

SORT_KEYS = ["name", "district", "street", "allocated", "spent", "balance", "execution", "income"]


def _render_report(request, *, street=None, community=None):
    year = year_param(request)
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "name"
    report = fund_report(request.user, year, street=street, community=community, sort=sort)
    rows = list(report.rows)
    place = community or street
    heading = _("Special fund %(year)s") % {"year": year}
    if place is not None:
        heading = _("%(place)s · special fund %(year)s") % {"place": place.name, "year": year}
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [FundReportSheet(report, rows), IncomeByKindSheet(report)],
            filename=f"{heading}.xlsx",
            heading=heading,
            scope_label=str(place) if place is not None else scope_label(request.user),
        )
    unit = unit_from(request, "yuan" if report.row_kind == "courtyard" else "wan")
    unit_label = _("10,000 yuan") if unit == "wan" else _("yuan")
    shown = in_wan if unit == "wan" else (lambda amount: amount)
    chart = bar_chart(
        [row.name for row in rows],
        [
            Series(_("Allocated"), [shown(row.allocated) for row in rows]),
            Series(_("Spent"), [shown(row.spent) for row in rows]),
        ],
        title=_("Allocated and spent by %(unit)s (%(unit_label)s)")
        % {
            "unit": {"street": _("street"), "community": _("community")}.get(
                report.row_kind, _("courtyard")
            ),
            "unit_label": unit_label,
        },
        unit=unit_label,
        decimals=2,
    )
    return render(
        request,
        "funds/report.html",
        {
            "report": report,
            "rows": rows,
            "year": year,
            "years": years_with_records(request.user, year),
            "sort": sort,
            "unit": unit,
            "unit_label": unit_label,
            "chart": chart,
            "heading": heading,
            "place": place,
            "street": street or (community.street if community else None),
            "community": community,
            "printing": request.GET.get("print") == "1",
        },
    )


@login_required
@permission_required("funds.view_allocation", raise_exception=True)
def report(request):
    return _render_report(request)


@login_required
@permission_required("funds.view_allocation", raise_exception=True)
def street_report(request, pk):
    street = get_visible_or_404(Street.objects.select_related("district"), request.user, pk=pk)
    return _render_report(request, street=street)


@login_required
@permission_required("funds.view_allocation", raise_exception=True)
def community_report(request, pk):
    community = get_visible_or_404(
        Community.objects.select_related("street__district"), request.user, pk=pk
    )
    return _render_report(request, community=community)
