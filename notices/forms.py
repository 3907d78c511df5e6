from django import forms
from django.utils.translation import gettext_lazy as _

from councils.forms import date_field
from notices.models import Notice, ReturnField
from notices.workbooks import validate_workbook


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    audience = forms.ChoiceField(
        label=_("Send to"), choices=Notice.Audience.choices, initial=Notice.Audience.COMMUNITIES
    )
    reply_by = date_field(
        _("To be acknowledged by"),
        required=False,
        help_text=_("Optional. Units that have not acknowledged by then are shown as late."),
    )

    def __init__(self, *args, street=None, **kwargs):
        super().__init__(*args, **kwargs)
        if street is not None:  # a street writes to its communities
            del self.fields["audience"]


class ReturnForm(forms.Form):
    """The return a draft asks for: the day it is due and an optional template."""

    returns_by = date_field(
        _("Return due by"),
        required=False,
        help_text=_("Empty, with no field and no template: the notice asks for no return."),
    )
    template = forms.FileField(
        label=_("Return template (.xlsx)"),
        required=False,
        validators=[validate_workbook],
        help_text=_("Optional: a spreadsheet the units download, fill in and upload back."),
    )
    drop_template = forms.BooleanField(label=_("Remove the template"), required=False)


class ReturnFieldForm(forms.ModelForm):
    class Meta:
        model = ReturnField
        fields = ["label", "kind", "choices", "required", "source"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}


ReturnFieldFormSet = forms.formset_factory(
    ReturnFieldForm, extra=2, can_delete=True, can_order=True
)


def _answer_field(field):
    """The form field that takes a return field's answer, in its kind."""
    common = {"label": field.label, "required": field.required}
    if field.kind == ReturnField.Kind.NUMBER:
        return forms.DecimalField(
            max_digits=16,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            **common,
        )
    if field.kind == ReturnField.Kind.DATE:
        return date_field(**common)
    if field.kind == ReturnField.Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—")] + [(option, option) for option in field.options], **common
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)


class AnswerForm(forms.Form):
    """A unit's answer to a notice's return: one field per return field (named by its id),
    and the filled-in template when the notice has one."""

    def __init__(self, *args, fields, template=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.return_fields = list(fields)
        for field in self.return_fields:
            self.fields[f"field_{field.pk}"] = _answer_field(field)
        if template:
            self.fields["file"] = forms.FileField(
                label=_("Filled-in template (.xlsx)"),
                required=False,
                validators=[validate_workbook],
            )

    def answer_values(self):
        return {field.pk: self.cleaned_data[f"field_{field.pk}"] for field in self.return_fields}
