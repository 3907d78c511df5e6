"""The concern register: the concerns in the user's scope, filtered (status, class,
lateness, category, channel, street, community, dates, search), with totals and an Excel
export of exactly the filtered rows."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from concerns.exports import ConcernRegisterSheet, register_summary
from concerns.forms import ConcernRegisterFilter
from concerns.selectors import concern_register, register_totals
from portal.access import (
    mask_phone,
    may_see_personal_data,
    record_personal_data_access,
    scope_label,
)
from portal.excel import workbook_response

PER_PAGE = 50


@login_required
@permission_required("concerns.view_concern", raise_exception=True)
def register(request):
    filters = ConcernRegisterFilter(request, concern_register(request.user))
    concerns = filters.qs.order_by("-received_at", "-pk")
    totals = register_totals(filters, request.user)
    if request.GET.get("format") == "xlsx":
        record_personal_data_access(
            request, action="export", what=_("Concern register"), records=totals["received"]
        )
        return workbook_response(
            [ConcernRegisterSheet(concerns, totals, request.user)],
            filename=_("Concern register %(date)s.xlsx")
            % {"date": timezone.localdate().isoformat()},
            heading=_("Concern register"),
            scope_label=scope_label(request.user),
            criteria=filters.described(),
        )
    paginator = Paginator(concerns, PER_PAGE)
    paginator.count = totals["received"]  # the same rows: counted once, not twice
    page = paginator.get_page(request.GET.get("page"))
    full_phones = may_see_personal_data(request.user)
    record_personal_data_access(
        request, action="view", what=_("Concern register"), records=len(page.object_list)
    )
    for concern in page:
        concern.phone_shown = (
            concern.resident_phone if full_phones else mask_phone(concern.resident_phone)
        )
    return render(
        request,
        "concerns/register.html",
        {
            "form": filters.form,
            "page": page,
            "totals": totals,
            "summary": register_summary(totals),
            "may_receive": request.user.has_perm("concerns.add_concern"),
        },
    )
