"""Forms of the inspection pages. Bounds a form can check (a score within its item's
maximum) are checked here and again by the services and the database; rules that need
other records (one visit per target, dates against the visit) are the services'."""

import django_filters as filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyards.models import Community, Courtyard, District, Street
from inspections import selectors, services
from inspections.models import (
    Bulletin,
    Campaign,
    CriteriaTemplate,
    InspectionGroup,
    Rectification,
    Verdict,
    points,
)
from inspections.services import remark_field, score_field
from portal.listing import ListFilter, visible
from portal.models import person_name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VisitForm(forms.Form):
    """A visit: the date, a score (and optional remark) for every item of the campaign's
    criteria, grouped by area, the findings and the final verdict."""

    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    is_reinspection = forms.BooleanField(label=_("Re-inspection"), required=False)
    reinspection_reason = forms.CharField(
        label=_("Reason for re-inspection"), max_length=200, required=False
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group saw: what works well and what does not."),
    )
    final_verdict = forms.ChoiceField(
        label=_("Final verdict"),
        choices=[("", _("As suggested by the score")), *Verdict.choices],
        required=False,
    )
    verdict_reason = forms.CharField(
        label=_("Reason for the final verdict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the final verdict differs from the suggested one."),
    )

    def __init__(self, *args, areas, reinspection=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        if not reinspection:
            del self.fields["is_reinspection"]
        for area in areas:
            for item in area.items.all():
                self.fields[score_field(item)] = forms.DecimalField(
                    label=item.name,
                    min_value=0,
                    max_value=item.max_score,
                    max_digits=5,
                    decimal_places=1,
                    help_text=_("Full marks %(max)s") % {"max": points(item.max_score)},
                    widget=forms.NumberInput(
                        attrs={"step": "0.5", "min": "0", "max": str(item.max_score)}
                    ),
                )
                self.fields[remark_field(item)] = forms.CharField(
                    label=_("Remark on “%(item)s”") % {"item": item.name},
                    max_length=200,
                    required=False,
                )

    def scored_areas(self):
        """For the template: each area with its (item, score field, remark field)."""
        return [
            (
                area,
                [
                    (item, self[score_field(item)], self[remark_field(item)])
                    for item in area.items.all()
                ],
            )
            for area in self.areas
        ]

    def service_kwargs(self):
        data = self.cleaned_data
        items = [item for area in self.areas for item in area.items.all()]
        return {
            "visited_on": data["visited_on"],
            "scores": {item.pk: data.get(score_field(item)) for item in items},
            "remarks": {item.pk: data.get(remark_field(item), "") for item in items},
            "findings": data["findings"],
            "final_verdict": data["final_verdict"],
            "verdict_reason": data["verdict_reason"],
            "reinspection_reason": data["reinspection_reason"],
        }


def visit_initial(inspection):
    initial = {
        "visited_on": inspection.visited_on,
        "reinspection_reason": inspection.reinspection_reason,
        "findings": inspection.findings,
        "final_verdict": inspection.final_verdict
        if inspection.final_verdict != inspection.suggested_verdict
        else "",
        "verdict_reason": inspection.verdict_reason,
    }
    for score in inspection.scores.all():
        initial[score_field(score.item_id)] = score.score
        initial[remark_field(score.item_id)] = score.remark
    return initial


class ProblemForm(forms.Form):
    problem = forms.CharField(
        label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    community = forms.ModelChoiceField(
        label=_("Responsible community"), queryset=Community.objects.none()
    )
    deadline = forms.DateField(label=_("Deadline for rectification"), widget=DateInput())

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            Community.objects.visible_to(user)
            .filter(street__district=campaign.district_id)
            .select_related("street")
        )
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"


class PhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or scanned document"),
        help_text=_("JPEG, PNG, WebP or PDF."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class ReportForm(forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF)"), required=False, help_text=_("JPEG, PNG, WebP or PDF.")
    )
    done = forms.BooleanField(
        label=_("The rectification is complete: ask the inspectors to verify it"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"noted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class VerifyForm(forms.Form):
    DECISIONS = [("accept", _("Rectified: close the item")), ("return", _("Not yet: send back"))]

    decision = forms.ChoiceField(
        label=_("Verification"), choices=DECISIONS, widget=forms.RadioSelect
    )
    noted_on = forms.DateField(label=_("Date of verification"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the item is sent back."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"noted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=pgettext_lazy("campaign", "Closed on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class BulletinForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "number", "introduction", "requirements"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }


class CampaignListFilter(ListFilter):
    """A campaign's tab: its groups are the choices of the group filter."""

    group = filters.ModelChoiceFilter(label=_("Group"), queryset=InspectionGroup.objects.none())

    def __init__(self, request, queryset, *, campaign):
        super().__init__(request, queryset)
        self.filters["group"].queryset = InspectionGroup.objects.visible_to(request.user).filter(
            campaign=campaign
        )


class VisitFilter(CampaignListFilter):
    group = filters.ModelChoiceFilter(
        label=_("Group"), field_name="assignment__group", queryset=InspectionGroup.objects.none()
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="assignment__community__street",
        queryset=Street.objects.none(),
    )
    verdict = filters.ChoiceFilter(
        label=_("Final verdict"),
        field_name="final_verdict",
        choices=Verdict.choices,
        empty_label=_("All"),
    )

    def __init__(self, request, queryset, *, campaign):
        super().__init__(request, queryset, campaign=campaign)
        self.filters["street"].queryset = Street.objects.visible_to(request.user).filter(
            district=campaign.district_id
        )


class TargetFilter(CampaignListFilter):
    STATES = [("visited", _("Visited")), ("pending", _("Not yet visited"))]

    state = filters.ChoiceFilter(
        label=_("Progress"), choices=STATES, empty_label=_("All"), method="by_state"
    )

    def by_state(self, targets, name, value):
        if value == "visited":
            return targets.filter(visits_count__gt=0)
        return targets.filter(visits_count=0)


class RectificationFilter(ListFilter):
    STATES = [
        ("unfinished", _("Not yet verified")),
        ("overdue", _("Overdue")),
        *Rectification.Status.choices,
        ("all", _("All")),
    ]

    q = filters.CharFilter(
        label=_("Search"), max_length=80, field_name="problem", lookup_expr="icontains"
    )
    state = filters.ChoiceFilter(
        label=_("Status"), choices=STATES, empty_label=None, method="by_state"
    )
    campaign = filters.ModelChoiceFilter(
        label=_("Campaign"),
        field_name="inspection__assignment__campaign",
        queryset=visible(Campaign),
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"), field_name="community__street", queryset=visible(Street)
    )
    community = filters.ModelChoiceFilter(label=_("Community"), queryset=visible(Community))
    defaults = {"state": "unfinished"}

    def by_state(self, rectifications, name, value):
        if value == "unfinished":
            return rectifications.unfinished()
        if value == "overdue":
            return rectifications.overdue()
        return rectifications if value == "all" else rectifications.filter(status=value)


# --- Planning a campaign: its facts, groups and targets -----------------------------------


class StaffChoiceField(forms.ModelChoiceField):
    """A person to choose, named as colleagues know them, with the login to tell namesakes
    apart."""

    def label_from_instance(self, obj):
        return staff_label(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return staff_label(obj)


def staff_label(user):
    return f"{person_name(user)}（{user.get_username()}）"


def group_label(group):
    """A group on its campaign's pages: its name alone."""
    return group.name


class CampaignForm(forms.ModelForm):
    """A campaign's facts, as the admin's add and change screens take them. The district is
    the user's own (chosen only by a user who sees several); criteria are copied from a
    template while the campaign has none; thresholds are fixed once it has a visit."""

    class Meta:
        model = Campaign
        fields = [
            "district",
            "year",
            "title",
            "starts_on",
            "ends_on",
            "leader",
            "criteria_template",
            "commend_threshold",
            "criticise_threshold",
            "min_ranked_courtyards",
            "notes",
        ]
        field_classes = {"leader": StaffChoiceField}
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance
        districts = District.objects.visible_to(user)
        if campaign.pk or districts.count() == 1:
            del self.fields["district"]
            if not campaign.pk:
                campaign.district = districts.get()
        else:
            self.fields["district"].queryset = districts
        self.fields["leader"].queryset = selectors.staff_to_choose(user)
        if campaign.pk and campaign.areas.exists():
            del self.fields["criteria_template"]
        else:
            field = self.fields["criteria_template"]
            field.queryset = CriteriaTemplate.objects.visible_to(user).filter(
                retired_on__isnull=True
            )
            field.help_text = _(
                "Its areas and items are copied into the campaign; later edits of the "
                "template do not change it."
            )
        if campaign.pk and services.criteria_locked(campaign):
            for name in ("commend_threshold", "criticise_threshold"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: the campaign has visits.")

    def template(self):
        return self.cleaned_data.get("criteria_template")


class GroupForm(forms.ModelForm):
    """An inspection group: its name, leader and members, chosen among the inspection staff
    of the campaign's district the user may manage."""

    members = StaffMultipleChoiceField(
        label=pgettext_lazy("inspection group", "Members"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Besides the leader. A person serves in one group of a campaign."),
    )

    class Meta:
        model = InspectionGroup
        fields = ["name", "leader"]
        field_classes = {"leader": StaffChoiceField}

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        staff = selectors.staff_to_choose(user, campaign.district_id)
        self.fields["leader"].queryset = staff
        self.fields["members"].queryset = staff
        if self.instance.pk:
            self.initial["members"] = [m.user_id for m in self.instance.memberships.all()]


class CandidateFilter(ListFilter):
    """What may become a target of a campaign: the open courtyards, or the communities
    themselves, of its district within the user's scope; narrowed by street, community,
    name and whether (and in which group) they are a target already."""

    KINDS = [("courtyard", _("Courtyards")), ("community", _("Communities themselves"))]
    STATES = [("free", _("Not yet a target")), ("assigned", _("Already a target"))]

    street = filters.ModelMultipleChoiceFilter(
        label=_("Streets"),
        field_name="community__street",
        queryset=Street.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    community = filters.ModelMultipleChoiceFilter(
        label=_("Community"), queryset=Community.objects.none()
    )
    q = filters.CharFilter(
        label=_("Name contains"), field_name="name", lookup_expr="icontains", max_length=80
    )
    state = filters.ChoiceFilter(
        label=_("Target"), choices=STATES, empty_label=_("All"), method="by_state"
    )
    group = filters.ModelChoiceFilter(
        label=_("Group"), queryset=InspectionGroup.objects.none(), method="by_group"
    )

    def __init__(self, request, queryset, *, campaign, kind):
        super().__init__(request, queryset)
        self.kind = kind
        streets = Street.objects.visible_to(request.user).filter(district=campaign.district_id)
        communities = Community.objects.visible_to(request.user).filter(
            street__district=campaign.district_id
        )
        self.filters["street"].queryset = streets
        self.filters["community"].queryset = communities.select_related("street")
        self.filters["community"].field.label_from_instance = lambda c: (
            f"{c.street.name} · {c.name}"
        )
        self.filters["group"].queryset = InspectionGroup.objects.filter(campaign=campaign)
        self.filters["group"].field.label_from_instance = group_label
        if kind == "community":
            self.filters["street"].field_name = "street"
            self.filters["community"].field_name = "pk"

    def by_state(self, candidates, name, value):
        return candidates.filter(target_group__isnull=value == "free")

    def by_group(self, candidates, name, value):
        return candidates.filter(target_group=value.pk)


class TargetActionForm(forms.Form):
    """A bulk change of a campaign's targets: assign the ticked candidates, or all that the
    filters leave and are not yet targets, to a group; or remove the ticked targets."""

    ASSIGN, ASSIGN_FILTERED, REMOVE = "assign", "assign_filtered", "remove"

    action = forms.ChoiceField(
        choices=[(ASSIGN, ASSIGN), (ASSIGN_FILTERED, ASSIGN_FILTERED), (REMOVE, REMOVE)]
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=InspectionGroup.objects.none(), required=False
    )
    chosen = forms.ModelMultipleChoiceField(
        label=_("Ticked rows"), queryset=Courtyard.objects.none(), required=False
    )

    def __init__(self, *args, campaign, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["group"].queryset = InspectionGroup.objects.filter(campaign=campaign)
        self.fields["group"].label_from_instance = group_label
        self.fields["chosen"].queryset = candidates

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in (self.ASSIGN, self.ASSIGN_FILTERED) and not data.get("group"):
            self.add_error("group", _("Choose the group to assign the targets to."))
        ticked_only = action in (self.ASSIGN, self.REMOVE)
        if ticked_only and not data.get("chosen") and "chosen" not in self.errors:
            self.add_error(None, _("Tick at least one row."))
        return data

    @property
    def removes(self):
        return self.cleaned_data["action"] == self.REMOVE

    def targets(self):
        """The courtyards or communities the action applies to."""
        if self.cleaned_data["action"] == self.ASSIGN_FILTERED:
            return list(self.candidates.filter(target_group__isnull=True))
        return list(self.cleaned_data["chosen"])
