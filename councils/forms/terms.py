"""Recording a term without its election (legacy terms, from before the portal) and adding
a member to a body's term, as the admin does: the model's own rules and constraints decide
(dates within the term, one role per person per body at a time, one convener or leader,
terms that do not overlap)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.forms import DateInput
from councils.models import ROLES_OF, Membership, Person, Role, Term


class BodyRecordForm(forms.ModelForm):
    """A record of one body, which the page fixes: the body is not a field of the form, but
    the constraints that name it (and the fields a new record leaves empty) are checked."""

    checked_too = ("body",)

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(self.checked_too)


class TermForm(BodyRecordForm):
    class Meta:
        model = Term
        fields = ["number", "started_on", "ends_on", "seats", "note"]
        widgets = {
            "started_on": DateInput,
            "ends_on": DateInput,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        last = Term.objects.filter(body=body).order_by("-number").first()
        self.fields["number"].initial = last.number + 1 if last else 1
        for name in ("number", "seats"):
            self.fields[name].widget.attrs.update({"min": 1, "inputmode": "numeric"})


class MembershipForm(BodyRecordForm):
    checked_too = ("body", "ended_on", "end_reason")

    class Meta:
        model = Membership
        fields = ["term", "person", "role", "started_on", "note"]
        widgets = {"started_on": DateInput}

    def __init__(self, *args, body, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        terms = Term.objects.filter(body=body).order_by("-started_on")
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = lambda term: (
            _("Term %(number)s, %(start)s to %(end)s")
            % {"number": term.number, "start": term.started_on, "end": term.ends_on}
        )
        today = timezone.localdate()
        current = next((t for t in terms if t.started_on <= today <= t.ends_on), None)
        if current is not None:
            self.fields["term"].initial = current
            self.fields["started_on"].initial = today
        # people living in the organisation's community, as for an election's candidates
        self.fields["person"].queryset = (
            Person.objects.visible_to(user)
            .filter(courtyard__community=body.organisation.community_id)
            .select_related("courtyard")
            .order_by("name", "pk")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.name}（{p.courtyard.name}）"
        self.fields["person"].empty_label = _("Choose the person")
        self.fields["role"].choices = [
            ("", "—"),
            *[(r, Role(r).label) for r in ROLES_OF[body.kind]],
        ]
