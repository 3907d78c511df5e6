import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyards.models import Community, Courtyard, Street
from portal.forms import GuardedEditMixin
from portal.listing import ListFilter, visible


class CourtyardFilter(ListFilter):
    STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]

    q = filters.CharFilter(label=_("Search"), max_length=80, method="search")
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="community__street",
        queryset=visible(Street),
        empty_label=_("All streets"),
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"), queryset=visible(Community), empty_label=_("All communities")
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=Courtyard.Kind.choices, empty_label=_("All kinds")
    )
    remediation = filters.ChoiceFilter(
        label=_("Remediation"), choices=Courtyard.Remediation.choices, empty_label=_("Any")
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=None, method="by_status"
    )
    defaults = {"status": "open"}

    def search(self, courtyards, name, value):
        return courtyards.filter(Q(name__icontains=value) | Q(address__icontains=value))

    def by_status(self, courtyards, name, value):
        if value == "all":
            return courtyards
        return courtyards.filter(closed_on__isnull=value == "open")


class CourtyardForm(GuardedEditMixin, forms.ModelForm):
    """A courtyard's facts, as its admin change form has them: the community is chosen
    among those in the user's scope, and a merged courtyard names one the user sees."""

    # The fields in the groups the page shows them in (the admin's fieldsets).
    GROUPS = [
        (None, ["community", "name", "address", "kind"]),
        (_("Size"), ["households", "residents", "buildings"]),
        (_("Management"), ["property_company", "owners_committee"]),
        (_("Remediation"), ["remediation", "remediation_year"]),
        (_("Closing"), ["closed_on", "closed_reason", "merged_into"]),
    ]

    class Meta:
        model = Courtyard
        fields = [
            "community",
            "name",
            "address",
            "kind",
            "households",
            "residents",
            "buildings",
            "property_company",
            "owners_committee",
            "remediation",
            "remediation_year",
            "closed_on",
            "closed_reason",
            "merged_into",
        ]
        widgets = {"closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.visible_to(user).select_related("street")
        self.fields["community"].queryset = communities
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"
        others = Courtyard.objects.visible_to(user).select_related("community")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["merged_into"].queryset = others
        self.fields["merged_into"].label_from_instance = lambda c: f"{c.community.name} · {c.name}"
        for name in ("households", "residents", "buildings", "remediation_year"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def groups(self):
        """(legend, bound fields) for each group of the page."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]
