"""What a figure of the annual report is, and where the apps declare theirs.

Each app's AppConfig may declare `annual_figures`, the dotted path of a list of Figure: the
app owns each figure's label, unit and written definition. portal.reports (the top layer)
computes them and decides their order and tables. This module is on the ground floor, so
apps import it, never portal.reports.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.translation import pgettext_lazy

COUNT = pgettext_lazy("unit", "items")
PEOPLE = pgettext_lazy("unit", "people")
WAN_YUAN = pgettext_lazy("unit", "10k yuan")
SESSIONS = pgettext_lazy("unit", "sessions")
ATTENDANCES = pgettext_lazy("unit", "attendances")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    definition: str
    kind: str = "count"  # "count", "money" (yuan, shown in 万元) or "rate" (a fraction)
    per_unit: bool = True  # also shown for each street or community


def declared_figures():
    """Every figure the installed apps declare, by key."""
    declared = {}
    for config in apps.get_app_configs():
        dotted = getattr(config, "annual_figures", None)
        for figure in import_string(dotted) if dotted else ():
            if figure.key in declared:
                raise ImproperlyConfigured(f"Annual figure {figure.key!r} is declared twice.")
            declared[figure.key] = figure
    return declared


def figures_in_order(order):
    """The declared figures in the given order; a figure declared but not placed, or placed
    but not declared, is a mistake to hear about at start-up, not a silently missing row."""
    declared = declared_figures()
    if set(order) != set(declared) or len(order) != len(set(order)):
        raise ImproperlyConfigured(
            f"Annual figures placed {sorted(order)} differ from those declared {sorted(declared)}."
        )
    return [declared[key] for key in order]
