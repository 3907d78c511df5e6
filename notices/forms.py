from django import forms
from django.utils.translation import gettext_lazy as _

from councils.forms import date_field
from notices.models import Notice


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
