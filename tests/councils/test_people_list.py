"""The people list (/councils/people/) and its export: who is listed, with the roles they
hold today in a council and in a group. The roles are read in one query for the rows shown
(a page, or a chunk of an export), so the page's queries do not grow with the people."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from councils import services
from councils.exports import PeopleSheet
from councils.models import Role
from councils.selectors import people_with_roles
from tests.councils.factories import PersonFactory, elect, organisation_for
from tests.factories import CourtyardFactory

URL = reverse("councils:people")


def _row_of(html, person):
    """The table row of the person on the page (from their name to the end of the row)."""
    start = html.index(f">{person.name}</a>")
    return html[start : html.index("</tr>", start)]


def _label(role):
    return str(Role(role).label)


@pytest.fixture
def both_roles(geo):
    """An organisation in courtyard A2 whose convener leads its group too."""
    organisation = organisation_for(geo.courtyard_a2)
    both = PersonFactory(courtyard=geo.courtyard_a2, name="兼任者")
    elect(
        organisation,
        "council",
        ["convener", "representative"],
        people=[both, PersonFactory(courtyard=geo.courtyard_a2)],
    )
    elect(
        organisation,
        "group",
        ["leader", "member"],
        people=[both, PersonFactory(courtyard=geo.courtyard_a2)],
    )
    return both


def test_the_page_lists_those_serving_with_their_roles_and_all_with_all(
    council, both_roles, geo, people, login
):
    idle = PersonFactory(courtyard=geo.courtyard_a1, name="未任职者")
    leaving = council.members("representative").first()
    services.membership_end(
        membership=leaving, on=datetime.date(2024, 1, 1), reason="resigned", by=None
    )
    client = login(people.district_admin)
    serving = client.get(URL).content.decode()
    convener = council.member("convener").person
    assert _label("convener") in _row_of(serving, convener)
    assert _label("convener") in _row_of(serving, both_roles)
    assert _label("leader") in _row_of(serving, both_roles)
    assert f">{idle.name}</a>" not in serving
    assert f">{leaving.person.name}</a>" not in serving
    everyone = client.get(URL, {"status": "all"}).content.decode()
    for person in (idle, leaving.person):
        assert _row_of(everyone, person).count("<td>—</td>") == 2  # no role in either


def test_the_roles_are_those_held_today_in_a_council_and_in_a_group(council, both_roles, people):
    listed = {person.pk: person for person in people_with_roles(people.district_admin)}
    assert (listed[both_roles.pk].council_role, listed[both_roles.pk].group_role) == (
        "convener",
        "leader",
    )
    member = council.member("member").person
    assert (listed[member.pk].council_role, listed[member.pk].group_role) == (None, "member")


def test_the_export_has_the_roles_of_the_page(council, both_roles, people, login):
    response = login(people.district_admin).get(URL, {"format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    by_name = {row[4]: row for row in rows if row and isinstance(row[0], int)}
    assert by_name[both_roles.name][-2:] == (_label("convener"), _label("leader"))
    member = council.member("member").person
    assert by_name[member.name][-2:] == (None, _label("member"))


def _page_queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    return len(captured)


def _more_people(geo):
    """56 more people serving in community A1 (two pages of the list), and 100 who do not
    (four pages of all)."""
    for _number in range(14):
        organisation = organisation_for(CourtyardFactory(community=geo.community_a1))
        elect(organisation, "council", ["convener", "representative"])
        elect(organisation, "group", ["leader", "member"])
    PersonFactory.create_batch(100, courtyard=geo.courtyard_a1)


@pytest.mark.parametrize("persona", ["district_admin", "community"])
def test_the_page_runs_the_same_few_queries_whatever_the_people(
    council, geo, people, login, persona
):
    client = login(getattr(people, persona))
    pages = [{}, {"status": "all"}, {"page": 2}, {"status": "all", "page": 4}]
    small = [_page_queries(client, query) for query in pages[:2]]
    _more_people(geo)
    large = [_page_queries(client, query) for query in pages]
    assert small + large == [PINNED] * 6


# session, user, their roles in the portal, the count, the page's people, the people's roles
# (one query for the 50), the personal data access line, the user's permissions (two), the
# communities of the filter
PINNED = 10


def test_an_export_reads_the_roles_a_chunk_at_a_time(council, geo, people):
    PersonFactory.create_batch(30, courtyard=geo.courtyard_a1)
    people_listed = people_with_roles(people.district_admin).order_by("pk")
    with CaptureQueriesContext(connection) as captured:
        rows = list(PeopleSheet(people_listed, people.district_admin).rows())
    assert len(rows) == 36
    assert len(captured) == 2  # the people, and the roles of them all (a chunk is 2,000)
    with CaptureQueriesContext(connection) as captured:
        assert len(list(people_listed.iterator(chunk_size=10))) == 36
    assert len(captured) == 1 + 4  # the people, and the roles of each chunk of 10
