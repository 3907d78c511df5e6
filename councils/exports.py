"""Workbooks of the councils pages, written through portal.excel. Personal data columns
(phone, building and unit) are left out for users who may not see them."""

from types import SimpleNamespace

from django.db.models import Sum
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councils.models import Meeting, Organisation, Person, Role
from portal.access import may_see_personal_data, scope_label
from portal.excel import DATE, INTEGER, Column, Sheet
from portal.exports import Export


class OrganisationListSheet(Sheet):
    """The organisation list as filtered on the page."""

    title = _("Self-governance organisations")
    columns = [
        Column(_("No."), 6),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Organisation"), 28),
        Column(_("Status"), 10),
        Column(_("Accepted on"), 12, DATE),
        Column(_("Courtyards covered"), 10, INTEGER),
        Column(_("Households covered (户)"), 12, INTEGER),
        Column(_("Representatives (人)"), 12, INTEGER),
        Column(_("Group members (人)"), 12, INTEGER),
        Column(_("Council term ends on"), 14, DATE),
    ]
    FIGURES = ["courtyards_covered", "households_covered", "representatives", "group_members"]

    def __init__(self, organisations):
        self.organisations = organisations

    def rows(self):
        statuses = dict(Organisation.Status.choices)
        values = self.organisations.values_list(
            "community__street__name",
            "community__name",
            "name",
            "status",
            "accepted_on",
            *self.FIGURES,
            "council_term_ends_on",
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            street, community, name, status, accepted_on, *figures, term_end = row
            yield [
                number,
                street,
                community,
                name,
                str(statuses[status]),
                accepted_on,
                *figures,
                term_end,
            ]

    def totals(self):
        sums = self.organisations.aggregate(**{f"sum_{n}": Sum(n) for n in self.FIGURES})
        figures = (sums[f"sum_{name}"] or 0 for name in self.FIGURES)
        return [_("Total"), "", "", "", "", "", *figures, ""]


class PeopleSheet(Sheet):
    """People serving (or who served) as listed on the page; phone and address columns only
    for users who may see personal data."""

    title = _("People serving")

    def __init__(self, people, user):
        self.people = people
        self.personal = may_see_personal_data(user)
        self.columns = [
            Column(_("No."), 6),
            Column(_("Street"), 14),
            Column(_("Community"), 14),
            Column(_("Courtyard"), 20),
            Column(_("Name"), 10),
            Column(_("Gender"), 6),
            Column(_("Year of birth"), 8),
            *(
                [Column(_("Phone"), 14), Column(_("Building"), 8), Column(_("Unit"), 8)]
                if self.personal
                else []
            ),
            Column(_("Political status"), 12),
            Column(_("Education"), 12),
            Column(_("Occupation"), 14),
            Column(_("Council role now"), 12),
            Column(_("Group role now"), 12),
        ]

    def rows(self):
        labels = {
            "gender": dict(Person.Gender.choices),
            "political_status": dict(Person.PoliticalStatus.choices),
            "education": dict(Person.Education.choices),
        }
        roles = dict(Role.choices)
        # people_with_roles reads the roles of each 2,000 rows in one query as they stream
        for number, person in enumerate(self.people.iterator(chunk_size=2000), start=1):
            personal = [person.phone, person.building, person.unit] if self.personal else []
            yield [
                number,
                person.courtyard.community.street.name,
                person.courtyard.community.name,
                person.courtyard.name,
                person.name,
                str(labels["gender"].get(person.gender, "")),
                person.birth_year,
                *personal,
                str(labels["political_status"].get(person.political_status, "")),
                str(labels["education"].get(person.education, "")),
                person.occupation,
                str(roles.get(person.council_role, "")),
                str(roles.get(person.group_role, "")),
            ]


class RepresentationSheet(Sheet):
    """Courtyards with their households per representative: those outside the district's
    rule where it sets one (`title` given), every covered courtyard as information where
    it does not."""

    title = _("Households per representative")
    columns = [
        Column(_("No."), 6),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Courtyard"), 22),
        Column(_("Households (户)"), 10, INTEGER),
        Column(_("Organisation"), 26),
        Column(_("Households covered (户)"), 12, INTEGER),
        Column(_("Representatives (人)"), 12, INTEGER),
        Column(_("Households per representative (户)"), 14, INTEGER),
    ]

    def __init__(self, coverage, title=None):
        self.coverage = coverage
        if title:
            self.title = title

    def rows(self):
        for number, row in enumerate(self.coverage.iterator(chunk_size=2000), start=1):
            courtyard = row.courtyard
            yield [
                number,
                courtyard.community.street.name,
                courtyard.community.name,
                courtyard.name,
                courtyard.households,
                row.organisation.name,
                row.households_covered,
                row.representatives,
                round(row.households_covered / row.representatives)
                if row.representatives
                else None,
            ]


class MeetingRegisterSheet(Sheet):
    """The meeting register as filtered on the page, with the totals the page shows."""

    title = _("Meeting register")
    title_columns = 2
    columns = [
        Column(_("No."), 6),
        Column(_("Meeting date"), 12, DATE),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Organisation"), 26),
        Column(_("Kind of meeting"), 16),
        Column(_("Status"), 8),
        Column(_("Present"), 8, INTEGER),
        Column(_("Entitled to attend"), 8, INTEGER),
        Column(_("Quorum"), 10),
        Column(_("Motions"), 8, INTEGER),
        Column(_("Adopted"), 8, INTEGER),
    ]

    def __init__(self, meetings, totals):
        self.meetings = meetings
        self.figures = totals

    def rows(self):
        kinds, statuses = dict(Meeting.Kind.choices), dict(Meeting.Status.choices)
        quorum = {True: _("Reached"), False: _("Not reached"), None: _("Does not apply")}
        for number, meeting in enumerate(self.meetings.iterator(chunk_size=2000), start=1):
            community = meeting.organisation.community
            yield [
                number,
                meeting.held_on,
                community.street.name,
                community.name,
                meeting.organisation.name,
                str(kinds[meeting.kind]),
                str(statuses[meeting.status]),
                meeting.present,
                meeting.members if meeting.kind in Meeting.WITH_BODY else None,
                str(quorum[meeting.quorum]),
                meeting.motion_count,
                meeting.adopted_count,
            ]

    def totals(self):
        return [_("Total"), *[""] * 9, self.figures["motions"], self.figures["adopted"]]

    def notes(self):
        return [register_summary(self.figures)]


def register_summary(totals):
    """The register's totals in one sentence, as the page says them."""
    return (
        _(
            "%(meetings)s meetings, of which %(published)s published and %(quorum_met)s with a "
            "quorum; %(motions)s motions, of which %(adopted)s adopted."
        )
        % totals
    )


def listed_people(request):
    """The people list as filtered on the page, in the page's order (its export's rows), and
    the filters' form."""
    from councils.forms import PersonFilter
    from councils.selectors import people_with_roles

    filters = PersonFilter(request, people_with_roles(request.user))
    people = filters.qs.order_by("courtyard__community__name", "courtyard__name", "name", "pk")
    return people, filters.form


def people_export(user, params):
    """The people list's export as a background job (portal/exports.py): the list is read
    again with the filters it was asked with (`query`, the page's query string)."""
    request = SimpleNamespace(user=user, GET=QueryDict(params["query"]))
    return Export(
        sheets=[PeopleSheet(listed_people(request)[0], user)],
        filename=params["filename"],
        heading=gettext("People serving"),
        scope_label=scope_label(user),
    )


def listed_meetings(request):
    """The meeting register as filtered and sorted on the page: the filters, the meetings
    and the sort key in effect."""
    from councils.forms.register import REGISTER_SORTING, MeetingRegisterFilter
    from councils.selectors.register import meeting_register

    filters = MeetingRegisterFilter(request, meeting_register(request.user))
    meetings, sort = REGISTER_SORTING.apply(filters.qs, request)
    return filters, meetings, sort


def meeting_register_export(user, params):
    """The meeting register's export as a background job, read again with its filters and
    order (`query`, the page's query string)."""
    from councils.selectors.register import register_totals

    request = SimpleNamespace(user=user, GET=QueryDict(params["query"]))
    filters, meetings, _sort = listed_meetings(request)
    return Export(
        sheets=[MeetingRegisterSheet(meetings, register_totals(filters.qs))],
        filename=params["filename"],
        heading=gettext("Meeting register"),
        scope_label=scope_label(user),
        criteria=filters.described(),
    )
