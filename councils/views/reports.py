"""The courtyards outside one representative per 50–200 households, with its export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.exports import RepresentationSheet
from councils.forms import RepresentationFilter
from councils.selectors import HOUSEHOLDS_PER_REPRESENTATIVE, courtyards_outside_representation_rule
from portal.access import scope_label
from portal.excel import workbook_response


@login_required
def representation(request):
    filters = RepresentationFilter(request, courtyards_outside_representation_rule(request.user))
    rows = filters.qs
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [RepresentationSheet(rows)],
            filename=_("Representation %(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
            heading=_("Courtyards outside 50–200 households per representative"),
            scope_label=scope_label(request.user),
        )
    low, high = HOUSEHOLDS_PER_REPRESENTATIVE
    return render(
        request,
        "councils/representation.html",
        {
            "form": filters.form,
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "low": low,
            "high": high,
        },
    )
