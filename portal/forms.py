"""What the apps' forms share: how a form is rendered and how a service's errors reach it."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseFormSet
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from portal.models import person_name


class PortalFormRenderer(TemplatesSetting):
    """settings.FORM_RENDERER: forms render through the project's templates, so every page
    writes `{{ form }}` or `{{ field.as_field_group }}` and a field looks the same
    everywhere (label, required mark, help text and errors next to it)."""

    form_template_name = "portal/forms/form.html"
    field_template_name = "portal/forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget", {})
        if template_name == SELECT and all(
            option["template_name"] == SELECT_OPTION
            for _group, options, _index in widget.get("optgroups", ())
            for option in options
        ):
            return select_markup(widget)
        return super().render(template_name, context, request)


SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"


def select_markup(widget):
    """What Django's select.html and select_option.html render, written out here: through
    the template, each option is a template rendered, and the city's 1,500 communities in
    a list page's filter took 150 ms of the page (3 ms this way)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        parts.extend(
            f'\n  <option value="{conditional_escape(str(option["value"]))}"'
            f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            for option in options  # the option template ends with a newline
        )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _attributes(attrs):
    """As django/forms/widgets/attrs.html: True stands alone, False is left out."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service, by its bytes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


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


@dataclass
class Rows:
    """A formset as the error summary names it: `caption(number, form)` names a row
    ("议题 2", a member's name); `anchor` is the id of the formset's block on the page,
    where its errors that name no row are shown."""

    formset: BaseFormSet
    caption: Callable
    anchor: str = ""


def error_summary(form, *formsets, extra=()):
    """Every error of a page, in its order, for the summary above the form
    (templates/portal/forms/errors.html): dicts of `label` (the field, "" for the form as a
    whole), `message` and `anchor` (the id to go to, "" for none). `formsets` are `Rows`;
    `extra` holds (message, anchor) pairs the page shows elsewhere (a service's errors about
    a table the form does not hold)."""
    items = _form_items(form) if form is not None else []
    for rows in formsets:
        items += [_item("", message, rows.anchor) for message in rows.formset.non_form_errors()]
        for number, row in enumerate(rows.formset.forms, start=1):
            items += _form_items(row, caption=str(rows.caption(number, row)), anchor=row.prefix)
    items += [_item("", message, anchor) for message, anchor in extra]
    return items


def _form_items(form, caption="", anchor=""):
    items = [_item(caption, message, anchor) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name not in form.fields:
            continue
        field = form[name]
        label = f"{caption} · {field.label}" if caption else str(field.label)
        # Choices drawn as a group (radios) have no id of their own: go to the first.
        target = "" if field.is_hidden else field.id_for_label or f"{field.auto_id}_0"
        for message in messages:
            # Services name the field at the start of their messages already.
            shown = "" if message.startswith(str(field.label)) else label
            items.append(_item(shown, message, target))
    return items


def _item(label, message, anchor):
    return {"label": label, "message": str(message), "anchor": anchor}


class GuardedEditMixin:
    """A ModelForm editing a record with history that refuses to overwrite someone else's
    save, as the admin's change form does: the form carries the version it was opened at
    (`seen_version`, the newest history row's id) and a save after a newer one is refused,
    naming who saved and when."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        version = _latest_version(self.instance)
        self.fields["seen_version"] = forms.CharField(
            widget=forms.HiddenInput,
            required=False,
            initial=version.history_id if version else "",
        )

    def clean(self):
        cleaned_data = super().clean()
        seen = self.data.get(self.add_prefix("seen_version"))
        current = _latest_version(self.instance) if self.instance.pk else None
        if seen and current and str(current.history_id) != seen:
            raise forms.ValidationError(
                _(
                    "%(user)s saved this record at %(time)s, after you opened it. "
                    "Open it again to see their changes, then make yours."
                ),
                params={
                    "user": person_name(current.history_user) or _("someone"),
                    "time": timezone.localtime(current.history_date).strftime("%H:%M"),
                },
                code="edit_conflict",
            )
        return cleaned_data

    def _update_errors(self, errors):
        """The model's own rules may name a field the form does not hold (an organisation's
        establishment date, recorded by its own step): such a message goes above the form,
        where Django would fail instead."""
        if hasattr(errors, "error_dict"):
            kept = {}
            for field, messages in errors.error_dict.items():
                target = field if field in self.fields else NON_FIELD_ERRORS
                kept.setdefault(target, []).extend(messages)
            errors = forms.ValidationError(kept)
        super()._update_errors(errors)


def _latest_version(obj):
    return obj.history.order_by("-history_id").first()
