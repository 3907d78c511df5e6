import django_filters as filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyards.models import Community, Courtyard, District, Street
from funds.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Allocation,
    Expenditure,
    Income,
    OwnExpenditure,
    Project,
    approving_resolutions,
)
from funds.services import sources_for
from portal.listing import ListFilter, visible


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExpenditureForm(forms.ModelForm):
    """Records one expenditure of a courtyard; the balance and budget checks are the
    service's (funds.services.expenditure_add), reported on the amount field."""

    class Meta:
        model = Expenditure
        fields = [
            "project",
            "spent_on",
            "amount",
            "payee",
            "payee_kind",
            "voucher_number",
            "description",
            "receipt",
        ]
        widgets = {"spent_on": DateInput(), "payee_kind": forms.RadioSelect}

    def __init__(self, *args, holder, year, **kwargs):
        """`holder`: the courtyard, or the community for its own fund (社区本级)."""
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.held_by(holder)
            .filter(year=year, status__in=[Project.Status.PLANNED, Project.Status.IN_PROGRESS])
            .order_by("title")
        )
        self.fields["project"].empty_label = _("Choose the project")
        self.fields["project"].label_from_instance = lambda project: project.title
        self.fields["amount"].widget.attrs.update({"min": "0.01", "step": "0.01"})
        self.fields["spent_on"].initial = timezone.localdate()
        self.fields["payee_kind"].initial = Expenditure.PayeeKind.ORGANISATION
        hold(self.instance, holder)
        self.instance.year = year


def hold(instance, holder):
    """Give a new or edited record its holder: a courtyard (and its community), or a
    community alone for its own fund (社区本级)."""
    if isinstance(holder, Community):
        instance.courtyard, instance.community = None, holder
    else:
        instance.courtyard, instance.community_id = holder, holder.community_id


class ReversalForm(forms.Form):
    spent_on = forms.DateField(label=_("Date of the reversing entry"), widget=DateInput())
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=40)
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=200)

    @classmethod
    def of(cls, payment, data=None):
        """The form reversing `payment`: dated today, its voucher number with "-R" added."""
        voucher = _("%(voucher)s-R") % {"voucher": payment.voucher_number}
        return cls(data, initial={"spent_on": timezone.localdate(), "voucher_number": voucher})


class IncomeReversalForm(forms.Form):
    received_on = forms.DateField(label=_("Date of the reversing entry"), widget=DateInput())
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=200)


class IncomeForm(forms.ModelForm):
    class Meta:
        model = Income
        fields = ["received_on", "kind", "amount", "note"]
        widgets = {"received_on": DateInput()}

    def __init__(self, *args, courtyard, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.courtyard = courtyard
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["amount"].widget.attrs.update({"min": "0.01", "step": "0.01"})


def resolution_choices(resolutions):
    return resolutions.select_related("meeting").order_by("-meeting__held_on", "number")


def resolution_label(motion):
    """2026-03-12 院落民情代表议事会 · 增设非机动车棚"""
    meeting = motion.meeting
    return f"{meeting.held_on:%Y-%m-%d} {meeting.get_kind_display()} · {motion.title}"


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "year",
            "title",
            "category",
            "budget",
            "status",
            "started_on",
            "ended_on",
            "cancel_reason",
            "description",
            "resolution",
        ]
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, holder, **kwargs):
        """`holder`: the courtyard, or the community for its own fund (社区本级), whose
        projects the residents' committee runs and no courtyard council approves."""
        super().__init__(*args, **kwargs)
        hold(self.instance, holder)
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": LAST_YEAR})
        self.fields["budget"].widget.attrs.update({"min": "0.01", "step": "0.01"})
        if self.instance.pk is None:
            self.fields["year"].initial = timezone.localdate().year
        if isinstance(holder, Community):
            del self.fields["resolution"]
            return
        self.fields["resolution"].queryset = resolution_choices(approving_resolutions(holder))
        self.fields["resolution"].label_from_instance = resolution_label


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=60,
        required=False,
        help_text=_("The district's document that grants the allocations, if there is one."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.visible_to(user)
        self.fields["year"].initial = timezone.localdate().year


class ProjectFilter(ListFilter):
    q = filters.CharFilter(
        label=_("Search"),
        max_length=80,
        help_text=_("Project title or courtyard name."),
        method="search",
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"), field_name="community__street", queryset=visible(Street)
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"), field_name="community", queryset=visible(Community)
    )
    category = filters.ChoiceFilter(
        label=_("Category"), choices=Project.Category.choices, empty_label=_("All")
    )
    status = filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("All")
    )

    def search(self, projects, name, value):
        return projects.filter(Q(title__icontains=value) | Q(courtyard__name__icontains=value))


