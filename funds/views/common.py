"""What the fund's views share: the year asked for and the unit money is shown in."""

from funds.models import FIRST_YEAR, LAST_YEAR
from portal.params import year_param


def year_from(request, name="year"):
    """The year in the query string, or the current year when absent or out of range."""
    return year_param(request, name, first=FIRST_YEAR, last=LAST_YEAR)


def unit_from(request, default):
    """ "wan" (万元) or "yuan" (元), as asked in the query string."""
    unit = request.GET.get("unit")
    return unit if unit in ("wan", "yuan") else default
