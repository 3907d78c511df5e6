"""The guided forms of the councils pages. Choices are always drawn from records the user
may see; the services behind the forms hold the rules and name the offending field."""

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.models import (
    MANUAL_END_REASONS,
    ROLES_OF,
    Body,
    Coverage,
    Election,
    EndReason,
    Inquiry,
    Membership,
    Organisation,
    Person,
    Recall,
    Role,
)
from courtyards.models import Community, Courtyard, District, Street
from portal.access import may_see_personal_data, scope_of
from portal.forms import GuardedEditMixin
from portal.listing import ListFilter, visible
from portal.roles import Level


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput, **kwargs)


def count_field(label, **kwargs):
    return forms.IntegerField(
        label=label, min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **kwargs
    )


# Organisations


class CommunityChoiceForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).select_related(
            "street"
        )


class OrganisationFilter(ListFilter):
    STATUS = [("open", _("Not dissolved")), *Organisation.Status.choices, ("all", _("All"))]

    q = filters.CharFilter(label=_("Search"), max_length=80, method="search")
    street = filters.ModelChoiceFilter(
        label=_("Street"), field_name="community__street", queryset=visible(Street)
    )
    community = filters.ModelChoiceFilter(label=_("Community"), queryset=visible(Community))
    status = filters.ChoiceFilter(
        label=_("Status"), choices=STATUS, empty_label=None, method="by_status"
    )
    defaults = {"status": "open"}

    def search(self, organisations, name, value):
        covers_match = Coverage.objects.filter(
            organisation=OuterRef("pk"), courtyard__name__icontains=value
        )
        return organisations.filter(Q(name__icontains=value) | Exists(covers_match))

    def by_status(self, organisations, name, value):
        if value == "open":
            return organisations.filter(dissolved_on__isnull=True)
        return organisations if value == "all" else organisations.filter(status=value)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    set_up_on = date_field(_("Preparation started on"))
    courtyards = forms.ModelMultipleChoiceField(
        label=_("Courtyards covered"),
        queryset=Courtyard.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Several small courtyards may form one organisation. Courtyards that already "
            "belong to an organisation are not listed."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, community, **kwargs):
        super().__init__(*args, **kwargs)
        covered = Coverage.objects.open().values("courtyard")
        self.fields["courtyards"].queryset = (
            Courtyard.objects.visible_to(user)
            .open()
            .filter(community=community)
            .exclude(pk__in=covered)
            .order_by("name")
        )


class OrganisationEditForm(GuardedEditMixin, forms.ModelForm):
    """An organisation's own facts, those its admin change form lets one change: the
    community is fixed, and the steps (establishment, acceptance, dissolution) are
    recorded by their own pages."""

    class Meta:
        model = Organisation
        fields = ["name", "set_up_on", "note"]
        widgets = {"set_up_on": DateInput, "note": forms.Textarea(attrs={"rows": 3})}


class CoverageRowForm(forms.ModelForm):
    class Meta:
        model = Coverage
        fields = ["courtyard", "started_on", "ended_on"]
        widgets = {"started_on": DateInput, "ended_on": DateInput}
        help_texts = {"ended_on": _("The first day the courtyard is no longer covered.")}


