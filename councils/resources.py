"""Excel import and export of people and memberships (and export of organisations and
trainings), with Chinese headers, through portal.importing. Phone, building and unit
columns exist only for users who may see personal data: left out of their exports and
templates, and never read from their imports."""

import contextlib

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from councils.models import Body, EndReason, Membership, Organisation, Person, Role, Term, Training
from courtyards.models import Courtyard
from portal.access import may_see_personal_data, restrict, scope_of
from portal.import_cells import (
    ChoiceWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
    clean_text,
    is_blank,
    match_key,
    read_ordinal,
)
from portal.importing import NameIndex, ScopedForeignKeyWidget, ScopedResource, find_named

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
                withheld = self.fields.pop(name, None)
                if withheld is not None:
                    self.withheld_columns.append(str(withheld.column_name))


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
    name = fields.Field(attribute="name", column_name=NAME, widget=TextWidget())
    gender = fields.Field(
        attribute="gender",
        column_name=_("Gender"),
        widget=ChoiceWidget(Person.Gender.choices),
    )
    birth_year = fields.Field(
        attribute="birth_year", column_name=BIRTH_YEAR, widget=IntegerWidget(units=["年"])
    )
    phone = fields.Field(attribute="phone", column_name=_("Phone"), widget=TextWidget())
    building = fields.Field(attribute="building", column_name=_("Building"), widget=TextWidget())
    unit = fields.Field(attribute="unit", column_name=_("Unit"), widget=TextWidget())
    political_status = fields.Field(
        attribute="political_status",
        column_name=_("Political status"),
        widget=ChoiceWidget(Person.PoliticalStatus.choices),
    )
    education = fields.Field(
        attribute="education",
        column_name=_("Education"),
        widget=ChoiceWidget(Person.Education.choices),
    )
    occupation = fields.Field(
        attribute="occupation", column_name=_("Occupation"), widget=TextWidget()
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
    """A term named by its number (1, 第1届, 第一届), in the organisation and body named by
    their columns."""

    def __init__(self, **kwargs):
        super().__init__(Term, field="number", **kwargs)
        self.user = None
        self._index = None

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        number = read_ordinal(value)
        organisation = clean_text(str(row.get(str(ORGANISATION)) or ""))
        community = clean_text(str(row.get(str(COMMUNITY)) or ""))
        body_label = clean_text(str(row.get(str(BODY)) or ""))
        kinds = {str(label): kind for kind, label in Body.Kind.choices if kind in Body.ELECTED}
        kind = next(
            (k for label, k in kinds.items() if match_key(label) == match_key(body_label)), None
        )
        if kind is None:
            raise ValueError(
                gettext("Fill in the body: %(choices)s.") % {"choices": "、".join(kinds)}
            )
        names = {"body__organisation__name": organisation}
        if community:
            names["body__organisation__community__name"] = community
        terms = restrict(Term.objects.all(), scope_of(self.user))
        if self._index is None:
            self._index = NameIndex(
                terms, ["body__organisation__name", "body__organisation__community__name"]
            )
        found = find_named(terms, names, self._index, body__kind=kind, number=number)
        if len(found) != 1:
            raise ValueError(
                gettext(
                    "No term %(number)s of the %(body)s of “%(organisation)s” within your "
                    "scope: record it first (by its election, or in Terms)."
                )
                % {"number": number, "body": body_label, "organisation": organisation}
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
        self._index = None

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        name = clean_text(str(value))
        names = {"name": name}
        community = clean_text(str(row.get(str(COMMUNITY)) or ""))
        if community:
            names["courtyard__community__name"] = community
        filters = {}
        born = row.get(str(BIRTH_YEAR))
        if not is_blank(born):
            with contextlib.suppress(ValueError):  # else the search leaves the year out
                filters["birth_year"] = YEAR.clean(born)
        people_in_scope = restrict(Person.objects.all(), scope_of(self.user))
        if self._index is None:
            self._index = NameIndex(people_in_scope, ["name", "courtyard__community__name"])
        people = find_named(people_in_scope, names, self._index, **filters)
        if not people:
            raise ValueError(
                gettext(
                    "Nobody named “%(name)s” is registered in %(community)s within your scope: "
                    "import the people first."
                )
                % {"name": name, "community": community or "—"}
            )
        if len(people) > 1:
            raise ValueError(
                gettext(
                    "Several people are named “%(name)s”: fill in the year of birth to tell "
                    "them apart."
                )
                % {"name": name}
            )
        return people[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


YEAR = IntegerWidget(units=["年"])


class MembershipResource(ScopedResource):
    context_columns = (ORGANISATION, BODY)  # which term the number names
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
        widget=ChoiceWidget(Body.Kind.choices),
        readonly=True,
    )
    term = fields.Field(attribute="term", column_name=TERM, widget=TermWidget())
    person = fields.Field(attribute="person", column_name=NAME, widget=PersonWidget())
    birth_year = fields.Field(attribute="person__birth_year", column_name=BIRTH_YEAR, readonly=True)
    role = fields.Field(attribute="role", column_name=_("Role"), widget=ChoiceWidget(Role.choices))
    started_on = fields.Field(
        attribute="started_on", column_name=_("Serving from"), widget=DateWidget()
    )
    ended_on = fields.Field(attribute="ended_on", column_name=_("Left on"), widget=DateWidget())
    end_reason = fields.Field(
        attribute="end_reason",
        column_name=_("Reason for leaving"),
        widget=ChoiceWidget(EndReason.choices),
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
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # The body is always the term's, also when another cell of the row is wrong
            # (else the model would complain of an empty body too).
            if instance.term_id:
                instance.body_id = instance.term.body_id


class OrganisationResource(ScopedResource):
    """Export only: organisations with their status path."""

    street = fields.Field(attribute="community__street__name", column_name=STREET)
    community = fields.Field(attribute="community__name", column_name=COMMUNITY)
    name = fields.Field(attribute="name", column_name=ORGANISATION)
    status = fields.Field(
        attribute="status",
        column_name=_("Status"),
        widget=ChoiceWidget(Organisation.Status.choices),
    )
    set_up_on = fields.Field(
        attribute="set_up_on", column_name=_("Preparation started on"), widget=DateWidget()
    )
    established_on = fields.Field(
        attribute="established_on", column_name=_("Established on"), widget=DateWidget()
    )
    accepted_on = fields.Field(
        attribute="accepted_on", column_name=_("Accepted on"), widget=DateWidget()
    )
    dissolved_on = fields.Field(
        attribute="dissolved_on", column_name=_("Dissolved on"), widget=DateWidget()
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

    held_on = fields.Field(attribute="held_on", column_name=_("Held on"), widget=DateWidget())
    topic = fields.Field(attribute="topic", column_name=_("Topic"))
    unit = fields.Field(attribute="unit", column_name=_("Organised by"))
    organiser = fields.Field(attribute="organiser", column_name=_("Organiser"))
    place = fields.Field(attribute="place", column_name=_("Place"))
    named = fields.Field(
        attribute="named", column_name=_("People who serve (人)"), widget=IntegerWidget()
    )
    other_attendees = fields.Field(
        attribute="other_attendees",
        column_name=_("Other attendees (人)"),
        widget=IntegerWidget(),
    )

    class Meta:
        model = Training
        fields = ["held_on", "topic", "unit", "organiser", "place", "named", "other_attendees"]
