from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import may_read_annual_report
from portal.charts import Series, bar_chart
from portal.params import year_param
from portal.reports.concerns import kept_concern_table
from portal.reports.figures import (
    BY_KEY,
    FIGURES,
    TABLES,
    in_wan,
    kept_annual_report,
    narrative,
)
from portal.reports.workbook import in_background, workbook_download, workbook_job

YEARS_BACK = 10


def _year(request):
    """The report covers the years its select offers (the last YEARS_BACK and this one), not
    the portal's whole range: any other year falls back to this year, as on every page."""
    this_year = timezone.localdate().year
    return year_param(request, first=this_year - YEARS_BACK, last=this_year)


def _charts(report):
    labels = [row["unit"].name for row in report.rows]
    return [
        bar_chart(
            labels,
            [
                Series(
                    _("From the district"), [in_wan(r["allocated_district"]) for r in report.rows]
                ),
                Series(_("From the streets"), [in_wan(r["allocated_street"]) for r in report.rows]),
            ],
            title=_("Special fund by unit (10k yuan)"),
            unit=str(BY_KEY["allocated"].unit),
            decimals=2,
        ),
        bar_chart(
            labels,
            [
                Series(_("Courtyards"), [r["courtyard_count"] for r in report.rows]),
                Series(
                    _("Covered by organisations"), [r["courtyards_covered"] for r in report.rows]
                ),
                Series(
                    _("Old compounds without property management"),
                    [r["old_courtyard_count"] for r in report.rows],
                ),
                Series(
                    _("Old compounds covered"), [r["old_courtyards_covered"] for r in report.rows]
                ),
            ],
            title=_("Coverage of courtyards by self-governance organisations"),
        ),
        bar_chart(
            labels,
            [
                Series(_("Inspected"), [r["courtyards_inspected"] for r in report.rows]),
                Series(_("Commended"), [r["commended"] for r in report.rows]),
                Series(_("Criticised"), [r["criticised"] for r in report.rows]),
            ],
            title=_("Inspection results: courtyards"),
        ),
    ]


@login_required
def annual_report_page(request):
    if not may_read_annual_report(request.user):
        raise PermissionDenied
    year = _year(request)
    if request.GET.get("format") == "xlsx":
        if in_background(request.user):
            return redirect(workbook_job(request, year))
        return workbook_download(request.user, year)
    report, computed_at = kept_annual_report(request.user, year)
    this_year = timezone.localdate().year
    return render(
        request,
        "portal/annual_report.html",
        {
            "report": report,
            "computed_at": computed_at,
            "figures": FIGURES,
            "tables": [
                (
                    title,
                    [BY_KEY[key] for key in keys],
                    keys,
                    any(key in report.above for key in keys),
                )
                for title, keys in TABLES
            ],
            "narrative": narrative(report),
            "concerns": kept_concern_table(request.user, year, report.row_kind),
            "charts": _charts(report),
            "years": range(this_year, this_year - YEARS_BACK - 1, -1),
        },
    )
