"""Households per representative: the courtyards outside the district's own rule where it
sets one, or every covered courtyard as information where no rule applies; with its
export."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.exports import RepresentationSheet
from councils.forms import RepresentationFilter
from councils.selectors import (
    courtyards_outside_representation_rule,
    courtyards_with_representation,
    representation_bands,
)
from portal.access import scope_label
from portal.excel import workbook_response


@login_required
def representation(request):
    bands = representation_bands(request.user)
    if bands:
        rows = courtyards_outside_representation_rule(request.user)
        heading = _("Courtyards outside the district's households per representative")
    else:
        rows = courtyards_with_representation(request.user)
        heading = _("Households per representative (no rule set)")
    filters = RepresentationFilter(request, rows)
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [RepresentationSheet(filters.qs, title=heading)],
            filename=_("Representation %(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
            heading=heading,
            scope_label=scope_label(request.user),
        )
    return render(
        request,
        "councils/representation.html",
        {
            "form": filters.form,
            "page": Paginator(filters.qs, 50).get_page(request.GET.get("page")),
            "bands": bands,
            "heading": heading,
        },
    )
