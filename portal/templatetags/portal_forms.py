from django import template

from portal.forms import error_summary

register = template.Library()


@register.simple_tag
def error_items(form, summary=None):
    """The errors templates/portal/forms/errors.html lists: the page's own `summary`
    (portal.forms.error_summary over a form and its formsets) or, by default, the form's."""
    if summary:
        return summary
    return error_summary(form) if hasattr(form, "errors") else []
