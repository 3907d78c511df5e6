"""The annual report's figures inspections contributes (AppConfig.annual_figures).

Each is defined here with its definition written beside it; portal.reports computes them
and decides where they appear."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.figures import COUNT, PEOPLE, Figure

FIGURES = [
    Figure(
        "courtyards_inspected",
        pgettext_lazy("annual figure", "Courtyards inspected"),
        COUNT,
        gettext_lazy(
            "Courtyards visited in the year's inspection campaigns (results published to the unit)."
        ),
    ),
    Figure(
        "communities_inspected",
        pgettext_lazy("annual figure", "Communities inspected"),
        COUNT,
        gettext_lazy(
            "Communities visited themselves or through their courtyards in the year's campaigns."
        ),
    ),
    Figure(
        "commended",
        pgettext_lazy("annual figure", "Courtyards commended"),
        COUNT,
        gettext_lazy(
            "Courtyards whose visit that counts (the latest) ended in commendation (通报表扬)."
        ),
    ),
    Figure(
        "criticised",
        pgettext_lazy("annual figure", "Courtyards criticised"),
        COUNT,
        gettext_lazy("Courtyards whose visit that counts ended in criticism (通报批评)."),
    ),
    Figure(
        "inspection_staff",
        pgettext_lazy("annual figure", "Inspection staff"),
        PEOPLE,
        gettext_lazy(
            "Campaign leaders, group leaders and members of the year's campaigns, each once."
        ),
        per_unit=False,
    ),
    Figure(
        "inspection_groups",
        pgettext_lazy("annual figure", "Inspection groups"),
        COUNT,
        gettext_lazy("Inspection groups of the year's campaigns."),
        per_unit=False,
    ),
]
