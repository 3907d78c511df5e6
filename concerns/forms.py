"""The forms of the concerns pages. Choices of places come from what the user may see; the
services judge the rest."""

import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concerns.models import Concern, Status
from courtyards.models import Community, Courtyard, Street
from portal.forms import MultipleFileField, MultipleFileInput
from portal.listing import ListFilter, visible
from portal.models import person_name


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def photos_field(label):
    """Several photos in one input; on a phone, the camera or the gallery. Each file is
    checked by its bytes in the service (portal.uploads.validate_attachment)."""
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*"}),
        help_text=_("JPEG, PNG or WebP; several can be chosen at once."),
    )


class ConcernForm(forms.ModelForm):
    """The intake form: short enough to fill on a phone at the resident's door."""

    photos = photos_field(_("Photos (optional)"))

    class Meta:
        model = Concern
        fields = [
            "community",
            "courtyard",
            "channel",
            "category",
            "text",
            "anonymous",
            "resident_name",
            "resident_phone",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "resident_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = Community.objects.visible_to(user).select_related("street")
        self.fields["community"].queryset = communities
        self.fields["courtyard"].queryset = (
            Courtyard.objects.visible_to(user).open().select_related("community")
        )
        self.fields["courtyard"].required = False
        self.fields["anonymous"].help_text = _(
            "An anonymous concern keeps neither the name nor the phone."
        )
        if len(communities) == 1:
            self.fields["community"].initial = communities[0].pk

    def _post_clean(self):
        """The services judge the record (concerns.services.concern_receive)."""


class ClassifyForm(forms.Form):
    routing = forms.TypedChoiceField(
        label=_("routing class"), choices=Concern.Routing.choices, coerce=int
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("how it was resolved"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnVisitForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("satisfaction"), choices=Concern.Satisfaction.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("what the resident said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))


class PhotosForm(forms.Form):
    photos = photos_field(_("Photos"))


class RosterForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    officer = forms.ModelChoiceField(label=_("duty officer"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = person_name


class HandoverForm(forms.Form):
    day = forms.DateField(label=_("day handed over"), widget=DateInput)
    note = forms.CharField(label=_("what was done today"), widget=forms.Textarea(attrs={"rows": 3}))


OVERDUE_CHOICES = [("yes", _("Overdue or answered late")), ("no", _("On time"))]


class ConcernRegisterFilter(ListFilter):
    q = filters.CharFilter(
        label=_("Search"),
        max_length=80,
        method="search",
        help_text=_("Tracking number, resident's name, text."),
    )
    status = filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        field_name="status_value",
        empty_label=_("Any status"),
    )
    routing = filters.ChoiceFilter(
        label=_("routing class"), choices=Concern.Routing.choices, empty_label=_("Any class")
    )
    overdue = filters.ChoiceFilter(
        label=_("Answer deadline"),
        choices=OVERDUE_CHOICES,
        empty_label=_("Any"),
        method="by_overdue",
    )
    category = filters.ChoiceFilter(
        label=_("category"), choices=Concern.Category.choices, empty_label=_("All categories")
    )
    channel = filters.ChoiceFilter(
        label=_("channel"), choices=Concern.Channel.choices, empty_label=_("All channels")
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="community__street",
        queryset=visible(Street),
        empty_label=_("All streets"),
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"), queryset=visible(Community), empty_label=_("All communities")
    )
    received_from = filters.DateFilter(
        label=_("Received from"),
        field_name="received_at__date",
        lookup_expr="gte",
        widget=DateInput,
    )
    received_to = filters.DateFilter(
        label=_("Received until"),
        field_name="received_at__date",
        lookup_expr="lte",
        widget=DateInput,
    )

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(number__icontains=word)
                | Q(resident_name__icontains=word)
                | Q(text__icontains=word)
            )
        return queryset

    def by_overdue(self, queryset, name, value):
        return queryset.filter(overdue_value=(value == "yes"))


class LinkForm(forms.Form):
    """The council's motion, the rectification or the fund project a concern is linked to:
    records of the concern's community that the user may see. Motions are those of meetings
    held since the concern was received, of the organisation covering its courtyard when it
    names one: a community's every motion would be hundreds of choices."""

    motion = forms.ModelChoiceField(label=_("council motion"), queryset=None, required=False)
    rectification = forms.ModelChoiceField(label=_("rectification"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("fund project"), queryset=None, required=False)

    def __init__(self, *args, concern, user, **kwargs):
        from concerns.services import link_label
        from councils.models import Motion
        from funds.models import Project
        from inspections.models import Rectification

        super().__init__(*args, **kwargs)
        community = concern.community_id
        motions = Motion.objects.visible_to(user).filter(
            meeting__organisation__community=community,
            meeting__held_on__gte=timezone.localdate(concern.received_at),
        )
        if concern.courtyard_id:
            motions = motions.filter(
                meeting__organisation__coverage__courtyard=concern.courtyard_id
            ).distinct()
        querysets = {
            "motion": motions.select_related("meeting__organisation").order_by(
                "-meeting__held_on", "number"
            ),
            "rectification": Rectification.objects.visible_to(user)
            .filter(community=community)
            .order_by("-pk"),
            "project": Project.objects.visible_to(user)
            .filter(community=community)
            .order_by("-year", "title"),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            field.queryset = queryset
            field.label_from_instance = lambda target, name=name: link_label(name, target)
