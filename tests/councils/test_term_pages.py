"""Terms and members recorded on the organisation's page instead of the admin: the same
model rules decide (dates within the term, one role per person per body, one convener,
terms that do not overlap), choices come from the organisation's community, and another
scope's organisation is not found. The council (tests/councils/conftest.py) is in its first
term, from 2023-03-01 to 2028-02-29."""

from django.urls import reverse

from councils.models import Membership, Organisation, Term
from tests.councils.factories import PersonFactory


def member_url(organisation, body="council"):
    return reverse("councils:membership_add", args=[organisation.pk]) + f"?body={body}"


def term_url(organisation, body="council"):
    return reverse("councils:term_add", args=[organisation.pk]) + f"?body={body}"


def council_term(council):
    return Term.objects.get(body__organisation=council.organisation, body__kind="council")


def joining(council, person, **changes):
    return {
        "term": council_term(council).pk,
        "person": person.pk,
        "role": "representative",
        "started_on": "2026-01-10",
        "note": "补充代表",
        **changes,
    }


def saved_fields(membership):
    return {
        f.name: getattr(membership, f.attname)
        for f in Membership._meta.fields
        if f.name not in ("id", "person")
    }


def test_a_community_member_adds_a_representative(council, geo, people, login):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    response = login(people.community).post(
        member_url(council.organisation), joining(council, person)
    )
    assert response.status_code == 302 and response.url == council.organisation.get_absolute_url()
    membership = Membership.objects.get(person=person)
    assert membership.body.kind == "council" and membership.term == council_term(council)
    assert membership.history.first().history_user == people.community
    page = login(people.community).get(council.organisation.get_absolute_url()).content.decode()
    assert person.name in page


def test_the_page_saves_what_the_admin_saves(council, geo, people, login):
    first, second = PersonFactory.create_batch(2, courtyard=geo.courtyard_a1)
    client = login(people.district_admin)
    client.post(member_url(council.organisation), joining(council, first))
    client.post(reverse("admin:councils_membership_add"), joining(council, second))
    page, admin = (Membership.objects.get(person=p) for p in (first, second))
    assert saved_fields(page) == saved_fields(admin)


def test_a_start_outside_the_term_is_refused_and_nothing_saved(council, geo, people, login):
    person = PersonFactory(courtyard=geo.courtyard_a1)
    response = login(people.community).post(
        member_url(council.organisation), joining(council, person, started_on="2022-05-01")
    )
    assert "任职开始日期须在本届任期内" in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()


def test_one_person_is_not_added_twice_nor_a_second_convener(council, people, login):
    client = login(people.community)
    serving = council.members("representative").first()
    twice = client.post(member_url(council.organisation), joining(council, serving.person))
    assert "已在该机构任职" in twice.content.decode()
    newcomer = PersonFactory(courtyard=serving.person.courtyard)
    convener = client.post(
        member_url(council.organisation), joining(council, newcomer, role="convener")
    )
    assert "召集人或组长" in convener.content.decode()
    assert Membership.objects.filter(person__in=[serving.person, newcomer]).count() == 1


def test_only_people_of_the_community_and_the_bodys_roles_are_offered(council, geo, people, login):
    client = login(people.community)
    outsider = PersonFactory(courtyard=geo.courtyard_b1)
    page = client.get(member_url(council.organisation)).content.decode()
    assert outsider.name not in page and 'value="leader"' not in page
    for data in (
        joining(council, outsider),
        joining(council, PersonFactory(courtyard=geo.courtyard_a1), role="leader"),
    ):
        response = client.post(member_url(council.organisation), data)
        assert "选择一个有效的选项" in response.content.decode()
    assert Membership.objects.count() == 6  # the six elected in the fixture


def test_another_scopes_organisation_or_an_unknown_body_is_not_found(council, people, login):
    street_b = login(people.street_b)
    assert street_b.get(member_url(council.organisation)).status_code == 404
    assert street_b.get(term_url(council.organisation)).status_code == 404
    community = login(people.community)
    assert community.get(member_url(council.organisation, "residents")).status_code == 404
    assert community.get(term_url(council.organisation, "meeting")).status_code == 404


def test_a_term_is_recorded_when_it_does_not_overlap_another(council, people, login):
    client = login(people.street_a)
    url = term_url(council.organisation)
    data = {"number": "2", "started_on": "2027-01-01", "ends_on": "2031-12-31", "seats": "5"}
    overlapping = client.post(url, data)
    assert "各届任期不能重叠" in overlapping.content.decode()
    assert client.post(url, {**data, "started_on": "2028-03-01"}).status_code == 302
    term = Term.objects.get(body__organisation=council.organisation, number=2, body__kind="council")
    assert (term.seats, term.history.first().history_user) == (5, people.street_a)


def test_a_dissolved_organisation_takes_no_new_member(council, geo, people, login):
    Organisation.objects.filter(pk=council.organisation.pk).update(
        dissolved_on="2026-01-01", status="dissolved", dissolved_reason="合并"
    )
    person = PersonFactory(courtyard=geo.courtyard_a1)
    response = login(people.community).post(
        member_url(council.organisation), joining(council, person)
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(person=person).exists()
