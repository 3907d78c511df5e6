"""Recording an election on its page, which creates the term's memberships in one step."""

from django.urls import reverse

from councils.models import Election, Membership, Term
from tests.councils.factories import PersonFactory, organisation_for


def candidate_rows(rows, total=8):
    data = {
        "candidates-TOTAL_FORMS": str(total),
        "candidates-INITIAL_FORMS": "0",
        "candidates-MIN_NUM_FORMS": "0",
        "candidates-MAX_NUM_FORMS": "200",
    }
    for index, (person, votes, elected, role) in enumerate(rows):
        data[f"candidates-{index}-person"] = person.pk
        data[f"candidates-{index}-votes"] = votes
        if elected:
            data[f"candidates-{index}-elected"] = "on"
        data[f"candidates-{index}-role"] = role
    return data


def election_post(rows, **overrides):
    return {
        "kind": "general",
        "method": "households",
        "held_on": "2024-04-10",
        "eligible_voters": "150",
        "votes_cast": "120",
        "seats": "3",
        **candidate_rows(rows),
        **overrides,
    }


def test_a_general_election_opens_the_term_and_seats_those_elected(geo, people, login):
    organisation = organisation_for(geo.courtyard_a1)
    a, b, c, d = (PersonFactory(courtyard=geo.courtyard_a1) for _ in range(4))
    url = reverse("councils:election_add", args=[organisation.pk]) + "?body=council"
    response = login(people.community).post(
        url,
        election_post(
            [
                (a, 101, True, "convener"),
                (b, 90, True, "representative"),
                (c, 77, True, "representative"),
                (d, 30, False, ""),
            ]
        ),
    )
    assert response.status_code == 302
    term = Term.objects.get(body__organisation=organisation, body__kind="council")
    assert (term.number, term.seats, str(term.started_on)) == (1, 3, "2024-04-10")
    seated = Membership.objects.filter(term=term).in_roll_order()
    assert [(m.person, m.role) for m in seated] == [
        (a, "convener"),
        *sorted([(b, "representative"), (c, "representative")], key=lambda r: r[0].name),
    ]
    assert Election.objects.get().candidates.count() == 4
    assert seated.first().history.first().history_user == people.community


def test_more_votes_than_voters_is_refused_next_to_the_field_and_nothing_is_stored(
    geo, people, login
):
    organisation = organisation_for(geo.courtyard_a1)
    person = PersonFactory(courtyard=geo.courtyard_a1)
    url = reverse("councils:election_add", args=[organisation.pk])
    response = login(people.community).post(
        url, election_post([(person, 100, True, "convener")], votes_cast="200")
    )
    assert response.status_code == 200
    assert "实际投票人数不能超过应参加投票人数" in str(
        response.context["form"].errors["votes_cast"]
    )
    assert 'value="200"' in response.content.decode()
    assert not Election.objects.exists() and not Term.objects.exists()


def test_candidate_errors_are_shown_beside_the_candidates(geo, people, login):
    organisation = organisation_for(geo.courtyard_a1)
    a, b = PersonFactory(courtyard=geo.courtyard_a1), PersonFactory(courtyard=geo.courtyard_a1)
    url = reverse("councils:election_add", args=[organisation.pk])
    response = login(people.community).post(
        url, election_post([(a, 100, True, "convener"), (b, 90, True, "convener")])
    )
    assert response.context["candidate_errors"] == ["召集人只能有一人。"]
    assert "召集人只能有一人" in response.content.decode()
    assert not Membership.objects.exists()


def test_an_elected_candidate_needs_a_role(geo, people, login):
    organisation = organisation_for(geo.courtyard_a1)
    person = PersonFactory(courtyard=geo.courtyard_a1)
    url = reverse("councils:election_add", args=[organisation.pk])
    response = login(people.community).post(url, election_post([(person, 100, True, "")]))
    assert "请选择当选人的职务" in response.content.decode()
    assert not Election.objects.exists()


def test_candidates_are_offered_from_the_organisations_community_only(geo, people, login):
    organisation = organisation_for(geo.courtyard_a1)
    inside = PersonFactory(courtyard=geo.courtyard_a1)
    outside = PersonFactory(courtyard=geo.courtyard_a2)
    url = reverse("councils:election_add", args=[organisation.pk])
    formset = login(people.street_a).get(url).context["candidates"]
    assert list(formset.people) == [inside]
    posted = login(people.street_a).post(url, election_post([(outside, 100, True, "convener")]))
    assert posted.status_code == 200
    assert not Membership.objects.filter(person=outside).exists()


def test_the_group_is_elected_with_group_roles(geo, people, login):
    organisation = organisation_for(geo.courtyard_a1)
    url = reverse("councils:election_add", args=[organisation.pk]) + "?body=group"
    roles = login(people.community).get(url).context["candidates"].forms[0].fields["role"]
    assert [value for value, _label in roles.choices] == ["", "leader", "deputy", "member"]


def test_the_election_page_reads_back_the_votes(council, people, login):
    response = login(people.inspector).get(council.council_election.get_absolute_url())
    assert response.status_code == 200
    assert "当选召集人" in response.content.decode()
