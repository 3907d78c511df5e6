"""The annual report's figures courtyards contributes (AppConfig.annual_figures).

Each is defined here with its definition written beside it; portal.reports computes them
and decides where they appear."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.figures import COUNT, Figure

FIGURES = [
    Figure(
        "courtyard_count",
        pgettext_lazy("annual figure", "Courtyards"),
        COUNT,
        gettext_lazy("Courtyards not closed on or before the report date (31 December, or today)."),
    ),
]
