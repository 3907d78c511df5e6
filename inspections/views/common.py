from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext as _


def apply_errors(form, error):
    """Show a service's ValidationError on the form: next to the field it names, or above
    the form when it names none of the form's fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def dated_filename(label):
    return _("%(label)s %(date)s.xlsx") % {"label": label, "date": timezone.localdate().isoformat()}
