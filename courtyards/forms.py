from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyards.models import Community, Courtyard, Street


class CourtyardFilterForm(forms.Form):
    STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    street = forms.ModelChoiceField(
        label=_("Street"),
        queryset=Street.objects.none(),
        required=False,
        empty_label=_("All streets"),
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("All communities"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Courtyard.Kind.choices], required=False
    )
    remediation = forms.ChoiceField(
        label=_("Remediation"),
        choices=[("", _("Any")), *Courtyard.Remediation.choices],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Street.objects.visible_to(user)
        self.fields["community"].queryset = Community.objects.visible_to(user)

    def filter(self, courtyards):
        """Courtyards matching the valid filters; an invalid filter narrows nothing."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or "open"
        if status == "open":
            courtyards = courtyards.filter(closed_on__isnull=True)
        elif status == "closed":
            courtyards = courtyards.filter(closed_on__isnull=False)
        if data.get("q"):
            courtyards = courtyards.filter(
                Q(name__icontains=data["q"]) | Q(address__icontains=data["q"])
            )
        if data.get("street"):
            courtyards = courtyards.filter(community__street=data["street"])
        if data.get("community"):
            courtyards = courtyards.filter(community=data["community"])
        if data.get("kind"):
            courtyards = courtyards.filter(kind=data["kind"])
        if data.get("remediation"):
            courtyards = courtyards.filter(remediation=data["remediation"])
        return courtyards
