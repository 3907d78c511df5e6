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
        gettext_lazy(
            "Allocations of the year from the district's finance, to courtyards and to "
            "communities' own funds (社区本级), not withdrawn."
        ),
        kind="money",
    ),
    Figure(
        "allocated_street",
        pgettext_lazy("annual figure", "Special fund from the streets"),
        WAN_YUAN,
        gettext_lazy(
            "Allocations of the year from the streets' finance, to courtyards and to "
            "communities' own funds (社区本级), not withdrawn."
        ),
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
        gettext_lazy(
            "Expenditures of the year, of courtyards and of communities' own funds (社区本级), "
            "reversing entries deducted."
        ),
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
        "balance",
        pgettext_lazy("annual figure", "Special fund balance"),
        WAN_YUAN,
        gettext_lazy(
            "Allocated minus spent in the year; negative where more was spent than allocated."
        ),
        kind="money",
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

# A courtyard's own money (自筹资金), beside the income it is spent from.
FIGURES += [
    Figure(
        "own_spent",
        pgettext_lazy("annual figure", "Self-raised money spent"),
        WAN_YUAN,
        gettext_lazy(
            "Courtyards' spending of their own money dated in the year, each approved by a "
            "resolution of their council or residents' meeting, reversing entries deducted."
        ),
        kind="money",
    ),
    Figure(
        "own_balance",
        pgettext_lazy("annual figure", "Self-raised money balance"),
        WAN_YUAN,
        gettext_lazy(
            "Courtyards' own income minus their own spending, everything dated up to the end "
            "of the year (today for the current year), earlier years included."
        ),
        kind="money",
    ),
]
