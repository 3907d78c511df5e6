from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commendations.models import Kind, Round
from commendations.services import allowance_projects, group_members
from councils.forms import date_field
from councils.models import Membership, Organisation, Person
from courtyards.models import Community, Street

# The places a new round offers by default, per category.
DEFAULT_PLACES = {
    Kind.STREET: 3,
    Kind.COMMUNITY: 10,
    Kind.GROUP: 20,
    Kind.REPRESENTATIVE: 30,
    Kind.WORKER: 20,
}


def places_field(kind):
    return forms.IntegerField(
        label=_("Places: %(honour)s") % {"honour": kind.label},
        min_value=0,
        max_value=500,
        initial=DEFAULT_PLACES[kind],
        help_text=_("0 leaves this category out of the round."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "first_year", "last_year", "nominations_until", "allowances_from_fund"]
        widgets = {"nominations_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[f"places_{kind.value}"] = places_field(kind)

    def places(self):
        return {kind.value: self.cleaned_data[f"places_{kind.value}"] for kind in Kind}


class CategoryChoiceForm(forms.Form):
    """First step of a nomination: which honour."""

    category = forms.ChoiceField(label=_("Honour to nominate for"))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Choose the honour"))] + [
            (category.pk, category.get_kind_display()) for category in categories
        ]


def nominee_queryset(category, street):
    """Whom `street` (None: the district) may nominate for `category`: the district's
    streets; else the street's own communities, organisations and serving representatives."""
    kind = category.kind
    if kind == Kind.STREET:
        return Street.objects.filter(district=category.round.district_id).order_by("code")
    if kind == Kind.COMMUNITY:
        return Community.objects.filter(street=street).order_by("name")
    if kind == Kind.GROUP:
        return (
            Organisation.objects.filter(
                community__street=street,
                status__in=[Organisation.Status.ESTABLISHED, Organisation.Status.ACCEPTED],
            )
            .select_related("community")
            .order_by("community__name", "name")
        )
    serving = Membership.objects.current().representatives().values("person")
    return (
        Person.objects.filter(courtyard__community__street=street, pk__in=serving)
        .select_related("courtyard")
        .order_by("name", "pk")
    )


def nominee_label(obj):
    if isinstance(obj, Organisation):
        return f"{obj.community.name} · {obj.name}"
    if isinstance(obj, Person):
        return f"{obj.name}（{obj.courtyard.name}）"
    return obj.name


class NominationForm(forms.Form):
    nominee = forms.ModelChoiceField(label=_("Nominee"), queryset=Street.objects.none())
    worker_name = forms.CharField(label=_("Worker's name"), max_length=40)
    worker_unit = forms.CharField(
        label=_("Worker's unit"), max_length=100, help_text=_("e.g. 锦里社区居委会")
    )
    reason = forms.CharField(
        label=_("Reason for the nomination"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What they achieved in the years the round covers."),
    )
    evidence = forms.FileField(
        label=_("Supporting material"),
        required=False,
        help_text=_("Optional. PDF or image (JPEG, PNG, WebP)."),
    )

    def __init__(self, *args, category, street, **kwargs):
        super().__init__(*args, **kwargs)
        if category.kind == Kind.WORKER:
            del self.fields["nominee"]
            return
        del self.fields["worker_name"], self.fields["worker_unit"]
        field = self.fields["nominee"]
        field.queryset = nominee_queryset(category, street)
        field.label_from_instance = nominee_label
        field.empty_label = _("Choose whom you nominate")
        field.label = category.get_kind_display()


class NominationAmendForm(forms.Form):
    """Correcting a nomination: the reason and the material; the nominee stays."""

    reason = NominationForm.base_fields["reason"]
    evidence = forms.FileField(
        label=_("Replace the supporting material"),
        required=False,
        help_text=_("Optional: leave empty to keep the material already given."),
    )


class WithdrawForm(forms.Form):
    """Withdrawing a nomination: an optional reason and the confirmation."""

    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional, e.g. the wrong community was nominated."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm withdrawing this nomination"),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class DecisionForm(forms.Form):
    """The decision: one group of boxes per category, the 文号 and the date."""

    decision_number = forms.CharField(
        label=_("Decision document number"),
        max_length=60,
        required=False,
        help_text=_("文号, e.g. 武委发〔2026〕8号"),
    )
    decided_on = date_field(_("Decided on"), required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.categories = categories
        for category in categories:
            self.fields[f"category_{category.pk}"] = forms.TypedMultipleChoiceField(
                label=_("%(honour)s (at most %(places)s)")
                % {"honour": category.get_kind_display(), "places": category.places},
                choices=[(n.pk, n.nominee_name) for n in category.rows],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def honoured(self):
        return [
            pk
            for category in self.categories
            for pk in self.cleaned_data.get(f"category_{category.pk}", [])
        ]


class AllowanceForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Group member"), queryset=Person.objects.none())
    project = forms.ModelChoiceField(
        label=_("Paid from the project"),
        queryset=Person.objects.none(),
        help_text=_(
            "A special-fund project of the category “allowances to self-management group "
            "members”, of a courtyard this organisation covers or of its community's own fund."
        ),
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0.01
    )
    period = forms.CharField(
        label=_("Period paid for"), max_length=40, help_text=_("e.g. 2026年1—6月")
    )
    paid_on = date_field(_("Paid on"))
    voucher_number = forms.CharField(
        label=_("Voucher number"), max_length=40, help_text=_("Unique within the fund and year.")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = group_members(organisation)
        self.fields["person"].empty_label = _("Choose the group member")
        projects = self.fields["project"]
        projects.queryset = allowance_projects(organisation)
        projects.empty_label = _("Choose the project")
        projects.label_from_instance = lambda p: f"{p.year} · {p.holder_name} · {p.title}"
        self.fields["paid_on"].initial = timezone.localdate()
