"""Demo reminders: the daily run over the demo district, so that each demo login's inbox
holds what is due in its area (terms ending, rectifications, concerns to answer...)."""

from reminders.services import remind


def build(demo):
    remind(quiet=True)