class OwnExpenditureForm(forms.ModelForm):
    """Records one spending of a courtyard's own money; the balance check is the service's
    (funds.services.own_expenditure_add), reported on the amount field."""

    class Meta:
        model = OwnExpenditure
        fields = [
            "spent_on",
            "amount",
            "resolution",
            "payee",
            "payee_kind",
            "voucher_number",
            "description",
            "receipt",
        ]
        widgets = {"spent_on": DateInput(), "payee_kind": forms.RadioSelect}

    def __init__(self, *args, courtyard, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.courtyard = courtyard
        self.fields["resolution"].queryset = resolution_choices(approving_resolutions(courtyard))
        self.fields["resolution"].label_from_instance = resolution_label
        self.fields["resolution"].empty_label = _("Choose the approving resolution")
        self.fields["amount"].widget.attrs.update({"min": "0.01", "step": "0.01"})
        self.fields["spent_on"].initial = timezone.localdate()
        self.fields["payee_kind"].initial = Expenditure.PayeeKind.ORGANISATION

    def _post_clean(self):
        if self.cleaned_data.get("spent_on"):
            self.instance.year = self.cleaned_data["spent_on"].year
        super()._post_clean()


class AllocationCommunityForm(forms.Form):
    """The first step of recording an allocation: which community's money it is."""

    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = (
            Community.objects.visible_to(user).select_related("street").order_by("street", "name")
        )
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"


class AllocationForm(forms.ModelForm):
    """Records or corrects an allocation of one community: to one of its courtyards, or to
    the community's own fund (社区本级) when the courtyard is left empty. The checks are the
    model's and the service's (funds.services.allocation_save), as in the admin.

    Sources are those the user may record (street staff: their street's own). An allocation
    computed from the rate keeps its money fields: only the generator changes them."""

    MONEY_FIELDS = ["courtyard", "year", "source", "amount", "withdrawn_on", "withdrawn_reason"]

    class Meta:
        model = Allocation
        fields = [
            "courtyard",
            "year",
            "source",
            "amount",
            "allocated_on",
            "document_number",
            "note",
            "withdrawn_on",
            "withdrawn_reason",
        ]
        widgets = {"allocated_on": DateInput(), "withdrawn_on": DateInput()}

    def __init__(self, *args, community, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.community = community
            del self.fields["withdrawn_on"], self.fields["withdrawn_reason"]
            self.fields["allocated_on"].initial = timezone.localdate()
        else:
            self.fields["withdrawn_on"].help_text = _(
                "Only for an allocation made in error, and only while nothing of the year "
                "has been spent; give the reason below."
            )
        if self.instance.rate_id:
            for name in self.MONEY_FIELDS:
                del self.fields[name]
            return
        courtyard = self.fields["courtyard"]
        courtyard.queryset = (
            Courtyard.objects.visible_to(user).filter(community=community).order_by("name")
        )
        courtyard.empty_label = _("None: the community's own fund (社区本级)")
        courtyard.label_from_instance = lambda c: c.name
        allowed = sources_for(user)
        source = self.fields["source"]
        source.choices = [(value, label) for value, label in source.choices if value in allowed]
        if self.instance.pk is None and allowed:
            source.initial = allowed[0]
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": LAST_YEAR})
        self.fields["amount"].widget.attrs.update({"min": "0.01", "step": "0.01"})


class AllocationFilter(ListFilter):
    q = filters.CharFilter(
        label=_("Search"),
        max_length=80,
        help_text=_("Courtyard, document number or note."),
        method="search",
    )
    street = filters.ModelChoiceFilter(
        label=_("Street"),
        field_name="community__street",
        queryset=visible(Street),
        empty_label=_("All"),
    )
    community = filters.ModelChoiceFilter(
        label=_("Community"),
        field_name="community",
        queryset=visible(Community),
        empty_label=_("All"),
    )
    source = filters.ChoiceFilter(
        label=_("Source"),
        choices=Allocation._meta.get_field("source").choices,
        empty_label=_("All"),
    )
    status = filters.ChoiceFilter(
        label=_("Status"),
        choices=[("in_force", _("In force")), ("withdrawn", _("Withdrawn"))],
        empty_label=_("All"),
        method="by_status",
    )

    def search(self, allocations, name, value):
        return allocations.filter(
            Q(courtyard__name__icontains=value)
            | Q(document_number__icontains=value)
            | Q(note__icontains=value)
        )

    def by_status(self, allocations, name, value):
        return allocations.filter(withdrawn_on__isnull=value == "in_force")
