"""Values pages read from the query string, parsed in one place so that none can end in a
server error: `?year=99999` once reached `datetime.date(99999, 1, 1)`."""

from django.utils import timezone

# The years the portal's records may carry and its pages may ask for: the one range
# (funds.models checks it on save; the annual report narrows it to the years it offers).
FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_param(request, name="year", *, default=None, first=FIRST_YEAR, last=LAST_YEAR):
    """The year in `?<name>=`, from `first` to `last`; when it is absent, not a whole number
    or out of range, `default` (this year unless given)."""
    if default is None:
        default = timezone.localdate().year
    raw = request.GET.get(name, "").strip()
    if not (raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 6):
        return default
    year = int(raw)
    return year if first <= year <= last else default
