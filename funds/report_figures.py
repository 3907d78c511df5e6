"""The annual report's figures funds contributes (AppConfig.annual_figures).

Each is defined here with its definition written beside it; portal.reports computes them
and decides where they appear."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.figures import WAN_YUAN, Figure

FIGURES = [
    Figure(
        "allocated_district",
        pgettext_lazy("annual figure", "Special fund from the district"),
        WAN_YUAN,
        gettext_lazy("Allocations of the year from the district's finance, not withdrawn."),
        kind="money",
    ),
    Figure(
        "allocated_street",
        pgettext_lazy("annual figure", "Special fund from the streets"),
        WAN_YUAN,
        gettext_lazy("Allocations of the year from the streets' finance, not withdrawn."),
        kind="money",
    ),
    Figure(
        "allocated",
        pgettext_lazy("annual figure", "Special fund in all"),
        WAN_YUAN,
        gettext_lazy("District and street allocations of the year together."),
        kind="money",
    ),
    Figure(
        "spent",
        pgettext_lazy("annual figure", "Special fund spent"),
        WAN_YUAN,
        gettext_lazy("Expenditures of the year, reversing entries deducted."),
        kind="money",
    ),
    Figure(
        "execution",
        pgettext_lazy("annual figure", "Execution rate"),
        "%",
        gettext_lazy("Spent divided by allocated."),
        kind="rate",
    ),
    Figure(
        "income",
        pgettext_lazy("annual figure", "Self-raised income"),
        WAN_YUAN,
        gettext_lazy(
            "Courtyards' own income of the year (parking, rental, self-governance fee, "
            "donations...), reversing entries deducted."
        ),
        kind="money",
    ),
]
