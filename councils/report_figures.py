"""The annual report's figures councils contributes (AppConfig.annual_figures).

Each is defined here with its definition written beside it; portal.reports computes them
and decides where they appear."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.figures import ATTENDANCES, COUNT, PEOPLE, SESSIONS, Figure

FIGURES = [
    Figure(
        "organisations_established",
        pgettext_lazy("annual figure", "Self-governance organisations"),
        COUNT,
        gettext_lazy(
            "Organisations established (建立, 已成立) on or before the report date and not "
            "dissolved by then, accepted ones included."
        ),
    ),
    Figure(
        "organisations_accepted",
        pgettext_lazy("annual figure", "Of which accepted"),
        COUNT,
        gettext_lazy("Of those, organisations accepted (组建并验收) on or before the report date."),
    ),
    Figure(
        "courtyards_covered",
        pgettext_lazy("annual figure", "Courtyards covered"),
        COUNT,
        gettext_lazy(
            "Courtyards not closed on the report date and covered then by an organisation "
            "counted above (a closed courtyard is covered no more)."
        ),
    ),
    Figure(
        "old_courtyards_covered",
        pgettext_lazy("annual figure", "Old compounds covered"),
        COUNT,
        gettext_lazy("Of those, old compounds without property management."),
    ),
    Figure(
        "households_covered",
        pgettext_lazy("annual figure", "Households covered"),
        pgettext_lazy("unit", "households"),
        gettext_lazy("Households of the courtyards covered."),
    ),
    Figure(
        "old_coverage",
        pgettext_lazy("annual figure", "Coverage of old compounds"),
        "%",
        gettext_lazy(
            "Old compounds covered divided by old compounds without property management (the "
            "headline rate: the programme's subject in seed 000)."
        ),
        kind="rate",
    ),
    Figure(
        "coverage",
        pgettext_lazy("annual figure", "Coverage of all courtyards"),
        "%",
        gettext_lazy("Courtyards covered divided by courtyards, of every kind."),
        kind="rate",
    ),
    Figure(
        "group_members",
        pgettext_lazy("annual figure", "Self-management group members"),
        PEOPLE,
        gettext_lazy(
            "Members of the self-management groups (leaders and deputies included) of the "
            "organisations counted above, serving on the report date."
        ),
    ),
    Figure(
        "representatives",
        pgettext_lazy("annual figure", "Residents' representatives"),
        PEOPLE,
        gettext_lazy(
            "Members of the representatives' councils (conveners included) of the "
            "organisations counted above, serving on the report date."
        ),
    ),
    Figure(
        "training_sessions",
        pgettext_lazy("annual figure", "Training sessions"),
        SESSIONS,
        gettext_lazy(
            "Training sessions held in the year, organised by the unit or a unit below it."
        ),
    ),
    Figure(
        "training_attendees",
        pgettext_lazy("annual figure", "Training attendance"),
        ATTENDANCES,
        gettext_lazy("Attendees of those sessions: people recorded by name plus head counts."),
    ),
    Figure(
        "research_visits",
        pgettext_lazy("annual figure", "Research visits"),
        pgettext_lazy("unit", "visits"),
        gettext_lazy(
            "Research visits (调研) of the year organised by the unit's office or an office "
            "below it."
        ),
        per_unit=False,
    ),
    Figure(
        "streets_researched",
        pgettext_lazy("annual figure", "Streets visited in research"),
        COUNT,
        gettext_lazy(
            "Streets visited in the year's research, themselves or through their communities "
            "and courtyards, each once."
        ),
        per_unit=False,
    ),
    Figure(
        "communities_researched",
        pgettext_lazy("annual figure", "Communities visited in research"),
        COUNT,
        gettext_lazy(
            "Communities visited in the year's research, themselves or through their "
            "courtyards, each once."
        ),
    ),
    Figure(
        "courtyards_researched",
        pgettext_lazy("annual figure", "Courtyards visited in research"),
        COUNT,
        gettext_lazy("Courtyards visited in the year's research, each once."),
    ),
    Figure(
        "meetings_held",
        pgettext_lazy("annual figure", "Meetings held"),
        pgettext_lazy("unit", "meetings"),
        gettext_lazy(
            "Meetings recorded as held in the year by the organisations of the unit: residents' "
            "meetings, councils, groups, joint meetings and five-party consultations."
        ),
    ),
    Figure(
        "council_meetings",
        pgettext_lazy("annual figure", "Council meetings"),
        pgettext_lazy("unit", "meetings"),
        gettext_lazy("Of those, meetings of the representatives' councils."),
    ),
    Figure(
        "resolutions_adopted",
        pgettext_lazy("annual figure", "Resolutions adopted"),
        pgettext_lazy("unit", "resolutions"),
        gettext_lazy("Motions adopted at those meetings."),
    ),
]
