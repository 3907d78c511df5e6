"""Template filters of the annual report page ({% load reports %}), kept in the top layer so
the ground's own tags (portal/templatetags) need not import portal.reports."""

from django import template

from portal.reports.figures import display

register = template.Library()


@register.filter
def figure(value, key):
    """A figure of the annual report, formatted for its kind (see portal.reports.figures)."""
    return display(value, key)


@register.filter
def change_of(report, key):
    """This year's figure minus last year's (see portal.reports.figures.Report.change)."""
    return report.change(key)
