from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.measures import MEASURES
from assessments.models import Indicator, Subjects
from portal.params import FIRST_YEAR, LAST_YEAR


def _number(label, **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter a number, e.g. 10 or 7.5."),
            "max_decimal_places": _("At most two decimals."),
            "max_digits": _("This number is too large."),
            "max_whole_digits": _("This number is too large."),
        },
        **kwargs,
    )


class SchemeForm(forms.Form):
    title = forms.CharField(label=_("Scheme title"), max_length=120)
    year = forms.IntegerField(
        label=_("Year assessed"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Enter the year as four digits, e.g. 2026.")},
    )
    level = forms.ChoiceField(label=_("Units assessed"))
    min_sample = forms.IntegerField(
        label=_("Organisations needed to be ranked"),
        min_value=0,
        max_value=1000,
        initial=1,
        help_text=_(
            "A unit with fewer courtyard organisations established by the end of the year is "
            "scored and listed but not ranked."
        ),
        error_messages={"invalid": _("Enter a whole number, e.g. 3.")},
    )

    def __init__(self, *args, street=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        allowed = (
            [Subjects.COMMUNITIES, Subjects.ORGANISATIONS]
            if street
            else [Subjects.STREETS, Subjects.COMMUNITIES]
        )
        self.fields["level"].choices = [(c, Subjects(c).label) for c in allowed]


class AreaForm(forms.Form):
    title = forms.CharField(label=_("Area title"), max_length=80)


class IndicatorForm(forms.Form):
    area = forms.ChoiceField(label=_("Assessment area"))
    title = forms.CharField(label=_("Indicator title"), max_length=120)
    weight = _number(_("Weight (points)"))
    kind = forms.ChoiceField(
        label=_("How it is scored"),
        choices=Indicator.Kind.choices,
        widget=forms.RadioSelect,
        initial=Indicator.Kind.COMPUTED,
    )
    measure = forms.ChoiceField(
        label=_("Measure (computed indicators)"),
        required=False,
        help_text=_("What the portal counts; its definition is shown beside the indicator."),
    )
    target = _number(
        _("Target value (computed indicators)"),
        required=False,
        help_text=_(
            "In the measure's unit. Points = weight × min(value ÷ target, 1): reaching the "
            "target scores the full weight."
        ),
    )
    guidance = forms.CharField(
        label=_("Scoring guidance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For hand-scored indicators: what earns the points."),
    )

    def __init__(self, *args, areas=(), level=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(str(a.pk), a.title) for a in areas]
        self.fields["measure"].choices = [("", "—")] + [
            (m.key, f"{m.label}（{m.unit}）") for m in MEASURES if level in m.levels
        ]

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight <= 0:
            raise forms.ValidationError(_("The weight must be more than 0 points."))
        return weight

    def clean(self):
        data = super().clean()
        if data.get("kind") != Indicator.Kind.COMPUTED:
            return data
        if not data.get("measure"):
            self.add_error("measure", _("Choose what the portal computes for this indicator."))
        target = data.get("target")
        if "target" not in self.errors:
            if target is None:
                self.add_error("target", _("Enter the target value."))
            elif target <= Decimal(0):
                self.add_error("target", _("The target must be more than 0."))
        return data


class ScoreForm(forms.Form):
    """One hand score: a unit × an indicator on the scoring page."""

    points = _number(_("Points"), required=False, min_value=0)
    note = forms.CharField(
        label=_("Scoring note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Evidence (PDF or photo)"), required=False)

    def __init__(self, *args, indicator, unit_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator, self.unit_name = indicator, unit_name
        self.fields["points"].label = _("Points (0 to %(weight)s)") % {"weight": indicator.weight}

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points is not None and points > self.indicator.weight:
            raise forms.ValidationError(
                _("At most %(weight)s points: the indicator's weight.")
                % {"weight": self.indicator.weight}
            )
        return points


class IndicatorEditForm(IndicatorForm):
    """Corrects a draft indicator: how it is scored stays, so only its own fields show (a
    computed one's measure and target, a hand-scored one's guidance)."""

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        del self.fields["kind"]
        dropped = ["guidance"] if kind == Indicator.Kind.COMPUTED else ["measure", "target"]
        for name in dropped:
            del self.fields[name]

    def clean(self):
        self.cleaned_data["kind"] = self.kind
        data = super().clean()
        data.pop("kind", None)
        return data
