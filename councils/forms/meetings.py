"""The meeting form for the people who enter minutes: the meeting, the attendance checklist
of the body's members, the motions, the attachments. Fields that do not apply to a kind of
meeting are left out; the rules are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.forms import DateInput, count_field, date_field
from councils.models import Meeting
from portal.forms import MultipleFileField


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _text(label, rows=3, **kwargs):
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class MeetingForm(forms.Form):
    held_on = date_field(_("Day of the meeting"))
    start_time = forms.TimeField(label=_("Starting time"), required=False, widget=TimeInput)
    place = forms.CharField(label=pgettext_lazy("meeting", "Place"), max_length=100)
    chair = forms.CharField(label=_("Chaired by"), max_length=50)
    recorder = forms.CharField(label=_("Minutes taken by"), max_length=50)
    participants = _text(
        _("Participants"),
        help_text=_("Who took part, by role and organisation (业委会主任、物业公司经理…)."),
    )
    participants_count = count_field(_("Number of participants (人)"), required=False)
    households = count_field(
        _("Households entitled to vote (户)"),
        required=False,
        help_text=_("One vote per household. Empty: the households of the courtyards covered."),
    )
    households_present = count_field(_("Households represented in person (户)"), required=False)
    households_by_proxy = count_field(_("Households represented by proxy (户)"), required=False)
    proxies = _text(
        _("Proxies"),
        rows=2,
        help_text=_("One line per proxy: the household represented and who represented it."),
    )
    other_attendees = count_field(
        _("Other residents attending (人)"),
        required=False,
        help_text=_("Residents who came without representing a household."),
    )
    agenda = _text(_("Agenda"))
    minutes = _text(_("Minutes"), rows=6)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Signed paper minutes or photos: PDF, JPEG, PNG or WebP."),
    )
    reason = forms.CharField(
        label=_("Reason for the revision"),
        max_length=200,
        required=False,
        help_text=_("Published minutes change only with a reason, shown to residents."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    ONLY_FOR = {
        "participants": Meeting.Kind.JOINT,
        "participants_count": Meeting.Kind.JOINT,
        "households": Meeting.Kind.RESIDENTS_MEETING,
        "households_present": Meeting.Kind.RESIDENTS_MEETING,
        "households_by_proxy": Meeting.Kind.RESIDENTS_MEETING,
        "proxies": Meeting.Kind.RESIDENTS_MEETING,
        "other_attendees": Meeting.Kind.RESIDENTS_MEETING,
    }

    def __init__(self, *args, kind, published=False, **kwargs):
        super().__init__(*args, **kwargs)
        joint = kind not in Meeting.WITH_BODY
        for name, only in self.ONLY_FOR.items():
            applies = joint if only == Meeting.Kind.JOINT else kind == only
            if not applies:
                del self.fields[name]
        if joint:
            # A consultation (坝坝会) is of residents: who came is a head count, no list.
            self.fields["participants"].required = kind != Meeting.Kind.CONSULTATION
            self.fields["participants_count"].required = True
        if kind == Meeting.Kind.CONSULTATION:
            self.fields["participants_count"].label = _("Residents taking part (人)")
            self.fields["participants"].help_text = _(
                "Optional: who else took part, by role (社区书记、网格员…)."
            )
        if not published:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("A meeting is recorded once it has been held: this date lies in the future.")
            )
        return day

    def service_fields(self):
        data = self.cleaned_data
        names = (
            "held_on",
            "start_time",
            "place",
            "chair",
            "recorder",
            "agenda",
            "minutes",
            "participants",
            "proxies",
            "other_attendees",
            "households_by_proxy",
        )
        return {name: data[name] for name in names if name in data}


class AttendanceForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.BooleanField(label=_("Present"), required=False)
    absence_reason = forms.CharField(label=_("Reason for absence"), max_length=100, required=False)


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=0)


class MotionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Motion"), max_length=200)
    discussion = _text(_("Summary of the discussion"))
    votes_for = count_field(_("Votes for"), required=False)
    votes_against = count_field(_("Votes against"), required=False)
    votes_abstain = count_field(_("Abstentions"), required=False)
    deferred = forms.BooleanField(label=_("Deferred: not put to the vote"), required=False)
    consensus = forms.BooleanField(
        label=_("Consensus reached"),
        required=False,
        help_text=_("Unticked: the opinions are recorded, no consensus."),
    )
    decision = _text(
        _("Resolution"),
        rows=2,
        help_text=_("Shown to residents once published: roles, not names."),
    )
    carried_out_by = forms.CharField(
        label=_("Carried out by"),
        max_length=100,
        required=False,
        help_text=_("A role or body, e.g. 院落自治管理小组."),
    )
    due_on = date_field(_("Due by"), required=False)
    done_on = date_field(_("Done on"), required=False)

    def __init__(self, *args, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == Meeting.Kind.CONSULTATION:  # no vote of households: consensus or opinions
            for name in ("votes_for", "votes_against", "votes_abstain"):
                del self.fields[name]
            self.fields["deferred"].label = _("Deferred: taken up at a later meeting")
            self.fields["decision"].label = _("Consensus or opinions")
        else:
            del self.fields["consensus"]


class BaseMotionFormSet(forms.BaseFormSet):
    def __init__(self, *args, typed=(), **kwargs):
        """`typed`: the values of each row as posted, shown again on an unbound formset
        (the page came back for another reason than saving); beyond the recorded motions
        too, which `initial` cannot reach."""
        super().__init__(*args, **kwargs)
        self.typed = list(typed)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.typed):
            kwargs["initial"] = self.typed[index]
        return kwargs

    def rows(self):
        """Filled rows; the service refuses a recorded motion whose row was emptied."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and (form.cleaned_data.get("id") or form.cleaned_data.get("title"))
        ]


def motion_formset(extra):
    """Blank rows beyond the recorded motions may stay empty."""
    return forms.formset_factory(MotionForm, formset=BaseMotionFormSet, extra=extra)


class ObjectionForm(forms.Form):
    received_on = date_field(_("Received on"))
    summary = forms.CharField(
        label=_("What the objection says"), widget=forms.Textarea(attrs={"rows": 4})
    )


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    """The staff reports' period and unit."""

    start = date_field(_("From"), required=False)
    end = date_field(_("To"), required=False)
    months = forms.IntegerField(
        label=_("No council meeting for (months)"), min_value=1, max_value=36, required=False
    )


__all__ = [
    "AttendanceFormSet",
    "DateInput",
    "MeetingForm",
    "motion_formset",
    "ObjectionForm",
    "PeriodForm",
    "PublishForm",
]
