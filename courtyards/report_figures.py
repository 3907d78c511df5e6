"""The annual report's figures courtyards contributes (AppConfig.annual_figures).

Each is defined here with its definition written beside it; portal.reports computes them
and decides where they appear."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.figures import COUNT, Figure

# Courtyards are read as at the report date (31 December, or today): open on it means not
# closed on or before it.
FIGURES = [
    Figure(
        "courtyard_count",
        pgettext_lazy("annual figure", "Courtyards"),
        COUNT,
        gettext_lazy("Courtyards not closed on or before the report date (31 December, or today)."),
    ),
    Figure(
        "old_courtyard_count",
        pgettext_lazy("annual figure", "Old compounds without property management"),
        COUNT,
        gettext_lazy(
            "Of those, old compounds without property management (无物管老式院落), the "
            "programme's subject."
        ),
    ),
    Figure(
        "households",
        pgettext_lazy("annual figure", "Households"),
        pgettext_lazy("unit", "households"),
        gettext_lazy("Households of the courtyards not closed on the report date."),
    ),
    Figure(
        "remediated_in_year",
        pgettext_lazy("annual figure", "Courtyards remediated in the year"),
        COUNT,
        gettext_lazy(
            "Courtyards not closed on the report date whose remediation (整治) is recorded as "
            "done with the year as its year."
        ),
    ),
    Figure(
        "remediation_in_progress",
        pgettext_lazy("annual figure", "Remediation in progress"),
        COUNT,
        gettext_lazy(
            "Courtyards not closed whose remediation is recorded as in progress. The register "
            "keeps only the present state: shown for the running year only."
        ),
    ),
    Figure(
        "remediation_planned",
        pgettext_lazy("annual figure", "Remediation planned"),
        COUNT,
        gettext_lazy(
            "Courtyards not closed whose remediation is recorded as planned. The register "
            "keeps only the present state: shown for the running year only."
        ),
    ),
]
