"""What the fund's views share: the unit money is shown in."""


def unit_from(request, default):
    """ "wan" (万元) or "yuan" (元), as asked in the query string."""
    unit = request.GET.get("unit")
    return unit if unit in ("wan", "yuan") else default
