import datetime

from django import template
from django.conf import settings
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.db.models import Exists
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()

# Beyond this span (a date typed as 2206) the years are listed as Django lists them.
MOST_YEARS_ASKED = 50


def date_hierarchy(cl):
    """The admin's date drill-down, as Django's (`admin_list.date_hierarchy`), but with the
    years, and a year's months, found by one EXISTS each on the field's index, all in one
    query.

    Django finds them with a DISTINCT over every row in the list: 630 ms for the city's
    1.15 million concerns. A month's days are few, so Django still lists those.
    """
    field_name = cl.date_hierarchy
    params = {part: cl.params.get(f"{field_name}__{part}") for part in ("year", "month", "day")}
    if params["month"] or params["day"]:
        return admin_list.date_hierarchy(cl)
    is_datetime = isinstance(get_fields_from_path(cl.model, field_name)[-1], models.DateTimeField)

    def start(year, month=1):
        if month > 12:
            year, month = year + 1, 1
        if not is_datetime:
            return datetime.date(year, month, 1)
        moment = datetime.datetime(year, month, 1)
        return timezone.make_aware(moment) if settings.USE_TZ else moment

    def holding_rows(periods):
        """The keys of `periods` ({key: (first, after)}) in which the list has a row."""
        in_period = {
            f"holds_{key}": Exists(
                cl.queryset.filter(**{f"{field_name}__gte": first, f"{field_name}__lt": after})
            )
            for key, (first, after) in periods.items()
        }
        found = cl.model._base_manager.annotate(**in_period).values(*in_period)[:1]
        holds = found[0] if found else {}
        return [key for key in periods if holds.get(f"holds_{key}")]

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    if params["year"]:
        year = int(params["year"])
    else:
        bounds = cl.queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if bounds["first"] is None:
            return admin_list.date_hierarchy(cl)
        first, last = (
            timezone.localtime(value) if is_datetime and timezone.is_aware(value) else value
            for value in (bounds["first"], bounds["last"])
        )
        if (first.year, first.month) == (last.year, last.month):
            return admin_list.date_hierarchy(cl)  # one month: Django lists its days
        if last.year - first.year >= MOST_YEARS_ASKED:
            return admin_list.date_hierarchy(cl)  # a mistyped year: not a question per year
        if first.year != last.year:
            years = {
                year: (start(year), start(year + 1)) for year in range(first.year, last.year + 1)
            }
            return {
                "show": True,
                "back": None,
                "choices": [
                    {"link": link({f"{field_name}__year": str(year)}), "title": str(year)}
                    for year in holding_rows(years)
                ],
            }
        year = first.year
    return {
        "show": True,
        "back": {"link": link({}), "title": _("All dates")},
        "choices": [
            {
                "link": link({f"{field_name}__year": year, f"{field_name}__month": month}),
                "title": capfirst(
                    formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
                ),
            }
            for month in holding_rows(
                {month: (start(year, month), start(year, month + 1)) for month in range(1, 13)}
            )
        ],
    }


@register.tag(name="date_hierarchy")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=date_hierarchy, template_name="date_hierarchy.html",
        takes_context=False,
    )  # fmt: skip
