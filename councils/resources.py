"""Excel import and export of people and memberships (and export of organisations and
trainings), with Chinese headers, through portal.importing. Phone, building and unit
columns exist only for users who may see personal data: left out of their exports and
templates, and never read from their imports."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from councils.models import Body, EndReason, Membership, Organisation, Person, Role, Term, Training
from courtyards.models import Courtyard
from courtyards.resources import ChoiceLabelWidget
from portal.access import may_see_personal_data, restrict, scope_of
from portal.importing import ScopedForeignKeyWidget, ScopedResource

STREET = _("Street")
COMMUNITY = _("Community")
COURTYARD = _("Courtyard")
NAME = _("Name")
BIRTH_YEAR = _("Year of birth")
ORGANISATION = _("Organisation")
BODY = _("Body")
TERM = _("Term number")


class PersonalDataResource(ScopedResource):
    """Drops the personal-data fields for users who may not see them."""

    personal_fields = ()

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        if not may_see_personal_data(user):
            for name in self.personal_fields:
                self.fields.pop(name, None)


class PersonResource(PersonalDataResource):
    street = fields.Field(
        attribute="courtyard__community__street__name", column_name=STREET, readonly=True
    )
    community = fields.Field(
        attribute="courtyard__community__name", column_name=COMMUNITY, readonly=True
    )
    courtyard = fields.Field(
        attribute="courtyard",
        column_name=COURTYARD,
        widget=ScopedForeignKeyWidget(
            Courtyard, parent_column=COMMUNITY, parent_field="community__name"
        ),
    )
    name = fields.Field(attribute="name", column_name=NAME, widget=widgets.CharWidget())
    gender = fields.Field(
        attribute="gender",
        column_name=_("Gender"),
        widget=ChoiceLabelWidget(Person.Gender.choices),
    )
    birth_year = fields.Field(
        attribute="birth_year", column_name=BIRTH_YEAR, widget=widgets.IntegerWidget()
    )
    phone = fields.Field(attribute="phone", column_name=_("Phone"), widget=widgets.CharWidget())
    building = fields.Field(
        attribute="building", column_name=_("Building"), widget=widgets.CharWidget()
    )
    unit = fields.Field(attribute="unit", column_name=_("Unit"), widget=widgets.CharWidget())
    political_status = fields.Field(
        attribute="political_status",
        column_name=_("Political status"),
        widget=ChoiceLabelWidget(Person.PoliticalStatus.choices),
    )
    education = fields.Field(
        attribute="education",
        column_name=_("Education"),
        widget=ChoiceLabelWidget(Person.Education.choices),
    )
    occupation = fields.Field(
        attribute="occupation", column_name=_("Occupation"), widget=widgets.CharWidget()
    )

    personal_fields = Person.personal_fields
    bulk_import = True  # people are saved as they are: no per-row service to call

    class Meta:
        model = Person
        fields = [
            "street",
            "community",
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
        ]
        import_id_fields = ["courtyard", "name", "birth_year"]

    def get_queryset(self):
        return super().get_queryset().select_related("courtyard__community__street")


class TermWidget(widgets.ForeignKeyWidget):
    """A term named by its number, in the organisation and body named by their columns."""

    def __init__(self, **kwargs):
        super().__init__(Term, field="number", **kwargs)
        self.user = None

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        organisation = str(row.get(str(ORGANISATION)) or "").strip()
        community = str(row.get(str(COMMUNITY)) or "").strip()
        body_label = str(row.get(str(BODY)) or "").strip()
        kinds = {str(label): kind for kind, label in Body.Kind.choices if kind in Body.ELECTED}
        if body_label not in kinds:
            raise ValueError(
                gettext("Fill in the body: %(choices)s.") % {"choices": "、".join(kinds)}
            )
        lookup = {
            "body__organisation__name": organisation,
            "body__kind": kinds[body_label],
            "number": _integer(value),
        }
        if community:
            lookup["body__organisation__community__name"] = community
        terms = restrict(Term.objects.all(), scope_of(self.user)).filter(**lookup)
        found = list(terms[:2])
        if len(found) != 1:
            raise ValueError(
                gettext(
                    "No term %(number)s of the %(body)s of “%(organisation)s” within your "
                    "scope: record it first (by its election, or in Terms)."
                )
                % {"number": value, "body": body_label, "organisation": organisation}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.number if value else ""


class PersonWidget(widgets.ForeignKeyWidget):
    """A person named by name within the row's community; the year of birth tells apart
    people of the same name."""

    def __init__(self, **kwargs):
        super().__init__(Person, field="name", **kwargs)
        self.user = None

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        lookup = {"name": str(value).strip()}
        community = str(row.get(str(COMMUNITY)) or "").strip()
        if community:
            lookup["courtyard__community__name"] = community
        born = row.get(str(BIRTH_YEAR))
        if born not in (None, ""):
            lookup["birth_year"] = _integer(born)
        people = list(restrict(Person.objects.all(), scope_of(self.user)).filter(**lookup)[:2])
        if not people:
            raise ValueError(
                gettext(
                    "Nobody named “%(name)s” is registered in %(community)s within your scope: "
                    "import the people first."
                )
                % {"name": value, "community": community or "—"}
            )
        if len(people) > 1:
            raise ValueError(
                gettext(
                    "Several people are named “%(name)s”: fill in the year of birth to tell "
                    "them apart."
                )
                % {"name": value}
            )
        return people[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def _integer(value):
    try:
        return int(float(str(value).strip()))
    except ValueError:
        raise ValueError(gettext("Enter a whole number.")) from None


class MembershipResource(ScopedResource):
    street = fields.Field(
        attribute="body__organisation__community__street__name", column_name=STREET, readonly=True
    )
    community = fields.Field(
        attribute="body__organisation__community__name", column_name=COMMUNITY, readonly=True
    )
    organisation = fields.Field(
        attribute="body__organisation__name", column_name=ORGANISATION, readonly=True
    )
    body = fields.Field(
        attribute="body__kind",
        column_name=BODY,
        widget=ChoiceLabelWidget(Body.Kind.choices),
        readonly=True,
    )
    term = fields.Field(attribute="term", column_name=TERM, widget=TermWidget())
    person = fields.Field(attribute="person", column_name=NAME, widget=PersonWidget())
    birth_year = fields.Field(attribute="person__birth_year", column_name=BIRTH_YEAR, readonly=True)
    role = fields.Field(
        attribute="role", column_name=_("Role"), widget=ChoiceLabelWidget(Role.choices)
    )
    started_on = fields.Field(
        attribute="started_on", column_name=_("Serving from"), widget=widgets.DateWidget()
    )
    ended_on = fields.Field(
        attribute="ended_on", column_name=_("Left on"), widget=widgets.DateWidget()
    )
    end_reason = fields.Field(
        attribute="end_reason",
        column_name=_("Reason for leaving"),
        widget=ChoiceLabelWidget(EndReason.choices),
    )

    class Meta:
        model = Membership
        fields = [
            "street",
            "community",
            "organisation",
            "body",
            "term",
            "person",
            "birth_year",
            "role",
            "started_on",
            "ended_on",
            "end_reason",
        ]
        import_id_fields = ["term", "person", "started_on"]

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        for name in ("term", "person"):
            self.fields[name].widget.user = user

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("body__organisation__community__street", "term", "person")
        )

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.term_id:
            instance.body_id = instance.term.body_id  # the body is always the term's


class OrganisationResource(ScopedResource):
    """Export only: organisations with their status path."""

    street = fields.Field(attribute="community__street__name", column_name=STREET)
    community = fields.Field(attribute="community__name", column_name=COMMUNITY)
    name = fields.Field(attribute="name", column_name=ORGANISATION)
    status = fields.Field(
        attribute="status",
        column_name=_("Status"),
        widget=ChoiceLabelWidget(Organisation.Status.choices),
    )
    set_up_on = fields.Field(
        attribute="set_up_on", column_name=_("Preparation started on"), widget=widgets.DateWidget()
    )
    established_on = fields.Field(
        attribute="established_on", column_name=_("Established on"), widget=widgets.DateWidget()
    )
    accepted_on = fields.Field(
        attribute="accepted_on", column_name=_("Accepted on"), widget=widgets.DateWidget()
    )
    dissolved_on = fields.Field(
        attribute="dissolved_on", column_name=_("Dissolved on"), widget=widgets.DateWidget()
    )
    dissolved_reason = fields.Field(
        attribute="dissolved_reason", column_name=_("Reason for dissolution")
    )

    class Meta:
        model = Organisation
        fields = [
            "street",
            "community",
            "name",
            "status",
            "set_up_on",
            "established_on",
            "accepted_on",
            "dissolved_on",
            "dissolved_reason",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("community__street")


class TrainingResource(ScopedResource):
    """Export only: sessions with their head counts (the admin annotates `named`)."""

    held_on = fields.Field(
        attribute="held_on", column_name=_("Held on"), widget=widgets.DateWidget()
    )
    topic = fields.Field(attribute="topic", column_name=_("Topic"))
    unit = fields.Field(attribute="unit", column_name=_("Organised by"))
    organiser = fields.Field(attribute="organiser", column_name=_("Organiser"))
    place = fields.Field(attribute="place", column_name=_("Place"))
    named = fields.Field(
        attribute="named", column_name=_("People who serve (人)"), widget=widgets.IntegerWidget()
    )
    other_attendees = fields.Field(
        attribute="other_attendees",
        column_name=_("Other attendees (人)"),
        widget=widgets.IntegerWidget(),
    )

    class Meta:
        model = Training
        fields = ["held_on", "topic", "unit", "organiser", "place", "named", "other_attendees"]
