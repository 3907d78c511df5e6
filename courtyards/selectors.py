"""Reads of the geography, with the figures pages show, each computed by the database."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from courtyards.models import Community, Courtyard, Street
from portal.kept import add_up


def courtyard_figures(prefix="", open_only=True):
    """Aggregates over the courtyards reached through `prefix` (e.g. "courtyards__"); only
    open ones unless `open_only` is False.

    courtyards_count: their number; old / work_unit / managed: of them, by kind;
    households, residents, buildings: their sums; remediated: of them, remediation done.
    """
    is_open = Q(**{f"{prefix}closed_on__isnull": True}) if open_only else Q()

    def of_kind(kind):
        return Count(f"{prefix}pk", filter=is_open & Q(**{f"{prefix}kind": kind}))

    def total(field):
        return Coalesce(Sum(f"{prefix}{field}", filter=is_open), 0)

    return {
        "courtyards_count": Count(f"{prefix}pk", filter=is_open),
        "old": of_kind(Courtyard.Kind.NO_PROPERTY_MANAGEMENT),
        "work_unit": of_kind(Courtyard.Kind.WORK_UNIT),
        "managed": of_kind(Courtyard.Kind.MANAGED_ESTATE),
        "households": total("households"),
        "residents": total("residents"),
        "buildings": total("buildings"),
        "remediated": Count(
            f"{prefix}pk",
            filter=is_open & Q(**{f"{prefix}remediation": Courtyard.Remediation.DONE}),
        ),
    }


COURTYARD_FIGURES = [
    "courtyards_count",
    "old",
    "work_unit",
    "managed",
    "households",
    "residents",
    "buildings",
    "remediated",
]


def kept_courtyard_figures(pks, year):
    """{community pk: `courtyard_figures` of its courtyards}: the courtyards' set of kept
    figures (AppConfig.kept_figures, portal/kept.py). The register's present state, the same
    whatever the year: the dashboard reads this year's."""
    rows = (
        Community.objects.filter(pk__in=pks)
        .annotate(**courtyard_figures("courtyards__"))
        .values("pk", *COURTYARD_FIGURES)
    )
    return {row.pop("pk"): row for row in rows}


def kept_courtyard_rows(user, unit):
    """The streets (`unit` "street", with their number of communities) or communities the
    user may see, with `courtyard_figures` added up from the kept community rows."""
    communities = Community.objects.visible_to(user)
    if unit == "community":
        units = communities.select_related("street")
    else:
        units = (
            Street.objects.visible_to(user)
            .select_related("district")
            .annotate(communities_count=Count("communities", distinct=True))
            .order_by("code", "name", "pk")  # Meta.ordering does not apply to a GROUP BY
        )
    return add_up("courtyards", list(units), communities, COURTYARD_FIGURES)


def totals_of(rows, unit):
    """The 合计 row of `kept_courtyard_rows`: the sum of its rows."""
    return {
        "communities_count": len(rows)
        if unit == "community"
        else sum(row.communities_count for row in rows),
        **{name: sum(getattr(row, name) for row in rows) for name in COURTYARD_FIGURES},
    }


def communities_with_figures(user, street=None):
    communities = Community.objects.visible_to(user).select_related("street")
    if street is not None:
        communities = communities.filter(street=street)
    return communities.annotate(**courtyard_figures("courtyards__"))


def totals(courtyards, communities):
    """The figures of a table's 合计 row: over the same communities and courtyards as its rows."""
    return {
        "communities_count": communities.count(),
        **courtyards.aggregate(**courtyard_figures()),
    }
