import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyards.models import Community, Courtyard, Street
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
