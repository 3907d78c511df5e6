"""What the apps' forms share: how a form is rendered and how a service's errors reach it."""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """settings.FORM_RENDERER: forms render through the project's templates, so every page
    writes `{{ form }}` or `{{ field.as_field_group }}` and a field looks the same
    everywhere (label, required mark, help text and errors next to it)."""

    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"


def apply_errors(form, error, separate=()):
    """Put a service's ValidationError on the form: each message next to the field it names,
    or above the form when it names none of the form's fields (or names no field at all).
    Messages for the keys in `separate` (formsets and tables the form does not hold) are
    returned for the page to place."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return []
    kept = []
    for field, messages in error.message_dict.items():
        if field in separate:
            kept += messages
            continue
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
    return kept
