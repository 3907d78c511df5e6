"""The meeting register: district and street staff oversee the meetings of many courtyards,
filter them (street, community, courtyard, body, kind, dates, status, quorum), see their
totals and export exactly the rows they filtered. Community members record meetings from
their courtyards' cards (councils/views/meetings.py, `meeting_list`)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.exports import MeetingRegisterSheet, listed_meetings
from councils.selectors.register import register_totals
from portal import exports
from portal.access import scope_label
from portal.excel import workbook_response

PER_PAGE = 50


@login_required
@permission_required("councils.use_meeting_register", raise_exception=True)
def meeting_register(request):
    filters, meetings, sort = listed_meetings(request)
    totals = register_totals(filters.qs)
    if request.GET.get("format") == "xlsx":
        return _export(request, filters, meetings, totals)
    return render(
        request,
        "councils/meeting_register.html",
        {
            "form": filters.form,
            "page": Paginator(meetings, PER_PAGE).get_page(request.GET.get("page")),
            "sort": sort,
            "totals": totals,
        },
    )


def _export(request, filters, meetings, totals):
    """The register's workbook: written at once, or by the worker when it holds more
    meetings than BACKGROUND_EXPORT_ROWS (the user is sent to the job's page)."""
    filename = _("Meeting register %(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    if totals["meetings"] > settings.BACKGROUND_EXPORT_ROWS:
        query = request.GET.copy()
        query.pop("format", None)
        job = exports.start(
            request,
            "meeting_register",
            {"query": query.urlencode(), "filename": filename},
            title=_("Meeting register"),
            rows_total=totals["meetings"],
        )
        return redirect(job)
    return workbook_response(
        [MeetingRegisterSheet(meetings, totals)],
        filename=filename,
        heading=_("Meeting register"),
        scope_label=scope_label(request.user),
        criteria=filters.described(),
    )
