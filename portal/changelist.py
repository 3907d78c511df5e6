"""Admin changelists that cost the same for a city as for a district.

- The paginator counts exactly only tables of up to ESTIMATE_ABOVE rows; above that it asks
  the planner for its estimate of the listed query (one EXPLAIN, no scan of the table). Both
  paths cost one query after the size check, so the number of queries does not depend on
  the amount of data.
- Pages after the first read the primary keys of the page first (an index-only walk), then the rows
  (with their joined columns) for those keys only: OFFSET no longer drags the joins along.
- Related-object filters list the related records the user may see from their own (small)
  table, instead of a DISTINCT over the listed (large) table as RelatedOnlyFieldListFilter
  does; a "year" filter offers the last years instead of reading them from the table.
"""

import json

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils import timezone
from django.utils.functional import cached_property

from portal.access import visible

ESTIMATE_ABOVE = 100_000


def table_estimate(model, using="default"):
    """The planner's row count of the model's table (pg_class.reltuples), or None off
    PostgreSQL or before the first ANALYZE."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


def query_estimate(queryset):
    """The planner's estimate of the number of rows `queryset` returns."""
    connection = connections[queryset.db]
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact counts for tables of up to ESTIMATE_ABOVE rows, the planner's estimate above."""

    @cached_property
    def count(self):
        queryset = self.object_list
        rows = table_estimate(queryset.model, queryset.db)
        if rows is not None and rows > ESTIMATE_ABOVE:
            self.estimated = True
            return query_estimate(queryset)
        self.estimated = False
        return queryset.count()

    def page(self, number):
        number = self.validate_number(number)
        if number == 1:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return self._get_page(_LatePage(self.object_list, bottom, top), number, self)


class _LatePage:
    """A page's rows read in two steps: the keys by position, then the rows by key."""

    def __init__(self, queryset, bottom, top):
        self.queryset, self.bottom, self.top = queryset, bottom, top

    @cached_property
    def rows(self):
        keys = list(self.queryset.values_list("pk", flat=True)[self.bottom : self.top])
        by_key = {row.pk: row for row in self.queryset.order_by().filter(pk__in=keys)}
        return [by_key[key] for key in keys if key in by_key]

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self.rows[index]


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Choices are the related records the user may see, read from their own table."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        # Names of units and campaigns include their parents': fetch those in the same query.
        queryset = visible(related._default_manager.select_related(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


class YearFilter(admin.AllValuesFieldListFilter):
    """The last YEARS years and the next, instead of a DISTINCT over the listed table."""

    YEARS = 10

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        this_year = timezone.localdate().year
        self.lookup_choices = list(range(this_year + 1, this_year - self.YEARS, -1))


def scoped_filters(list_filter):
    """`list_filter` with RelatedOnlyFieldListFilter replaced by ScopedRelatedFilter and
    the "year" field's filter by YearFilter."""
    replaced = []
    for item in list_filter:
        if isinstance(item, tuple) and item[1] is admin.RelatedOnlyFieldListFilter:
            item = (item[0], ScopedRelatedFilter)
        elif item == "year":
            item = ("year", YearFilter)
        replaced.append(item)
    return replaced
