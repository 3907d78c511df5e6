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
    drill = DrillDown(cl)
    if drill.params["month"] or drill.params["day"]:
        return admin_list.date_hierarchy(cl)
    if drill.params["year"]:
        return drill.months(int(drill.params["year"]))
    first, last = drill.bounds()
    if first is None or (first.year, first.month) == (last.year, last.month):
        return admin_list.date_hierarchy(cl)  # nothing, or one month: Django lists its days
    if last.year - first.year >= MOST_YEARS_ASKED:
        return admin_list.date_hierarchy(cl)  # a mistyped year: not a question per year
    if first.year == last.year:
        return drill.months(first.year)
    return drill.years(first.year, last.year)


class DrillDown:
    def __init__(self, cl):
        self.cl, self.field_name = cl, cl.date_hierarchy
        self.params = {
            part: cl.params.get(f"{self.field_name}__{part}") for part in ("year", "month", "day")
        }
        field = get_fields_from_path(cl.model, self.field_name)[-1]
        self.is_datetime = isinstance(field, models.DateTimeField)

    def bounds(self):
        """The first and last dates of the list (local ones for a datetime), or Nones."""
        found = self.cl.queryset.aggregate(
            first=models.Min(self.field_name), last=models.Max(self.field_name)
        )
        if found["first"] is None or not (self.is_datetime and settings.USE_TZ):
            return found["first"], found["last"]
        return timezone.localtime(found["first"]), timezone.localtime(found["last"])

    def years(self, first, last):
        years = {
            year: (self._start(year), self._start(year + 1)) for year in range(first, last + 1)
        }
        return {
            "show": True,
            "back": None,
            "choices": [
                {"link": self._link({f"{self.field_name}__year": str(year)}), "title": str(year)}
                for year in self._holding_rows(years)
            ],
        }

    def months(self, year):
        months = {
            month: (self._start(year, month), self._start(year, month + 1))
            for month in range(1, 13)
        }
        return {
            "show": True,
            "back": {"link": self._link({}), "title": _("All dates")},
            "choices": [
                {
                    "link": self._link(
                        {f"{self.field_name}__year": year, f"{self.field_name}__month": month}
                    ),
                    "title": capfirst(
                        formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
                    ),
                }
                for month in self._holding_rows(months)
            ],
        }

    def _start(self, year, month=1):
        if month > 12:
            year, month = year + 1, 1
        if not self.is_datetime:
            return datetime.date(year, month, 1)
        moment = datetime.datetime(year, month, 1)
        return timezone.make_aware(moment) if settings.USE_TZ else moment

    def _holding_rows(self, periods):
        """The keys of `periods` ({key: (first, after)}) in which the list has a row."""
        name = self.field_name
        in_period = {
            f"holds_{key}": Exists(
                self.cl.queryset.filter(**{f"{name}__gte": first, f"{name}__lt": after})
            )
            for key, (first, after) in periods.items()
        }
        found = self.cl.model._base_manager.annotate(**in_period).values(*in_period)[:1]
        holds = found[0] if found else {}
        return [key for key in periods if holds.get(f"holds_{key}")]

    def _link(self, filters):
        return self.cl.get_query_string(filters, [f"{self.field_name}__"])


@register.tag(name="date_hierarchy")
def date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=date_hierarchy, template_name="date_hierarchy.html",
        takes_context=False,
    )  # fmt: skip