class BaseCoverageFormSet(forms.BaseInlineFormSet):
    """The courtyards an organisation covered, from when until when, as the admin's inline
    has them: rows are changed or added, never deleted (a coverage that stops is ended).
    The courtyards offered are those of the organisation's community the user sees."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().select_related("courtyard").order_by("started_on", "pk")

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["courtyard"].queryset = (
            Courtyard.objects.visible_to(self.user)
            .filter(community=self.instance.community_id)
            .order_by("name")
        )
        form.use_required_attribute = False
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["courtyard"].queryset = Courtyard.objects.none()
        return form


def coverage_formset(extra=1):
    return forms.inlineformset_factory(
        Organisation,
        Coverage,
        form=CoverageRowForm,
        formset=BaseCoverageFormSet,
        extra=extra,
        can_delete=False,
    )


class EstablishForm(forms.Form):
    established_on = date_field(_("Established on"))


class AcceptForm(forms.Form):
    accepted_on = date_field(_("Accepted on"))
    acceptance_note = forms.CharField(
        label=_("Acceptance opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DissolveForm(forms.Form):
    dissolved_on = date_field(_("Dissolved on"))
    dissolved_reason = forms.CharField(label=_("Reason for dissolution"), max_length=200)


# Elections


class ElectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of election"), choices=Election.Kind.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label=_("Method"), choices=Election.Method.choices)
    held_on = date_field(_("Election held on"))
    eligible_voters = count_field(_("Eligible voters (人)"))
    votes_cast = count_field(_("Votes cast (人)"))
    term_started_on = date_field(
        _("Term starts on"),
        required=False,
        help_text=_("General election only. Empty: the day of the election."),
    )
    term_ends_on = date_field(
        _("Term ends on"),
        required=False,
        help_text=_(
            "General election only. Empty: the district's term length after the start "
            "(5 years unless the district sets another)."
        ),
    )
    seats = count_field(
        _("Seats"),
        required=False,
        help_text=_("General election only: how many people the body has in the new term."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Election.Kind.GENERAL and not data.get("seats"):
            self.add_error("seats", _("Enter how many seats the body has in this term."))
        return data


class CandidateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Candidate"), queryset=Person.objects.none())
    votes = count_field(_("Votes received"))
    elected = forms.BooleanField(label=_("Elected"), required=False)
    role = forms.ChoiceField(label=_("Role if elected"), required=False)

    def __init__(self, *args, people, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["role"].choices = [("", "—"), *[(r, Role(r).label) for r in roles]]

    def clean(self):
        data = super().clean()
        if data.get("elected") and not data.get("role"):
            self.add_error("role", _("Choose the role of an elected candidate."))
        return data


class BaseCandidateFormSet(forms.BaseFormSet):
    def __init__(self, *args, people, roles, **kwargs):
        self.people, self.roles = people, roles
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"people": self.people, "roles": self.roles}

    @property
    def empty_form(self):
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            people=self.people,
            roles=self.roles,
        )

    def candidates(self):
        return [
            {
                "person": form.cleaned_data["person"],
                "votes": form.cleaned_data["votes"],
                "elected": form.cleaned_data.get("elected", False),
                "role": form.cleaned_data.get("role", ""),
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


CANDIDATE_ROWS = 8


def candidate_formset(*, body, user, data=None, rows=CANDIDATE_ROWS):
    """Rows of candidates for an election of `body`: people living in its community."""
    people = Person.objects.visible_to(user).filter(
        courtyard__community=body.organisation.community_id
    )
    formset_class = forms.formset_factory(
        CandidateForm, formset=BaseCandidateFormSet, extra=rows, max_num=200
    )
    return formset_class(
        data, prefix="candidates", people=people.order_by("name"), roles=ROLES_OF[body.kind]
    )


# Memberships


class MembershipEndForm(forms.Form):
    ended_on = date_field(_("Left on"), help_text=_("The first day the person no longer serves."))
    end_reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[(r.value, r.label) for r in EndReason if r in MANUAL_END_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if day > timezone.localdate():
            raise ValidationError(_("This date lies in the future."))
        return day


# Evaluation, inquiry, recall


class EvaluationForm(forms.Form):
    """The group's figures, then one row of three counts for each member serving on the day
    the page was opened for (`members`)."""

    year = forms.IntegerField(label=_("Year evaluated"), min_value=2000, max_value=2100)
    held_on = date_field(_("Evaluation held on"))
    evaluators = count_field(_("Evaluators counted (人)"))
    group_satisfied = count_field(_("Satisfied"))
    group_basically = count_field(_("Basically satisfied"))
    group_dissatisfied = count_field(_("Dissatisfied"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    COUNTS = (
        ("satisfied", _("Satisfied")),
        ("basically", _("Basically satisfied")),
        ("dissatisfied", _("Dissatisfied")),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for membership in self.members:
            for key, label in self.COUNTS:
                self.fields[f"m{membership.pk}_{key}"] = count_field(
                    f"{membership.person.name} · {label}"
                )

    def member_rows(self):
        return [
            (membership, [self[f"m{membership.pk}_{key}"] for key, _label in self.COUNTS])
            for membership in self.members
        ]

    def ratings(self):
        return [
            {
                "membership": membership,
                **{
                    key: self.cleaned_data[f"m{membership.pk}_{key}"] for key, _label in self.COUNTS
                },
            }
            for membership in self.members
        ]


class InquiryForm(forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = ["raised_on", "representatives", "target", "question"]
        widgets = {"raised_on": DateInput, "question": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Membership.objects.current()
            .group_members()
            .filter(body__organisation=organisation)
            .select_related("person")
            .in_roll_order()
        )
        self.fields["target"].empty_label = _("The whole group")
        self.fields["target"].label_from_instance = _member_label


class InquiryAnswerForm(forms.Form):
    ACCEPTED = [("", _("Not yet judged")), ("yes", _("Accepted")), ("no", _("Not accepted"))]

    answered_on = date_field(_("Answered on"))
    answered_by = forms.CharField(label=_("Answered by"), max_length=60, required=False)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    accepted = forms.ChoiceField(
        label=_("Did the representatives accept the answer?"),
        choices=ACCEPTED,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_accepted(self):
        return {"yes": True, "no": False}.get(self.cleaned_data["accepted"])


def _member_label(membership):
    body, role = membership.body.get_kind_display(), membership.get_role_display()
    return f"{membership.person.name}（{body} · {role}）"


class RecallMotionForm(forms.ModelForm):
    class Meta:
        model = Recall
        fields = ["membership", "moved_on", "moved_by", "reason", "decided_by"]
        widgets = {"moved_on": DateInput, "reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.current()
            .filter(body__organisation=organisation, body__kind__in=Body.ELECTED)
            .select_related("person", "body")
            .in_roll_order()
        )
        self.fields["membership"].label_from_instance = _member_label


class RecallVoteForm(forms.Form):
    voted_on = date_field(_("Vote held on"))
    entitled_voters = count_field(_("Entitled voters (人)"))
    votes_for = count_field(_("Votes for"))
    votes_against = count_field(_("Votes against"))
    votes_abstain = count_field(_("Abstentions"))


# People


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "courtyard",
            "name",
            "gender",
            "birth_year",
            "phone",
            "building",
            "unit",
            "political_status",
            "education",
            "occupation",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courtyard"].queryset = (
            Courtyard.objects.visible_to(user).open().select_related("community")
        )
        self.fields["courtyard"].label_from_instance = lambda c: f"{c.community.name} · {c.name}"
        if not may_see_personal_data(user):
            for name in Person.personal_fields:
                del self.fields[name]


class RepresentationFilter(ListFilter):
    street = filters.ModelChoiceFilter(
        label=_("Street"), field_name="courtyard__community__street", queryset=visible(Street)
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"), field_name="courtyard__community", queryset=visible(Community)
    )


class PersonFilter(ListFilter):
    STATUS = [("serving", _("Serving")), ("all", _("All"))]

    q = filters.CharFilter(
        label=_("Name"), max_length=40, field_name="name", lookup_expr="icontains"
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"), field_name="courtyard__community", queryset=visible(Community)
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=STATUS, empty_label=None, method="by_status"
    )
    defaults = {"status": "serving"}

    def by_status(self, people, name, value):
        """Serving: holding a role in a council or a group today (`people_with_roles`'
        `serving`, one semi-join: the count and the order need no subquery per person)."""
        if value == "all":
            return people
        return people.filter(serving=True)


# Trainings


def unit_choices(user, communities=True):
    """The units a user may organise trainings (or, without communities, research visits)
    for: their own office and those below it, as "district:1", "street:3", "community:7"."""
    level = scope_of(user).level
    choices = []
    if level in (Level.ALL, Level.DISTRICT):
        choices += [(f"district:{d.pk}", d.name) for d in District.objects.visible_to(user)]
    if level in (Level.ALL, Level.DISTRICT, Level.STREET):
        choices += [(f"street:{s.pk}", s.name) for s in Street.objects.visible_to(user)]
    if communities:
        units = Community.objects.visible_to(user).select_related("street")
        choices += [(f"community:{c.pk}", f"{c.street.name} · {c.name}") for c in units]
    return choices


def chosen_unit(value, levels=("district", "street", "community")):
    """{"district": …, "street": …, ...}: the unit a choice of unit_choices names, the other
    levels None, as the models' organiser fields take them."""
    level, _sep, pk = value.partition(":")
    model = {"district": District, "street": Street, "community": Community}[level]
    return {**dict.fromkeys(levels), level: model.objects.get(pk=pk)}


