"""The annual report's table of residents' concerns (民情诉求): concerns.figures' table for
the report's year and rows, in the report's one order of units, kept like the report until
a record changes. Its own table, beside the report's figures (not among them)."""

from concerns.figures import concern_table
from portal.reports.figures import UNIT_ORDER
from portal.scope_cache import cached_for_scope


def kept_concern_table(user, year, row_kind):
    """`concern_table` of the year for the report's rows (streets or communities)."""
    table, _computed_at = cached_for_scope(
        f"annual-concerns-{year}-{row_kind}",
        user,
        lambda: concern_table(user, year, row_kind, order=UNIT_ORDER[row_kind]),
    )
    return table
