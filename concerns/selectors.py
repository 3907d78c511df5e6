"""The register's rows and totals. The totals are those of the filtered rows, so they
always match the list: narrowed only by place and lateness, they are added up from each
community's kept totals (a city's 1.15 million concerns are not counted on every visit);
narrowed by anything else, the rows are counted in one aggregate."""

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from concerns.models import Concern, Status
from courtyards.models import Community
from portal.kept import kept_figures, report_date

# The filters the kept totals can follow: the place, and whether a concern is late.
KEPT_FILTERS = {"street", "community", "overdue"}
TOTALS = ["received", "answered", "resolved", "overdue", "dissatisfied"]
REGISTER_COUNTS = [*TOTALS, *(f"late_{key}" for key in TOTALS)]


def concern_register(user):
    return (
        Concern.objects.visible_to(user)
        .with_status()
        .select_related("community__street", "courtyard")
    )


def register_totals(filters, user):
    """{received, answered, resolved, overdue, dissatisfied} over the rows `filters` (a
    ConcernRegisterFilter over `concern_register(user)`) lets through."""
    filters.form.is_valid()  # cleans each filter: one given a value it cannot use narrows nothing
    data = filters.form.cleaned_data
    in_effect = {name for name, value in data.items() if value not in (None, "")}
    if in_effect - KEPT_FILTERS:
        conditions = _conditions(timezone.localdate())
        return filters.qs.aggregate(
            **{key: Count("pk", filter=condition or None) for key, condition in conditions.items()}
        )
    communities = Community.objects.visible_to(user)
    if data.get("street"):
        communities = communities.filter(street=data["street"])
    if data.get("community"):
        communities = communities.filter(pk=data["community"].pk)
    pks = list(communities.values_list("pk", flat=True))
    kept = kept_figures("concern_register", pks, timezone.localdate().year).values()
    summed = {key: sum(values[key] for values in kept) for key in REGISTER_COUNTS}
    late = {key: summed[f"late_{key}"] for key in TOTALS}
    if data.get("overdue") == "yes":
        return late
    if data.get("overdue") == "no":
        return {key: summed[key] - late[key] for key in TOTALS}
    return {key: summed[key] for key in TOTALS}


def register_counts(pks, year):
    """{community pk: its register's totals as they stood at the report date}, each also
    over the late concerns alone (`late_...`): the register's set of kept figures
    (AppConfig.kept_figures, portal/kept.py). Every concern received by then counts,
    whatever the year; the register reads the running year's rows, as at today."""
    on = report_date(year)
    conditions = _conditions(on)
    late = conditions["overdue"]
    counted = {key: Count("pk", filter=condition or None) for key, condition in conditions.items()}
    counted |= {
        f"late_{key}": Count("pk", filter=condition & late) for key, condition in conditions.items()
    }
    grouped = (
        Concern.objects.filter(community__in=pks, received_at__lt=_end_of(on))
        .order_by()
        .values("community")
        .annotate(**counted)
    )
    found = {row.pop("community"): row for row in grouped}
    return {pk: found.get(pk) or dict.fromkeys(REGISTER_COUNTS, 0) for pk in pks}


def _conditions(on):
    """{total: the condition a concern meets to be counted in it, as at the day `on`}."""
    end = _end_of(on)
    answered = Q(answered_at__lt=end)
    return {
        "received": Q(),
        "answered": answered,
        "resolved": Q(resolved_at__lt=end),
        # as Concern.objects.with_status(on) counts it: not answered and past the deadline,
        # or answered after it
        "overdue": (~answered & Q(answer_due__lt=on))
        | (answered & Q(answered_on__gt=F("answer_due"))),
        "dissatisfied": Q(satisfaction=Concern.Satisfaction.DISSATISFIED, visited_at__lt=end),
    }


def _end_of(day):
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def open_concerns_of(communities):
    """Every concern still open in these communities, oldest first (the duty officer's list)."""
    return (
        Concern.objects.filter(community__in=communities)
        .open()
        .with_status()
        .select_related("community", "courtyard")
        .order_by("answer_due", "received_at")
    )


STATUSES = dict(Status.choices)
