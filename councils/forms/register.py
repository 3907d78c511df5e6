"""The filters of the meeting register (district and street staff): every choice is drawn
from what the user may see, so another street's id in the address is refused by the
filter (it narrows nothing beyond the user's own scope)."""

import django_filters as filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput
from councils.models import Body, Coverage, Meeting
from courtyards.models import Community, Courtyard, Street
from portal.listing import ListFilter, Sorting, visible

NO_BODY = "none"
QUORUM_CHOICES = [("met", _("Quorum reached")), ("not_met", _("Quorum not reached"))]


def _courtyards(request):
    return Courtyard.objects.visible_to(request.user).select_related("community")


def _covering(courtyards):
    """Meetings of an organisation that covered one of `courtyards` on the meeting day."""
    return Exists(
        Coverage.objects.filter(
            courtyard__in=courtyards,
            organisation=OuterRef("organisation"),
            started_on__lte=OuterRef("held_on"),
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("held_on")))
    )


class MeetingRegisterFilter(ListFilter):
    q = filters.CharFilter(
        label=_("Search"),
        max_length=80,
        method="search",
        help_text=_("Courtyard or organisation, place, agenda."),
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="organisation__community__street",
        queryset=visible(Street),
        empty_label=_("All streets"),
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"),
        field_name="organisation__community",
        queryset=visible(Community),
        empty_label=_("All communities"),
    )
    courtyard = filters.ModelChoiceFilter(
        label=_("Courtyard"),
        queryset=_courtyards,
        empty_label=_("All courtyards"),
        method="by_courtyard",
    )
    body = filters.ChoiceFilter(
        label=_("Body"),
        choices=[*Body.Kind.choices, (NO_BODY, _("None (joint meetings, consultations)"))],
        empty_label=_("Any body"),
        method="by_body",
    )
    kind = filters.ChoiceFilter(
        label=_("Kind of meeting"), choices=Meeting.Kind.choices, empty_label=_("All kinds")
    )
    held_from = filters.DateFilter(
        label=_("Held from"), field_name="held_on", lookup_expr="gte", widget=DateInput
    )
    held_to = filters.DateFilter(
        label=_("Held until"), field_name="held_on", lookup_expr="lte", widget=DateInput
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=Meeting.Status.choices, empty_label=_("Any status")
    )
    quorum = filters.ChoiceFilter(
        label=_("Quorum"), choices=QUORUM_CHOICES, empty_label=_("Any"), method="by_quorum"
    )

    def __init__(self, request, queryset):
        super().__init__(request, queryset)
        # Courtyard names repeat across communities (机械厂宿舍): name the community too.
        self.form.fields["courtyard"].label_from_instance = lambda courtyard: (
            f"{courtyard.community.name} · {courtyard.name}"
        )

    def search(self, meetings, name, value):
        courtyards = Courtyard.objects.filter(name__icontains=value)
        return meetings.filter(
            Q(organisation__name__icontains=value)
            | Q(place__icontains=value)
            | Q(agenda__icontains=value)
            | _covering(courtyards)
        )

    def by_courtyard(self, meetings, name, value):
        return meetings.filter(_covering([value]))

    def by_body(self, meetings, name, value):
        if value == NO_BODY:
            return meetings.filter(body__isnull=True)
        return meetings.filter(body__kind=value)

    def by_quorum(self, meetings, name, value):
        return meetings.filter(quorum=value == "met")


REGISTER_SORTING = Sorting(
    allowed={
        "held": "held_on",
        "place": (
            "organisation__community__street__code",
            "organisation__community__name",
            "organisation__name",
        ),
        "present": "present",
        "motions": "motion_count",
    },
    default="-held",
)