class TrainingForm(forms.Form):
    unit = forms.ChoiceField(label=_("Organised by"))
    held_on = date_field(_("Training held on"))
    topic = forms.CharField(label=_("Topic"), max_length=120)
    organiser = forms.CharField(
        label=_("Organiser"), max_length=60, help_text=_("For example 区民政局基层政权科.")
    )
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    people = forms.ModelMultipleChoiceField(
        label=_("People who serve present"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = count_field(
        _("Other attendees (人)"),
        initial=0,
        help_text=_("Head count of staff and others not recorded by name."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(user)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: f"{p.name}（{p.courtyard.name}）"

    def clean_unit(self):
        return chosen_unit(self.cleaned_data["unit"])


class ResearchVisitForm(forms.Form):
    office = forms.ChoiceField(label=_("Organised by"))
    visited_on = date_field(pgettext_lazy("research", "Visited on"))
    topic = forms.CharField(label=pgettext_lazy("research", "Topic"), max_length=120)
    led_by = forms.CharField(
        label=_("Led by"), max_length=60, help_text=_("Office and post, e.g. 区民政局分管副局长.")
    )
    staff = forms.IntegerField(
        label=_("Staff taking part (人)"),
        min_value=1,
        max_value=999,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    streets = forms.ModelMultipleChoiceField(
        label=_("Streets visited"),
        queryset=Street.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities visited"),
        queryset=Community.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    courtyards = forms.ModelMultipleChoiceField(
        label=_("Courtyards visited"),
        queryset=Courtyard.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    findings = forms.CharField(
        label=pgettext_lazy("research", "Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = unit_choices(user, communities=False)
        self.fields["streets"].queryset = Street.objects.visible_to(user).order_by("name")
        communities = Community.objects.visible_to(user).select_related("street")
        self.fields["communities"].queryset = communities.order_by("street__name", "name")
        self.fields["communities"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"
        # open courtyards, and those the visit already names even if closed since
        shown = Q(closed_on__isnull=True)
        if visit is not None:
            shown |= Q(pk__in=visit.courtyards.values("pk"))
        courtyards = Courtyard.objects.visible_to(user).filter(shown)
        self.fields["courtyards"].queryset = courtyards.select_related("community").order_by(
            "community__name", "name"
        )
        self.fields["courtyards"].label_from_instance = lambda c: f"{c.community.name} · {c.name}"

    def clean_office(self):
        return chosen_unit(self.cleaned_data["office"], levels=("district", "street"))
