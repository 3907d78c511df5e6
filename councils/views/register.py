"""The meeting register: district and street staff oversee the meetings of many courtyards,
filter them (street, community, courtyard, body, kind, dates, status, quorum), see their
totals and export exactly the rows they filtered. Community members record meetings from
their courtyards' cards (councils/views/meetings.py, `meeting_list`)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.exports import MeetingRegisterSheet
from councils.forms.register import MeetingRegisterFilter
from councils.selectors.register import meeting_register as register_rows
from councils.selectors.register import register_totals
from portal.access import scope_label
from portal.excel import workbook_response
from portal.listing import Sorting

PER_PAGE = 50
REGISTER_SORTING = Sorting(
    allowed={
        "held": "held_on",
        "place": (
            "organisation__community__street__code",
            "organisation__community__name",
            "organisation__name",
        ),
        "present": "present",
        "motions": "motion_count",
    },
    default="-held",
)


@login_required
@permission_required("councils.use_meeting_register", raise_exception=True)
def meeting_register(request):
    filters = MeetingRegisterFilter(request, register_rows(request.user))
    meetings, sort = REGISTER_SORTING.apply(filters.qs, request)
    totals = register_totals(filters.qs)
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [MeetingRegisterSheet(meetings, totals)],
            filename=_("Meeting register %(date)s.xlsx")
            % {"date": timezone.localdate().isoformat()},
            heading=_("Meeting register"),
            scope_label=scope_label(request.user),
            criteria=filters.described(),
        )
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
